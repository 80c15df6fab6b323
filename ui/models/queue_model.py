"""The queue as a Qt list model: one row per queue entry in the order they play (shuffled,
when shuffle is on, so what comes next is what is shown next), the current one marked."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Signal
from PySide6.QtGui import QFont

from app.store.tracks import TrackStore
from ui.format import duration_text
from ui.models.cover_keys import cover_key
from ui.models.roles import (
    ACCESSIBLE_TEXT,
    COVER_PATH,
    CURRENT,
    DISPLAY,
    FONT,
    PRIMARY,
    SECONDARY,
    SECTION,
    TOOLTIP,
    TRAILING,
)
from ui.models.row_drag import RowDragMixin
from ui.models.track_rows import TrackRows

_TEXT_ROLES = frozenset({DISPLAY, ACCESSIBLE_TEXT, TOOLTIP, PRIMARY, SECONDARY, TRAILING, COVER_PATH})
CACHE_SYMBOLS = {"pinned": "📌", "cached": "●", "partly": "◐", "downloading": "↓",
                 "not cached": "○", "unavailable offline": "⊘"}


class QueueModel(RowDragMixin, QAbstractListModel):
    """Dragging a row asks for a move (`move_requested`); the player moves it and the model is
    refreshed from the queue it reports, so the view never edits the queue itself."""

    move_requested = Signal(int, int)  # source row, row it should stand at (order of play)

    def __init__(self, tracks: TrackStore, cache_state=None, parent=None):
        super().__init__(parent)
        self.rows = TrackRows(tracks)
        self.current_row: int | None = None
        self._queue_indexes: tuple[int, ...] = ()  # the queue's index of each row
        # (track) -> "cached" / "partly" / "downloading" / "not cached", for server tracks
        self.cache_state = cache_state
        self._transition: tuple[int | None, str] = (None, "")  # the next track's, and how
        self.reasons: dict[int, str] = {}  # why a track is there (a radio, autoplay)

    def set_next_transition(self, track_id: int | None, why: str) -> None:
        """How the next track comes in (a cut, a crossfade...): said in its tooltip."""
        self._transition = (track_id, why)
        if self.current_row is not None and self.current_row + 1 < len(self.rows):
            index = self.index(self.current_row + 1)
            self.dataChanged.emit(index, index)

    def cache_changed(self, track_id: int) -> None:
        for row, row_id in enumerate(self.rows.ids):
            if row_id == track_id:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def set_queue(self, track_ids, current_index: int | None, play_order=(), reasons=()) -> None:
        order = tuple(play_order) or tuple(range(len(track_ids)))
        self.beginResetModel()
        self.reasons = dict(reasons)
        self.rows.set_ids(tuple(track_ids[index] for index in order))
        self._queue_indexes = order
        self.current_row = None if current_index is None else order.index(current_index)
        self.endResetModel()

    def queue_index(self, row: int) -> int:
        """The queue's own index of the entry shown at row (what the player's commands take)."""
        return self._queue_indexes[row]

    def row_dropped(self, source: int, target: int) -> None:
        self.move_requested.emit(source, target)

    def _section(self, row: int) -> str | None:
        """Where the parts of the queue begin: what played, what plays now, what comes next."""
        if self.current_row is None:
            return None
        if row == self.current_row:
            return "Now playing"
        if row == self.current_row + 1:
            return "Next up"
        if row == 0:
            return "Played"
        return None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        current = index.row() == self.current_row
        if role == CURRENT:
            return current
        if role == SECTION:
            return self._section(index.row())
        if role == FONT and current:
            font = QFont()
            font.setBold(True)
            return font
        if role not in _TEXT_ROLES:
            return None
        track = self.rows.track_at(index.row())
        if track is None:
            return "(missing track)"
        state = None
        if not track.is_local and self.cache_state is not None:
            state = self.cache_state(track)
        why = self.reasons.get(track.id, "")
        if role == TOOLTIP:
            tip = f"From {track.source}: {state}" if state else track.location
            if why:
                tip += f"\n{why}"
            next_id, coming = self._transition
            if coming and index.row() == (self.current_row or 0) + 1 and track.id == next_id:
                tip += f"\nComing in: {coming}"
            return tip
        if role == COVER_PATH:
            return cover_key(track)
        if role == PRIMARY:
            return track.title
        if role == SECONDARY:
            return track.artist + (f"  ·  {why}" if why else "") + (f"  ·  {state}" if state else "")
        if role == TRAILING:
            return duration_text(track.duration_ms)
        marker = "▶ " if current else ""
        text = f"{marker}{track.title} — {track.artist}  ({duration_text(track.duration_ms)})"
        if state:
            symbol = CACHE_SYMBOLS[state]
            text += f"  {symbol}" if role == DISPLAY else f", {state}"
        return text
