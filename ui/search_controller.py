"""Search as you type: each keystroke starts a query off the GUI thread; stale ones are dropped.

Results come in two steps: the first screenful (about a millisecond even for a one-letter prefix
over 100,000 tracks), then the complete list of matches, which the table appends.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.store.tracks import TrackStore
from ui.workers import CancelToken, run_task

DEBOUNCE_MS = 60
FIRST_PAGE = 200


class SearchController(QObject):
    results_ready = Signal(str, object)  # query, ordered ids
    failed = Signal(str)

    def __init__(self, tracks: TrackStore, parent=None):
        super().__init__(parent)
        self.tracks = tracks
        self.query = ""
        self._token: CancelToken | None = None
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)

    def set_query(self, text: str) -> None:
        self.query = text
        self._timer.start()

    def refresh(self) -> None:
        """Run the current query now (also after a scan changed the library)."""
        self._timer.stop()
        if self._token is not None:
            self._token.cancel()
        query = self.query
        token = self._token = CancelToken()

        def first_page_shown(ids) -> None:
            self.results_ready.emit(query, ids)
            if len(ids) == FIRST_PAGE:
                run_task(lambda: self.tracks.ordered_ids(query),
                         on_done=lambda all_ids: self.results_ready.emit(query, all_ids),
                         on_error=self._report, token=token, owner=self)

        run_task(lambda: self.tracks.ordered_ids(query, limit=FIRST_PAGE),
                 on_done=first_page_shown, on_error=self._report, token=token, owner=self)

    def _report(self, error: Exception) -> None:
        self.failed.emit(f"Search failed: {error}")
