"""Search results grouped into artists, albums and songs under the search box, keyboard
navigable: Down from the search box enters them, Enter opens or plays, Escape goes back.

They run down in columns side by side (artists, then albums, then songs, each group's first
row captioned with its name, so a caption never ends a column alone), wrapping to the next
column: a few rows' height shows a dozen results whole and leaves the song table below its
room; more than fit scroll sideways."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem

from ui.models.cover_keys import artist_key, cover_key
from ui.models.roles import COVER_PATH, PRIMARY, ROUND_COVER, SECONDARY, SECTION
from ui.theme.apply import style_sheet
from ui.theme.sheets import thin_scrollbars
from ui.theme.tokens import SPACE
from ui.widgets.two_line_delegate import CAPTION_PX, ROW_PX, TwoLineDelegate

KIND = Qt.UserRole
VALUE = Qt.UserRole + 1
COLUMN_PX = 260  # a result's width: a column of them
COLUMN_HEIGHT = 4 * ROW_PX + CAPTION_PX  # four results under a caption, or three and two


class _ColumnDelegate(TwoLineDelegate):
    """Two-line rows a column wide."""

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt naming
        return QSize(COLUMN_PX, super().sizeHint(option, index).height())


class SearchResults(QListWidget):
    artist_chosen = Signal(str)
    album_chosen = Signal(int)
    song_chosen = Signal(list, int)  # the songs shown, which one
    back_to_search = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Search results")
        self.setFlow(QListView.TopToBottom)
        self.setWrapping(True)
        self.setResizeMode(QListView.Adjust)
        self.setSpacing(0)
        self.setFixedHeight(COLUMN_HEIGHT + SPACE + 4)  # and a thin scrollbar's room under it
        self.setVisible(False)
        self.setItemDelegate(_ColumnDelegate(self))
        self.setMouseTracking(True)
        style_sheet(self, lambda c: f"QListWidget {{ border: none; background: {c.window}; }}")
        thin_scrollbars(self)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # columns scroll sideways
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
                                  artist_key(name, results.artist_tracks.get(name)))
                                 for name in results.artists]),
                    ("Albums", [("album", album_id, f"{title} — {artist}", title, f"Album · {artist}",
                                 cover_of(results.album_tracks.get(album_id)))
                                for album_id, title, artist in results.albums]),
                    ("Songs", [("song", track.id, track.display_name, track.title, f"Song · {track.artist}",
                                cover_key(track))
                               for track in songs]))
        for title, entries in sections:
            for n, (kind, value, text, primary, secondary, cover) in enumerate(entries):
                item = QListWidgetItem(text)
                if n == 0:  # the caption is painted: a screen reader hears it with the row
                    item.setData(SECTION, title)
                    item.setData(Qt.AccessibleTextRole, f"{title}: {text}")
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
        if self.count():  # every row is a result (captions are painted on them, not rows)
            self.setCurrentRow(0)
            self.setFocus()

    def first_result(self) -> QListWidgetItem | None:
        return self.item(0) if self.count() else None

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
            songs = self.song_ids()
            self.song_chosen.emit(songs, songs.index(value))

    def song_ids(self) -> list[int]:
        """The songs shown, in their order."""
        return [self.item(r).data(VALUE) for r in range(self.count()) if self.item(r).data(KIND) == "song"]
