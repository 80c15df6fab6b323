"""A browse page: the groups of one kind (artists, albums as a cover grid, genres, playlists,
favourites, folders) on one side; the selected one's page on the other — its artwork, name and
what it holds, Play and Shuffle, and its songs. Loading (artwork included) runs in workers."""

from __future__ import annotations

import random
from dataclasses import replace

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.models import LOCAL_SOURCE
from app.store.browse import albums_by, groups, top_tracks_by, tracks_of
from app.store.smart_playlists import SmartPlaylists
from ui.format import count_text, length_text, sentence
from ui.models.roles import PRIMARY, SECONDARY
from ui.models.row_drag import RowDragMixin
from ui.models.track_table import TrackTableModel
from ui.theme import font_of
from ui.theme.apply import style_sheet
from ui.theme.sheets import thin_scrollbars
from ui.theme.tokens import SPACE
from ui.widgets.card_row import CARD_H, CARD_W, CardDelegate, CardRow, ShelfHeading, fill_covers
from ui.widgets.cover_images import mosaic, read_covers
from ui.widgets.group_header import ART, GroupHeader
from ui.widgets.song_switch import ALL, POPULAR, SongSwitch
from ui.widgets.song_table import SongTable
from ui.widgets.two_line_delegate import TwoLineDelegate
from ui.workers import CancelToken, run_task

COVER = 150
TOP_SONGS = 10  # an artist's Popular tab
MOSAIC_TILES = 4
CONTEXT = {"artists": "artist", "albums": "album", "genres": "library", "playlists": "playlist",
           "smart": "playlist", "favourites": "library", "folders": "library"}


class GroupTracksModel(RowDragMixin, TrackTableModel):
    """The songs of a group; a playlist's can be reordered by dragging (`reorder_requested`)."""

    reorder_requested = Signal(list)  # the track ids in their new order

    def __init__(self, tracks, parent=None):
        super().__init__(tracks, parent)
        self.reorderable = False

    def drag_enabled(self) -> bool:
        return self.reorderable

    def row_dropped(self, source: int, target: int) -> None:
        ids = list(self.ids)
        ids.insert(target, ids.pop(source))
        self.reorder_requested.emit(ids)


