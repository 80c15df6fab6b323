"""Search as you type: each keystroke starts a query off the GUI thread; stale ones are dropped."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.store.tracks import TrackStore
from ui.workers import CancelToken, run_task

DEBOUNCE_MS = 60


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
        self._token = run_task(
            lambda: self.tracks.ordered_ids(query),
            on_done=lambda ids: self.results_ready.emit(query, ids),
            on_error=lambda error: self.failed.emit(f"Search failed: {error}"),
        )
