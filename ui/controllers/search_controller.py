"""Search as you type: each keystroke starts a query off the GUI thread; stale ones are dropped.

Results come in two steps: the first screenful (about a millisecond even for a one-letter prefix
over 100,000 tracks), then the complete list of matches, which the table appends. No debounce:
the query costs less than any pause worth waiting for (`prelude bench library` times keystroke
to painted rows), and a newer keystroke drops the older query's results.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.store.tracks import TrackStore
from ui.paint_watch import PaintWatch
from ui.workers import CancelToken, run_task

FIRST_PAGE = 200
# Rows read with the first page: a tall window's screenful (40 px rows); the rest of the page
# is read when the table first wants it. Reading 200 rows took ~5 ms of the keystroke's ~15.
FIRST_SCREEN = 48
# The slower extras wait for the table's paint at most this long (a paint can be lost to a
# window that is covered or minimised).
PAINT_WAIT_MS = 100


class SearchController(QObject):
    # query, ordered ids, and the first screenful's rows read with them ({} when not read)
    results_ready = Signal(str, object, object)
    # The first screenful of this query is painted: slower extras (the grouped results, the
    # complete list) start now, so they never compete with it for the GIL.
    first_page_painted = Signal(str)
    failed = Signal(str)

    def __init__(self, tracks: TrackStore, parent=None):
        super().__init__(parent)
        self.tracks = tracks
        self.query = ""
        self._token: CancelToken | None = None
        self.table_painted: PaintWatch | None = None  # the table showing the results, once built

    def set_query(self, text: str) -> None:
        self.query = text
        self.refresh()

    def refresh(self) -> None:
        """Run the current query now (also after a scan changed the library)."""
        if self._token is not None:
            self._token.cancel()
        query = self.query
        token = self._token = CancelToken()

        def first_page() -> tuple:
            # The rows too, here: the table then paints them without reading SQLite itself.
            ids = self.tracks.ordered_ids(query, limit=FIRST_PAGE)
            return ids, {track.id: track for track in self.tracks.get_many(ids[:FIRST_SCREEN])}

        def first_page_shown(found) -> None:
            ids, rows = found
            self.results_ready.emit(query, ids, rows)
            self._after_table_paint(lambda: extras(len(ids) == FIRST_PAGE))

        def extras(more_to_read: bool) -> None:
            if token.cancelled:
                return  # a newer key came first
            self.first_page_painted.emit(query)
            if more_to_read:
                run_task(lambda: self.tracks.ordered_ids(query),
                         on_done=lambda all_ids: self.results_ready.emit(query, all_ids, {}),
                         on_error=self._report, token=token, owner=self)

        run_task(first_page, on_done=first_page_shown, on_error=self._report, token=token,
                 owner=self)

    def _after_table_paint(self, callback) -> None:
        """Once the table has painted the rows just handed to it: the grouped results appearing
        first would move the table and have the whole window painted before the rows."""
        ran = [False]

        def once() -> None:
            if not ran[0]:
                ran[0] = True
                callback()

        watch = self.table_painted
        if watch is not None and watch.widget.isVisible():
            watch.after_next_paint(once)
            QTimer.singleShot(PAINT_WAIT_MS, self, once)
        else:
            QTimer.singleShot(0, self, once)

    def _report(self, error: Exception) -> None:
        self.failed.emit(f"Search failed: {error}")