class BrowseView(QWidget):
    """Artists, genres, playlists, favourites and folders: the list beside the chosen one's
    page. Albums: a cover grid filling the page; choosing one opens its page, and Back (or
    Escape) returns to the grid. An artist's page has their albums as a row of covers."""

    play_requested = Signal(list, int, str)  # track ids, start row, history context
    album_requested = Signal(str)  # an album card on an artist's page
    depth_changed = Signal()  # a page was opened or closed within this one (for Back)

    def __init__(self, kind: str, services, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.services = services
        self.groups_list = QListWidget()
        self.groups_list.setAccessibleName(kind.capitalize())
        if kind == "albums":  # a cover grid
            self.groups_list.setViewMode(QListView.IconMode)
            self.groups_list.setItemDelegate(CardDelegate(self.groups_list))
            self.groups_list.setGridSize(QSize(CARD_W + SPACE, CARD_H + SPACE))
            self.groups_list.setMouseTracking(True)
            self.groups_list.setCursor(Qt.PointingHandCursor)
            self.groups_list.setResizeMode(QListView.Adjust)
            self.groups_list.setMovement(QListView.Static)
        self.header = GroupHeader()
        self.header.play_clicked.connect(lambda: self._play_all(shuffle=False))
        self.header.shuffle_clicked.connect(lambda: self._play_all(shuffle=True))
        self.model = GroupTracksModel(services.tracks, self)
        self.model.reorderable = kind == "playlists"
        self.table = SongTable(f"Songs of the selected {kind[:-1]}")
        self.table.setModel(self.model)
        self.albums_row = self.albums_heading = None
        if kind == "artists":  # their albums, as covers above the songs
            self.albums_row = CardRow("Albums by this artist")
            self.albums_row.setFixedHeight(CARD_H + SPACE)  # tight: the page fits 700 px
            self.albums_heading = ShelfHeading(self.albums_row, "Albums", compact=True)
            self.albums_row.setVisible(False)
            self.albums_heading.setVisible(False)
            self.albums_row.itemActivated.connect(
                lambda item: self.album_requested.emit(item.data(Qt.UserRole)))
        self.song_switch = None
        self._songs: dict[str, list[int]] = {ALL: [], POPULAR: []}
        if kind == "artists":  # Popular and All songs
            self.song_switch = SongSwitch()
            self.song_switch.setVisible(False)
            self.song_switch.changed.connect(self._show_songs)
            row = self.header.buttons_row  # after Play and Shuffle: it takes no height
            row.insertSpacing(2, SPACE * 2)
            row.insertWidget(3, self.song_switch)
        if kind == "playlists":
            self.table.setDragDropMode(QAbstractItemView.InternalMove)
            self.table.setDropIndicatorShown(True)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(SPACE * 2, 0, SPACE, 0)
        right_layout.addWidget(self.header)
        if self.albums_row is not None:
            right_layout.addWidget(self.albums_heading)
            right_layout.addWidget(self.albums_row)
        right_layout.addWidget(self.table, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        if kind == "albums":  # a page of its own: it says what it is
            heading = QLabel("Albums")
            heading.setFont(font_of("display", bold=True))
            heading.setContentsMargins(SPACE * 2, SPACE * 2, 0, SPACE)
            left_layout.addWidget(heading)
        left_layout.addWidget(self.groups_list, 1)
        if kind == "playlists":
            buttons = QHBoxLayout()
            for text, handler in (("New…", self._ask_new), ("Rename…", self._ask_rename),
                                  ("Delete", self.delete_selected)):
                button = QPushButton(text, clicked=handler)
                button.setAccessibleName(f"{text.rstrip('…')} playlist")
                buttons.addWidget(button)
            left_layout.addLayout(buttons)
        if kind == "smart":  # two by two: four side by side would widen the window's least
            buttons = QGridLayout()
            actions = (("New…", self._edit_smart),
                       ("Edit…", lambda: self._edit_smart(self.selected_key())),
                       ("Save As…", self._snapshot_smart), ("Delete", self._delete_smart))
            for number, (text, handler) in enumerate(actions):
                button = QPushButton(text, clicked=lambda _=False, h=handler: h())
                button.setAccessibleName(f"{text.rstrip('…')} smart playlist")
                buttons.addWidget(button, number // 2, number % 2)
            left_layout.addLayout(buttons)
        if kind != "albums":
            self.groups_list.setItemDelegate(TwoLineDelegate(self.groups_list))
            self.groups_list.setMouseTracking(True)
        style_sheet(self.groups_list, lambda c: f"QListWidget {{ border: none; background: {c.window}; }}")
        thin_scrollbars(self.groups_list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if kind == "albums":  # the grid, or one album's page in its place
            self.stack = QStackedWidget()
            self.stack.addWidget(left)
            self.stack.addWidget(right)
            layout.addWidget(self.stack)
            self.groups_list.itemClicked.connect(lambda _item: self.open_selected())
            self.groups_list.itemActivated.connect(lambda _item: self.open_selected())
        else:
            self.stack = None
            splitter = QSplitter(Qt.Horizontal)
            splitter.addWidget(left)
            splitter.addWidget(right)
            splitter.setSizes([260, 700])
            layout.addWidget(splitter)

        self._groups: list = []
        self._from_grid = True  # the album page shown was opened from the grid
        self._wanted: str | None = None  # a group asked for before the groups had loaded
        self._token = CancelToken()
        self.groups_list.currentRowChanged.connect(self._select)
        self.table.doubleClicked.connect(
            lambda index: self.play_requested.emit(list(self.model.ids), index.row(), CONTEXT[kind]))
        self.model.reorder_requested.connect(self._reorder)

    # -- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        db = self.services.db
        selected = self.selected_key()
        run_task(lambda: groups(db, self.kind), on_done=lambda found: self._show_groups(found, selected),
                 on_error=lambda error: self.header.setText(f"Could not read the library: {error}"),
                 owner=self)

    def _show_groups(self, found, selected) -> None:
        self._groups = found
        self.groups_list.blockSignals(True)
        self.groups_list.clear()
        for group in found:
            badge = " ☁" if any(source != "local" for source in group.sources) else ""
            item = QListWidgetItem(f"{group.title}{badge}\n{group.subtitle}")
            item.setToolTip(f"{group.title} — {group.subtitle} ({', '.join(group.sources) or 'local'})")
            if self.kind == "albums":
                item.setIcon(_placeholder(group.title))
            # drawn as a card (albums) or as two lines: the name, and what it holds beneath
            item.setData(PRIMARY, f"{group.title}{badge}")
            item.setData(SECONDARY, group.subtitle)
            self.groups_list.addItem(item)
        self.groups_list.blockSignals(False)
        if self.kind == "albums":  # the cards' covers, read in a worker
            fill_covers(self.groups_list,
                        {row: group.cover for row, group in enumerate(found) if group.cover})
        keys = [group.key for group in found]
        wanted, self._wanted = self._wanted or selected, None
        row = keys.index(wanted) if wanted in keys else (0 if found else -1)
        self.groups_list.setCurrentRow(row)
        if row == -1:
            self.model.set_ids([])
            self.header.setText(f"No {self.kind} yet.")

    def select_key(self, key: str) -> None:
        """Select that group once the groups are there (now, or when they have loaded); an
        album opens its page."""
        self._wanted = key
        keys = [group.key for group in self._groups]
        if key in keys:
            self.groups_list.setCurrentRow(keys.index(key))
        self.open_selected(from_grid=False)

    def open_selected(self, from_grid: bool = True) -> None:
        """The album grid gives way to the album's page. Back returns to the grid when it was
        opened from there, else to where the listener came from (a search, an artist)."""
        self._from_grid = from_grid
        if self.stack is not None and self.stack.currentIndex() != 1:
            self.stack.setCurrentIndex(1)
            self.depth_changed.emit()

    def in_page(self) -> bool:
        return self.stack is not None and self.stack.currentIndex() == 1

    def go_back(self) -> bool:
        """From an album's page back to the grid; False when there is nothing to go back to."""
        if not self.in_page():
            return False
        self.stack.setCurrentIndex(0)  # the grid, the next time this page is shown
        self.depth_changed.emit()
        return self._from_grid

    def selected_key(self) -> str | None:
        row = self.groups_list.currentRow()
        return self._groups[row].key if 0 <= row < len(self._groups) else None

    def _select(self, row: int) -> None:
        if not 0 <= row < len(self._groups):
            return
        group = self._groups[row]
        self.header.show_group(group.title, group.subtitle)
        services, kind = self.services, self.kind
        self._token.cancel()
        self._token = CancelToken()

        def load():
            ids = tracks_of(services.db, kind, group.key)
            albums = albums_by(services.db, group.key) if kind == "artists" else []
            top = top_tracks_by(services.db, group.key, TOP_SONGS) if kind == "artists" else []
            return ids, albums, top, *page_details(services, ids, group.cover)

        def show(loaded):
            ids, albums, top, details, artwork = loaded
            if self.albums_row is not None:
                self.albums_row.show_cards([(a.key, a.title, a.subtitle, a.cover) for a in albums])
                self.albums_row.setVisible(bool(albums))
                self.albums_heading.setVisible(bool(albums))
            if "song" in group.subtitle:  # the count is said already: just the length
                details = details.split(" · ", 1)[-1]
            self._songs = {ALL: ids, POPULAR: []}
            self._show_popular(top, "by your plays")
            self.header.set_details(details, artwork)
            if kind == "artists" and any(source != LOCAL_SOURCE for source in group.sources):
                # Their picture from their server, in place of their albums' covers when it comes.
                run_task(lambda: _artist_picture(services, group),
                         on_done=lambda image: self.header.set_details(details, image) if image else None,
                         token=self._token, owner=self)
                # The server's top songs (getTopSongs) replace the device's when it answers.
                run_task(lambda: services.radio.top_songs(group.key, group.sources, TOP_SONGS),
                         on_done=lambda found: self._show_popular(
                             found.track_ids, f"by plays on {found.source}"
                             if found.source != "your plays" else "by your plays"),
                         token=self._token, owner=self)

        run_task(load, on_done=show, token=self._token, owner=self)

    def _show_popular(self, top: list[int], where: str) -> None:
        """An artist's Popular tab, shown first when there is one (songs played by this person
        or on their server); without, the page shows all their songs."""
        if self.song_switch is None:
            self.model.set_ids(self._songs[ALL])
            return
        had = bool(self._songs[POPULAR])
        self._songs[POPULAR] = list(top)
        self.song_switch.setVisible(bool(top))
        self.song_switch.set_note(where if top else "")
        if not top:
            self._show_songs(ALL)
        elif not had or self.song_switch.shown == POPULAR:
            self._show_songs(POPULAR)

    def _show_songs(self, key: str) -> None:
        if self.song_switch is not None:
            self.song_switch.show_choice(key)
        self.model.set_ids(self._songs[key])

    def _play_all(self, shuffle: bool) -> None:
        ids = list(self.model.ids)
        if not ids:
            return
        player = self.services.player
        if player is not None:
            player.set_shuffle(shuffle)
        start = random.randrange(len(ids)) if shuffle else 0
        self.play_requested.emit(ids, start, CONTEXT[self.kind])

    # -- playlists ------------------------------------------------------------------------------
    def create_playlist(self, name: str, track_ids=()) -> None:
        writeback = self.services.writeback()
        run_task(lambda: writeback.create_playlist(name, list(track_ids)), on_done=lambda _: self.refresh(),
                 owner=self)

    def rename_selected(self, name: str) -> None:
        key, writeback = self.selected_key(), self.services.writeback()
        if key is not None:
            run_task(lambda: writeback.rename_playlist(int(key), name), on_done=lambda _: self.refresh(),
                     owner=self)

    def delete_selected(self) -> None:
        key, writeback = self.selected_key(), self.services.writeback()
        if key is not None:
            run_task(lambda: writeback.delete_playlist(int(key)), on_done=lambda _: self.refresh(),
                     owner=self)

    def _reorder(self, ids: list) -> None:
        key, writeback = self.selected_key(), self.services.writeback()
        if key is not None:
            self.model.set_ids(ids)  # shown at once; written in the background
            run_task(lambda: writeback.set_playlist_tracks(int(key), ids))

    def _ask_new(self) -> None:
        name, ok = QInputDialog.getText(self, "New Playlist", "Name:")
        if ok and name.strip():
            self.create_playlist(name.strip())

    def _ask_rename(self) -> None:
        row = self.groups_list.currentRow()
        if 0 <= row < len(self._groups):
            name, ok = QInputDialog.getText(self, "Rename Playlist", "Name:", text=self._groups[row].title)
            if ok and name.strip():
                self.rename_selected(name.strip())


    # -- smart playlists ------------------------------------------------------------------------
    def _edit_smart(self, name: str | None = None) -> None:
        """The editor, for a new one or the one chosen (a built-in one is copied: it stays)."""
        from ui.dialogs.smart_playlist_dialog import SmartPlaylistDialog  # noqa: PLC0415

        chosen = SmartPlaylists(self.services.db).get(name) if name else None  # one small row
        if chosen is not None and chosen.built_in:
            copy = replace(chosen, name=f"{chosen.name} (mine)", built_in=False)
            dialog = SmartPlaylistDialog(self.services, copy, replacing=None, parent=self)
        else:
            dialog = SmartPlaylistDialog(self.services, chosen,
                                         replacing=chosen.name if chosen else None, parent=self)
        if dialog.exec():
            self._wanted = dialog.saved_name
            self.refresh()

    def _snapshot_smart(self) -> None:
        """Its songs now, as an ordinary playlist here or on a server (that server's songs)."""
        name = self.selected_key()
        if name is None:
            return
        servers = [server.name for server in self.services.servers.all()]
        places = ["This computer", *servers]
        place, ok = QInputDialog.getItem(self, "Save As Playlist",
                                         f"Save the songs of “{name}” now as a playlist on:",
                                         places, 0, False)
        if not ok:
            return
        source = LOCAL_SOURCE if place == places[0] else place
        services = self.services

        def save() -> int:
            smart = SmartPlaylists(services.db)
            return smart.snapshot(smart.get(name), name, source, services.writeback())

        run_task(save, on_done=lambda count: self.header.set_details(
            f"Saved {count_text(count, 'song')} as the playlist “{name}”"
            + ("" if source == LOCAL_SOURCE else f" on {source}") + ".", None),
            owner=self)

    def _delete_smart(self) -> None:
        name, db = self.selected_key(), self.services.db
        if name is None:
            return
        run_task(lambda: SmartPlaylists(db).remove(name), on_done=lambda _: self.refresh(),
                 on_error=lambda error: self.header.setText(sentence(error)),
                 owner=self)


def _placeholder(title: str) -> QIcon:
    """A coloured square with the album's initial, until (or instead of) its cover."""
    pixmap = QPixmap(COVER, COVER)
    hue = sum(map(ord, title)) % 360
    pixmap.fill(QColor.fromHsv(hue, 90, 170))
    painter = QPainter(pixmap)
    painter.setPen(Qt.white)
    font = painter.font()
    font.setPointSize(40)
    painter.setFont(font)
    painter.drawText(pixmap.rect(), Qt.AlignCenter, (title[:1] or "?").upper())
    painter.end()
    return QIcon(pixmap)


def page_details(services, ids: list[int], cover: str | None) -> tuple[str, QImage | None]:
    """What a group's page says under its name, and its artwork, read and scaled here, in a
    worker (a server's cover may be fetched on the way): the group's own cover (an album, an
    artist), else the covers of its first four albums as a 2x2 mosaic (a playlist, a genre),
    else the one cover it has."""
    details = (f"{count_text(len(ids), 'song')} · "
               f"{length_text(services.tracks.total_duration_ms(ids))}")
    paths = [cover] if cover else _first_covers(services, ids, MOSAIC_TILES)
    # twice the size shown: sharp at a device pixel ratio of 2 too
    images = list(read_covers(dict(enumerate(paths)), ART).values())
    if len(images) >= MOSAIC_TILES:
        return details, mosaic(images[:MOSAIC_TILES], ART * 2)
    return details, images[0] if images else None


def _artist_picture(services, group) -> QImage | None:
    path = services.artist_picture(group.key, group.sources)
    return read_covers({0: path}, ART).get(0) if path else None


def _first_covers(services, ids: list[int], wanted: int) -> list[str]:
    """The cover files of the first albums among these songs (each album once)."""
    seen, paths = set(), []
    for track in services.tracks.get_many(ids[:200]):
        if not track.cover_path or track.cover_path in seen:
            continue
        seen.add(track.cover_path)
        try:
            path = services.cover_for(track)
        except Exception:  # noqa: BLE001 - a cover that cannot be had is left out
            continue
        if path:
            paths.append(path)
        if len(paths) == wanted:
            break
    return paths
