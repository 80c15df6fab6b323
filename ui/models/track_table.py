"""The library table: a Qt model over the ids of a query, rows read lazily."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.models import Track
from app.store.tracks import TrackStore
from ui.format import duration_text
from ui.models.cover_keys import cover_key
from ui.models.roles import ACCESSIBLE_TEXT, COVER_PATH, CURRENT, DISPLAY, FOREGROUND, TOOLTIP, USER
from ui.models.track_rows import TrackRows
from ui.theme import colours

COLUMNS = (
    ("Title", lambda t: t.title),
    ("Artist", lambda t: t.artist),
    ("Album", lambda t: t.album),
    ("#", lambda t: t.track_no or ""),
    ("Year", lambda t: t.year or ""),
    ("Genre", lambda t: t.genre),
    ("Time", lambda t: duration_text(t.duration_ms)),
    ("Source", lambda t: "Local" if t.is_local else t.source),
    ("Rating", lambda t: ("♥ " if t.starred else "") + "★" * (t.rating or 0)),
)
TRACK_ID_ROLE = USER + 1
# Views ask data() for ~10 roles per visible cell on every paint, as plain ints: these are the
# ones answered, as a set of ints (see ui/models/roles.py).
_ANSWERED = frozenset({DISPLAY, TOOLTIP, FOREGROUND, TRACK_ID_ROLE, ACCESSIBLE_TEXT, COVER_PATH, CURRENT})


class TrackTableModel(QAbstractTableModel):
    def __init__(self, tracks: TrackStore, parent=None):
        super().__init__(parent)
        self.rows = TrackRows(tracks)
        self.playing_id: int | None = None

    def set_ids(self, ids: Sequence[int], first_rows: dict[int, Track] | None = None) -> None:
        """Show these ids; a list that only adds rows after the current ones is appended.
        first_rows: the first rows' tracks by id, when the caller has read them already."""
        current = self.rows.ids
        if len(ids) > len(current) and list(ids[:len(current)]) == list(current):
            self.beginInsertRows(QModelIndex(), len(current), len(ids) - 1)
            self.rows.extend(ids)
            self.endInsertRows()
            return
        self.beginResetModel()
        self.rows.set_ids(ids, first_rows)
        self.endResetModel()

    @property
    def ids(self) -> Sequence[int]:
        return self.rows.ids

    def track_at(self, row: int) -> Track | None:
        return self.rows.track_at(row)

    def set_playing(self, track_id: int | None) -> None:
        self.playing_id = track_id
        if self.rowCount():
            # Every column: the whole row is coloured, and so is the whole row that stops being.
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ForegroundRole, CURRENT])

    def _accent(self):
        from PySide6.QtGui import QColor  # noqa: PLC0415

        return QColor(colours().accent)

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index, role=DISPLAY):
        if role not in _ANSWERED or not index.isValid():
            return None
        track = self.rows.track_at(index.row())
        if track is None:
            return None
        if role == TRACK_ID_ROLE:
            return track.id
        if role == FOREGROUND:  # the playing song in the accent colour (bold would elide it)
            return self._accent() if track.id == self.playing_id else None
        if role == CURRENT:  # the Title cell, which paints itself
            return track.id == self.playing_id
        if role == COVER_PATH:
            return cover_key(track)
        if role == TOOLTIP:
            return track.location
        value = COLUMNS[index.column()][1](track)
        return str(value)
