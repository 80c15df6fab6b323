"""Search results grouped into artists, albums and songs under the search box, keyboard
navigable: Down from the search box enters them, Enter opens or plays, Escape goes back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from ui.models.cover_keys import cover_key
from ui.models.roles import COVER_PATH, PRIMARY, ROUND_COVER, SECONDARY
from ui.theme import colours
from ui.theme.apply import style_sheet
from ui.theme.sheets import thin_scrollbars
from ui.widgets.two_line_delegate import TwoLineDelegate, caption_font

KIND = Qt.UserRole
VALUE = Qt.UserRole + 1


class SearchResults(QListWidget):
    artist_chosen = Signal(str)
    album_chosen = Signal(int)
    song_chosen = Signal(list, int)  # the songs shown, which one
    back_to_search = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Search results")
        self.setMaximumHeight(300)
        self.setVisible(False)
        self.setItemDelegate(TwoLineDelegate(self))
        self.setMouseTracking(True)
        style_sheet(self, lambda c: f"QListWidget {{ border: none; background: {c.window}; }}")
        thin_scrollbars(self)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # rows elide instead
        self.itemActivated.connect(self._activate)

    def show_results(self, results, tracks_by_id: dict) -> None:
        self.clear()
        if results.empty:
            self.setVisible(False)
            return
        songs = [tracks_by_id[track_id] for track_id in results.songs if track_id in tracks_by_id]
        def cover_of(track) -> str:
            return cover_key(track) if track is not None else ""

        sections = (("Artists", [("artist", name, name, name, "Artist",
                                  cover_of(results.artist_tracks.get(name))) for name in results.artists]),
                    ("Albums", [("album", album_id, f"{title} — {artist}", title, f"Album · {artist}",
                                 cover_of(results.album_tracks.get(album_id)))
                                for album_id, title, artist in results.albums]),
                    ("Songs", [("song", track.id, track.display_name, track.title, f"Song · {track.artist}",
                                cover_key(track))
                               for track in songs]))
        for title, entries in sections:
            if not entries:
                continue
            header = QListWidgetItem(title)
            header.setFont(caption_font())
            header.setForeground(QColor(colours().muted))
            header.setFlags(Qt.NoItemFlags)  # a heading, not a result
            self.addItem(header)
            for kind, value, text, primary, secondary, cover in entries:
                item = QListWidgetItem(f"   {text}")
                item.setData(KIND, kind)
                item.setData(VALUE, value)
                item.setData(PRIMARY, primary)
                item.setData(SECONDARY, secondary)
                if cover is not None:
                    item.setData(COVER_PATH, cover)
                item.setData(ROUND_COVER, kind == "artist")
                self.addItem(item)
        self.setVisible(True)

    def enter_from_search(self) -> None:
        for row in range(self.count()):
            if self.item(row).flags() & Qt.ItemIsEnabled:
                self.setCurrentRow(row)
                self.setFocus()
                return

    def first_result(self) -> QListWidgetItem | None:
        enabled = (self.item(r) for r in range(self.count()) if self.item(r).flags() & Qt.ItemIsEnabled)
        return next(enabled, None)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.key() == Qt.Key_Escape:
            self.back_to_search.emit()
            return
        super().keyPressEvent(event)

    def _activate(self, item: QListWidgetItem) -> None:
        kind, value = item.data(KIND), item.data(VALUE)
        if kind == "artist":
            self.artist_chosen.emit(value)
        elif kind == "album":
            self.album_chosen.emit(value)
        elif kind == "song":
            songs = [self.item(r).data(VALUE) for r in range(self.count())
                     if self.item(r).data(KIND) == "song"]
            self.song_chosen.emit(songs, songs.index(value))
