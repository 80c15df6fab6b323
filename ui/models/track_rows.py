"""A paged cache of track rows by id, shared by the library table and the queue list.

Only the rows on screen are read from SQLite, a page at a time (one indexed lookup of a few
hundred ids, about a millisecond), so a view over 100,000 tracks never loads them all.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from app.models import Track
from app.store.tracks import TrackStore

PAGE_SIZE = 200
MAX_PAGES = 64


class TrackRows:
    def __init__(self, tracks: TrackStore):
        self.tracks = tracks
        self._ids: Sequence[int] = ()
        self._pages: OrderedDict[int, dict[int, Track]] = OrderedDict()
        self._first_rows: dict[int, Track] = {}  # the first screenful, read by a worker

    def set_ids(self, ids: Sequence[int], first_rows: dict[int, Track] | None = None) -> None:
        """first_rows: the first rows' tracks by id, read already (by a worker): the rows on
        screen are painted without reading SQLite, the rest of their page is read when a row
        past them is first wanted."""
        self._ids = ids
        self._pages.clear()
        self._first_rows = first_rows or {}

    def extend(self, ids: Sequence[int]) -> None:
        """Longer list with the same beginning: cached pages stay valid except the last one."""
        last_page = len(self._ids) // PAGE_SIZE
        self._ids = ids
        self._pages.pop(last_page, None)

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def track_at(self, row: int) -> Track | None:
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None and page_no == 0 and self._ids[row] in self._first_rows:
            return self._first_rows[self._ids[row]]
        if page is None:
            start = page_no * PAGE_SIZE
            page_ids = list(self._ids[start:start + PAGE_SIZE])
            page = {track.id: track for track in self.tracks.get_many(page_ids)}
            self._pages[page_no] = page
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])
