"""The main window: layout, menus and shortcuts; the work happens in app/ and the controllers."""

from __future__ import annotations

import time

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.models import RepeatMode
from app.playback.engine import EngineState
from app.playback.events import PlayerStateChanged, QueueChanged, TrackStarted
from app.services import Services
from ui.bridge import Bridge
from ui.controllers.now_playing_controller import NowPlayingController
from ui.controllers.page_history import PageHistory
from ui.controllers.recommend_controller import RecommendController
from ui.controllers.search_controller import SearchController
from ui.controllers.sync_controller import SyncController
from ui.controllers.track_menu import add_to_playlist, selected_ids, track_menu
from ui.format import count_text, duration_text
from ui.models.cover_keys import resolve_with
from ui.models.queue_model import QueueModel
from ui.models.track_table import TrackTableModel
from ui.paint_watch import PaintWatch
from ui.theme.apply import style_sheet
from ui.theme.sheets import search_box_sheet, side_pane_sheet, thin_scrollbars
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.activity import Activity
from ui.widgets.for_you import ForYouPanel
from ui.widgets.handoff_bar import HandoffBar
from ui.widgets.lyrics_view import LyricsView
from ui.widgets.now_playing import NowPlaying
from ui.widgets.search_panel import SearchPanel
from ui.widgets.side_column import SideColumn
from ui.widgets.song_table import SongTable
from ui.widgets.thumbnails import resolve_covers_with
from ui.widgets.transport import SEEK_STEP_MS, VOLUME_STEP, TransportBar
from ui.widgets.two_line_delegate import TwoLineDelegate
from ui.workers import run_task

PAGES = [("Home", "home"), ("Songs", None), ("Artists", "artists"), ("Albums", "albums"),
         ("Genres", "genres"), ("Playlists", "playlists"), ("Smart Playlists", "smart"),
         ("Favourites", "favourites"),
         ("Folders", "folders"), ("Statistics", "statistics")]


FIRST_ROWS_WAIT_MS = 3000
HANDOFF_RECHECK_S = 60.0  # back to the front: another device's queue is looked for again
QUEUE_PANE_MIN_WINDOW_PX = 1100  # narrower windows give the queue pane's room to the page
COUNT_LABEL_PX = 320  # the status bar's song count: room for "100,000 songs match “…”"
SONGS_ROW = [kind for _, kind in PAGES].index(None)  # the library table, where search lives
NOW_PLAYING_ROW = len(PAGES)  # the full-window player, in Back and Forward's history


class MainWindow(QMainWindow):
    folder_add_requested = Signal(str)
    rescan_requested = Signal()
    cover_ready = Signal(str)  # a server's cover for the playing track, fetched
    handoff_checked = Signal(bool)  # the servers were asked for another device's queue: offered

    def __init__(self, services: Services, bridge: Bridge):
        super().__init__()
        self.services = services
        self.bridge = bridge  # the app's events, on this thread (pages made later connect to it)
        self.player = services.player
        self.queue_length = 0
        # Window state lives with the profile (so --data-dir isolates it too), apart from settings.
        self.window_state = QSettings(str(services.profile.config_dir / "window.ini"),
                                      QSettings.IniFormat)
        self.setWindowTitle(APP_NAME)
        self.resize(1200, 760)

        # rows' covers: a server's fetched once through the cover cache, in a worker
        resolve_covers_with(resolve_with(services))
        self.library_model = TrackTableModel(services.tracks, self)
        self.queue_model = QueueModel(services.tracks, self._cache_state, self)
        self.downloading_id: int | None = None
        self.search = SearchController(services.tracks, self)
        self._first_answer_shown = False  # the library table has shown a search's answer
        self._handoff_checked = 0.0
        self._handoff_offered = None  # the RemoteQueue offered in the bar
        self._handoff_dismissed: set[str] = set()  # queues the listener said no to
        self.sync = SyncController(services, self)
        self.recommend = RecommendController(services, self)
        self.mpris = None  # ui/desktop/mpris.py, where the desktop has a session bus
        self.queue_choice: bool | None = None  # the queue pane shown or hidden by the listener
        self.history = PageHistory(SONGS_ROW)  # the side column's rows shown, for Back/Forward
        self._build_widgets()
        self._build_menus()
        self._connect(bridge)
        self.search.refresh()

    # -- layout -------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.search_box = QLineEdit(placeholderText="Search songs, artists, albums, genres (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search")
        self.search_box.setToolTip("Search as you type (Ctrl+F); Down enters the results, Escape clears")
        style_sheet(self.search_box, search_box_sheet)
        self.demo_banner = QLabel(
            "You are trying Prelude's demo library. Add your own music with "
            "File ▸ Add Music Folder…")
        style_sheet(self.demo_banner, lambda c: f"padding: {SPACE}px; background: {c.raised};"
                    f" color: {c.text}; border-radius: {COVER_RADIUS}px;")
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setVisible(False)

        self.table = SongTable("Library")
        self.table.setModel(self.library_model)
        self.search.table_painted = PaintWatch(self.table.viewport())

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(SPACE * 2, SPACE * 2, SPACE, 0)
        left_layout.setSpacing(SPACE)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.demo_banner)
        self.search_row = SearchPanel(self.services)  # the top result, then the grouped results
        self.search_results, self.top_result = self.search_row.results, self.search_row.top
        left_layout.addWidget(self.search_row)
        left_layout.addWidget(self.table, 1)

        self.now_playing = NowPlaying()
        self.queue_view = QListView()
        self.queue_view.setAccessibleName("Queue")
        self.queue_view.setModel(self.queue_model)
        self.queue_view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.queue_view.setDragDropMode(QAbstractItemView.InternalMove)  # drag to reorder
        self.queue_view.setDropIndicatorShown(True)
        self.queue_view.setItemDelegate(TwoLineDelegate(self.queue_view))
        self.queue_view.setMouseTracking(True)  # rows light up under the pointer
        thin_scrollbars(self.queue_view)
        self.queue_view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # rows elide instead
        self.for_you = ForYouPanel()
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.queue_view, "Queue")
        self.side_tabs.addTab(self.for_you, "For You")
        self.lyrics_view = LyricsView()
        self.side_tabs.addTab(self.lyrics_view, "Lyrics")
        style_sheet(self.side_tabs, side_pane_sheet)
        right = self.side_pane = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, SPACE, SPACE, 0)
        right_layout.addWidget(self.side_tabs, 1)

        # The pages: the song table first, browse pages made when first opened.
        self.nav_bar = SideColumn(PAGES)
        self.nav = self.nav_bar.nav
        self.nav.setCurrentRow(SONGS_ROW)  # Home is made when first opened
        self.pages = QStackedWidget()
        self.pages.addWidget(left)
        self.surfaces = NowPlayingController(self)  # the player bar, full window, mini-player
        self.views: dict[str, QWidget] = {}  # browse pages and statistics, made when first shown
        center = QWidget()
        center_layout = QHBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.addWidget(self.nav_bar)
        center_layout.addWidget(self.pages, 1)

        splitter = self.splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(center)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)  # the page takes what the window gains
        splitter.setCollapsible(1, False)
        right.setMinimumWidth(220)
        splitter.setSizes([900, 320])

        self.transport = TransportBar(self.now_playing)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        self.handoff_bar = HandoffBar()  # a queue another device saved, offered
        layout.addWidget(self.handoff_bar)
        layout.addWidget(self.transport)
        self.setCentralWidget(central)
        self.count_label = QLabel()
        # A fixed width: a count that changes with every keystroke repaints the label alone,
        # never the whole window (a label that grows relays out the status bar and all above).
        self.count_label.setFixedWidth(COUNT_LABEL_PX)
        self.count_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        # Long work, each with its Cancel: a sync, a library scan, a recommender training.
        self.sync_activity = Activity("sync")
        self.scan_activity = Activity("scan")
        self.training_activity = Activity("training")
        for activity in (self.sync_activity, self.scan_activity, self.training_activity):
            self.statusBar().addPermanentWidget(activity)
        self.statusBar().addPermanentWidget(self.count_label)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        add_folder = file_menu.addAction("&Add Music Folder…")
        add_folder.triggered.connect(self._choose_folder)
        rescan = file_menu.addAction("&Rescan Library")
        rescan.triggered.connect(self.rescan_requested)
        servers = file_menu.addAction("&Servers…")
        servers.triggered.connect(self.open_servers)
        sync_now = file_menu.addAction("S&ync Servers")
        sync_now.triggered.connect(lambda: self.sync.sync_all())
        import_history = file_menu.addAction("&Import Listening History…")
        import_history.triggered.connect(self._choose_history_files)
        cache = file_menu.addAction("&Cache && Prefetch…")
        cache.triggered.connect(self.open_cache_settings)
        self.offline_playlists = file_menu.addMenu("Keep &Playlist Offline")
        self.offline_playlists.aboutToShow.connect(self._fill_offline_playlists)
        file_menu.addSeparator()
        settings_action = file_menu.addAction("S&ettings…")
        # Ctrl+, everywhere (the platform's own Preferences key is empty on most Linux desktops).
        settings_action.setShortcuts([QKeySequence("Ctrl+,")] + [
            key for key in QKeySequence.keyBindings(QKeySequence.Preferences)
            if key != QKeySequence("Ctrl+,")])
        settings_action.setShortcutContext(Qt.WindowShortcut)
        settings_action.triggered.connect(self.open_settings)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)

        playback = self.menuBar().addMenu("&Playback")
        self._add_action(playback, "Play / Pause", "Space", self.play_pause)
        self._add_action(playback, "Next", "Ctrl+Right", self.player.next)
        self._add_action(playback, "Previous", "Ctrl+Left", self.player.previous)
        self._add_action(playback, "Stop", "Ctrl+.", self.player.stop)
        self._add_action(playback, "Seek Forward 5 s", "Shift+Right",
                         lambda: self.transport.seek_by(SEEK_STEP_MS))
        self._add_action(playback, "Seek Back 5 s", "Shift+Left",
                         lambda: self.transport.seek_by(-SEEK_STEP_MS))
        self._add_action(playback, "Volume Up", "Ctrl+Up",
                         lambda: self.transport.change_volume(VOLUME_STEP))
        self._add_action(playback, "Volume Down", "Ctrl+Down",
                         lambda: self.transport.change_volume(-VOLUME_STEP))
        self._add_action(playback, "Mute / Unmute", "Ctrl+M", self.transport.toggle_mute)
        playback.addSeparator()
        sound = playback.addAction("&Sound (Equaliser, ReplayGain)…")
        sound.triggered.connect(self.open_sound_settings)
        for key, handler in ((Qt.Key_MediaPlay, self.play_pause),
                             (Qt.Key_MediaTogglePlayPause, self.play_pause),
                             (Qt.Key_MediaNext, self.player.next),
                             (Qt.Key_MediaPrevious, self.player.previous)):
            QShortcut(QKeySequence(key), self, activated=handler)
        QShortcut(QKeySequence.Find, self, activated=self.focus_search)

        go = self.menuBar().addMenu("&Go")
        self._add_action(go, "Back", "Alt+Left", self.go_back)
        self._add_action(go, "Forward", "Alt+Right", self.go_forward)
        self._add_action(go, "Now Playing, Full Window", "Ctrl+Shift+N",
                         lambda: self.surfaces.toggle_full_window())
        self._add_action(go, "Mini Player", "Ctrl+Shift+M", lambda: self.surfaces.toggle_mini())
        # Escape: out of a search, else back to the page before (an album opened from search).
        QShortcut(QKeySequence(Qt.Key_Escape), self, activated=self.escape)

        help_menu = self.menuBar().addMenu("&Help")
        self._add_action(help_menu, "Keyboard Shortcuts", "F1", self.show_shortcuts)

    def open_settings(self):
        from ui.dialogs.settings_dialog import SettingsDialog  # noqa: PLC0415

        dialog = SettingsDialog(self)
        dialog.open()
        return dialog

    def open_sound_settings(self):
        from app.playback.vlc_engine import equalizer_presets  # noqa: PLC0415
        from ui.dialogs.sound_dialog import SoundDialog  # noqa: PLC0415

        dialog = SoundDialog(self.services, equalizer_presets(), self)
        dialog.open()
        return dialog

    def show_shortcuts(self):
        from ui.dialogs.shortcuts_dialog import ShortcutsDialog  # noqa: PLC0415

        actions = [action for menu in self.menuBar().findChildren(QMenu) for action in menu.actions()]
        dialog = ShortcutsDialog(actions, self)
        dialog.open()
        return dialog

    def _add_action(self, menu: QMenu, text: str, shortcut: str, handler) -> QAction:
        action = menu.addAction(text)
        action.setShortcut(QKeySequence(shortcut))
        # Space stays with the search box while typing (QLineEdit claims printable keys).
        action.setShortcutContext(Qt.WindowShortcut)
        action.triggered.connect(lambda: handler())
        return action

    # -- wiring -------------------------------------------------------------------------------
    def _connect(self, bridge: Bridge) -> None:
        self.handoff_bar.accepted.connect(self._take_handoff)
        self.handoff_bar.dismissed.connect(self._dismiss_handoff)
        QGuiApplication.instance().applicationStateChanged.connect(self._on_app_state)
        self.search_box.textChanged.connect(self.search.set_query)
        self.search_box.textChanged.connect(lambda _text: self.search_row.drop_pending())  # stale now
        self.search.first_page_painted.connect(self.search_row.show_for)
        self.search_box.returnPressed.connect(self.search_row.open_first)
        QShortcut(QKeySequence(Qt.Key_Down), self.search_box, activated=self.search_results.enter_from_search,
                  context=Qt.WidgetShortcut)
        self.search_results.back_to_search.connect(self.focus_search)
        self.search_row.open_requested.connect(self.open_group)
        self.search.results_ready.connect(self._show_results)
        self.search.failed.connect(self.show_message)
        self.table.doubleClicked.connect(lambda index: self.play_from_table(index.row()))
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.queue_view.doubleClicked.connect(
            lambda index: self.player.play_index(self.queue_model.queue_index(index.row())))
        self.queue_model.move_requested.connect(self.player.move)
        QShortcut(QKeySequence.Delete, self.queue_view, activated=self._remove_selected_queue_rows,
                  context=Qt.WidgetShortcut)

        self.transport.play_pause_clicked.connect(self.play_pause)
        self.transport.next_clicked.connect(self.player.next)
        self.transport.previous_clicked.connect(self.player.previous)
        self.transport.seek_requested.connect(self.player.seek)
        self.transport.volume_requested.connect(self._set_volume)
        self.transport.shuffle_toggled.connect(self.player.set_shuffle)
        self.transport.repeat_requested.connect(self.player.set_repeat)
        self.now_playing.album_requested.connect(lambda key: self.open_group("albums", key))
        self.now_playing.artist_requested.connect(lambda name: self.open_group("artists", name))
        self.now_playing.like_toggled.connect(self.set_favourite)
        self.transport.now_playing_requested.connect(self.surfaces.toggle_full_window)
        self.transport.mini_requested.connect(self.surfaces.toggle_mini)
        self.transport.queue_toggled.connect(self.choose_queue_pane)

        self.sync.progress.connect(self._sync_progress)
        self.sync.finished.connect(self._sync_done)
        self.sync.failed.connect(self._sync_done)
        self.sync.library_changed.connect(self.search.refresh)
        self.sync.library_changed.connect(lambda: self.services.loudness.poke())
        self.sync_activity.cancel_requested.connect(self.sync.cancel)

        self.for_you.play_requested.connect(
            lambda ids, start: self.player.play_tracks(ids, start, context="radio"))
        self.for_you.refresh_requested.connect(self.recommend.refresh)
        self.side_tabs.currentChanged.connect(self._on_side_tab)
        self.nav.currentRowChanged.connect(self.show_page)
        self.nav_bar.back_clicked.connect(self.go_back)
        self.nav_bar.forward_clicked.connect(self.go_forward)
        self.recommend.recommendations_ready.connect(self.for_you.show_recommendations)
        self.recommend.radio_ready.connect(self._play_radio)
        self.recommend.message.connect(self.show_message)
        bridge.recommendations_updated.connect(self._on_recommendations_updated)
        bridge.recommender_problem.connect(self.show_message)
        bridge.training_started.connect(
            lambda: self.training_activity.show_text("Learning your taste…"))
        bridge.recommendations_updated.connect(self.training_activity.finish)
        bridge.recommender_problem.connect(self.training_activity.finish)
        self.training_activity.cancel_requested.connect(
            lambda: self.services.training.cancel())

        bridge.cache_progress.connect(self._on_cache_progress)
        bridge.server_unreachable.connect(self._on_server_unreachable)
        bridge.state_changed.connect(self._on_state)
        bridge.track_started.connect(self._on_track_started)
        bridge.position_changed.connect(self.transport.show_position)
        bridge.position_changed.connect(self.lyrics_view.follow_position)  # a QObject's slot: queued
        bridge.queue_changed.connect(self._on_queue)
        bridge.transition_planned.connect(
            lambda e: self.queue_model.set_next_transition(e.track_id, e.why))
        bridge.playback_failed.connect(self.show_message)
        bridge.volume_changed.connect(self.transport.show_volume)

    # -- actions ------------------------------------------------------------------------------
    def open_group(self, kind: str, key: str) -> None:
        """Show an artist's or album's page, that group selected."""
        row = [page_kind for _, page_kind in PAGES].index(kind)
        self.nav.setCurrentRow(row)
        self.views[kind].select_key(key)

    def focus_search(self) -> None:
        self.nav.setCurrentRow(SONGS_ROW)
        self.search_box.setFocus(Qt.ShortcutFocusReason)
        self.search_box.selectAll()

    def play_pause(self) -> None:
        if self.queue_length == 0 and self.library_model.rowCount():
            current = self.table.currentIndex()
            self.play_from_table(current.row() if current.isValid() else 0)
        else:
            self.player.toggle()

    def play_from_table(self, row: int) -> None:
        ids = list(self.library_model.ids)
        if ids:
            context = "search" if self.search.query.strip() else "library"
            self.player.play_tracks(ids, start_index=row, context=context)

    def _selected_table_ids(self) -> list[int]:
        return selected_ids(self.table, self.library_model)

    def _table_menu(self, position) -> None:
        self.track_menu(self.table, self.library_model, position,
                        play=lambda row: self.play_from_table(row)).exec(
            self.table.viewport().mapToGlobal(position))

    def track_menu(self, table, model, position, play) -> QMenu:
        return track_menu(self, table, model, position, play)

    def add_to_playlist(self, playlist_id: int, ids: list[int], name: str = "the playlist") -> None:
        add_to_playlist(self, playlist_id, ids, name)

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def handle_launch_request(self, request: dict) -> None:
        """A second launch of Prelude: show this window; `play QUERY` adds the matches."""
        self.bring_to_front()
        if request.get("action") == "enqueue" and isinstance(request.get("query"), str):
            query, limit = request["query"], request.get("limit")
            limit = limit if isinstance(limit, int) and limit > 0 else None

            def enqueue(ids):
                if not ids:
                    self.show_message(f"No tracks match “{query}”.")
                    return
                if self.queue_length:
                    self.player.append(ids)
                    self.show_message(f"Added {len(ids)} tracks to the queue.")
                else:
                    self.player.play_tracks(ids, context="search")

            run_task(lambda: self.services.tracks.ordered_ids(query, limit=limit), on_done=enqueue,
                     on_error=lambda error: self.show_message(f"Could not search: {error}"), owner=self)

    def go_back(self) -> bool:
        """Out of a page opened within this one (an album from the grid), else the page shown
        before this one; False when there is none."""
        view = self.pages.currentWidget()
        if getattr(view, "go_back", None) is not None and view.go_back():  # a browse page
            return True
        return self.history.step(self._show_row, back=True)

    def fit_side_pane(self) -> None:
        """The queue pane: as the listener chose with the queue button, else shown where the
        window is wide enough to spare it; never beside the full-window player."""
        wide = self.width() >= QUEUE_PANE_MIN_WINDOW_PX
        shown = (self.queue_choice if self.queue_choice is not None else wide) and (
            self.pages.currentWidget() is not self.surfaces.view)
        self.side_pane.setVisible(shown)
        self.transport.show_queue_pane(shown)

    def choose_queue_pane(self, shown: bool) -> None:
        self.queue_choice = shown
        self.fit_side_pane()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self.fit_side_pane()

    def show_back_state(self) -> None:
        """Back's state; and the queue pane steps aside while the full-window player shows."""
        view = self.pages.currentWidget()
        self.fit_side_pane()
        inner = getattr(view, "in_page", None) is not None and view.in_page()
        self.nav_bar.show_history(self.history, inner_page=inner)

    def go_forward(self) -> bool:
        return self.history.step(self._show_row, back=False)

    def _show_row(self, row: int) -> None:
        if row == NOW_PLAYING_ROW:
            self.show_now_playing()
        else:
            self.nav.setCurrentRow(row)

    def show_now_playing(self) -> None:
        """The full-window player, in place of the pages (not a row of the side column)."""
        self.history.visit(NOW_PLAYING_ROW)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(-1)
        self.nav.blockSignals(False)
        self.pages.setCurrentWidget(self.surfaces.full_view())
        self.show_back_state()

    def escape(self) -> None:
        if self.search_box.text() and (self.search_box.hasFocus() or self.history.current == SONGS_ROW):
            self.search_box.clear()  # the whole library again, and the results hidden
            self.table.setFocus(Qt.ShortcutFocusReason)
        elif self.go_back() and self.history.current == SONGS_ROW and self.search_box.text():
            self.search_box.setFocus(Qt.ShortcutFocusReason)  # back to the search it came from

    def show_page(self, row: int) -> None:
        """Songs, or a browse page (made the first time, refreshed each time it is shown)."""
        if row < 0:
            return  # no row: the full-window player is shown
        self.history.visit(row)
        kind = PAGES[row][1] if 0 <= row < len(PAGES) else None
        if kind is None:
            self.pages.setCurrentIndex(0)
        else:
            if kind not in self.views:
                from ui.controllers.page_factory import make_page  # noqa: PLC0415 - not before it is needed

                self.views[kind] = make_page(self, kind)
                self.pages.addWidget(self.views[kind])
            self.pages.setCurrentWidget(self.views[kind])
            self.views[kind].refresh()
        self.show_back_state()

    def artist_radio(self, artist: str) -> None:
        tracks = self.services.tracks  # a search: in a worker, like every other

        def start(ids: list[int]) -> None:
            if ids:
                self.recommend.start_radio(ids[0], by_artist=True)

        run_task(lambda: tracks.ordered_ids(artist, limit=1), on_done=start, owner=self)

    def _on_side_tab(self, index: int) -> None:
        if self.side_tabs.widget(index) is self.for_you:
            self.recommend.refresh()

    def _on_recommendations_updated(self) -> None:
        if self.side_tabs.currentWidget() is self.for_you:
            self.recommend.refresh()

    def _play_radio(self, track_ids: list, label: str, reasons: dict) -> None:
        if not track_ids:
            self.show_message(f"{label[:1].upper()}{label[1:]}: nothing similar in the library yet.")
            return
        current = self.queue_model.current_row  # rows are in the order of play
        upcoming = self.queue_length - (current + 1 if current is not None else 0)
        if upcoming <= 0:
            self._start_radio(track_ids, label, reasons, replace=True)
            return
        # Songs the listener lined up are never thrown away without asking.
        box = QMessageBox(QMessageBox.Question, "Start Radio",
                          f"{count_text(upcoming, 'song')} still to come in the queue. Replace "
                          f"them with {label}, or add the radio after them?", parent=self)
        replace = box.addButton("Replace Queue", QMessageBox.AcceptRole)
        add = box.addButton("Add to Queue", QMessageBox.ActionRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(replace)

        def chosen(_result) -> None:
            if box.clickedButton() in (replace, add):
                self._start_radio(track_ids, label, reasons, replace=box.clickedButton() is replace)

        box.finished.connect(chosen)
        self.radio_question = box  # kept (and reachable from tests) while it is open
        box.open()

    def _start_radio(self, track_ids: list, label: str, reasons: dict, replace: bool) -> None:
        sounding = sum(1 for why in reasons.values() if why.startswith("Sounds like"))
        alike = f", {sounding} of them chosen by how they sound" if sounding else ""
        if replace:
            self.player.play_tracks(track_ids, 0, context="radio", reasons=reasons)
            self.show_message(f"Playing {label}{alike}.")
        else:
            self.player.append(track_ids, reasons)
            self.show_message(f"Added {label} to the queue ({count_text(len(track_ids), 'song')}{alike}).")

    def _choose_history_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import Listening History", "",
            "Spotify or ListenBrainz exports (*.json *.jsonl *.zip);;All files (*)")
        if paths:
            self.recommend.import_history(paths)

    def _fill_offline_playlists(self) -> None:
        """One checkable entry per playlist and smart playlist (checked ones are kept offline),
        read in a worker."""
        from app.store.pins import Pins  # noqa: PLC0415
        from app.store.playlist_entries import playlist_names  # noqa: PLC0415
        from app.store.smart_playlists import SmartPlaylists  # noqa: PLC0415

        menu, db = self.offline_playlists, self.services.db
        menu.clear()
        menu.addAction("Reading playlists…").setEnabled(False)

        def read():
            pinned = set(Pins(db).all())
            smart = [(p.ref, p.name) for p in SmartPlaylists(db).all()]
            return pinned, playlist_names(db), smart

        def offer(kind: str, ref: int, name: str, text: str, pinned) -> None:
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked((kind, ref) in pinned)
            action.toggled.connect(lambda on: self.in_background(
                lambda: self.pin(kind, ref, on),
                f"“{name}” will be kept offline; it downloads in the background." if on
                else f"“{name}” is no longer kept offline."))

        def fill(found) -> None:
            pinned, playlists, smart = found
            menu.clear()
            if not playlists:
                menu.addAction("No playlists yet").setEnabled(False)
            for ref, name, songs in playlists:
                offer("playlist", ref, name, f"{name} ({count_text(songs, 'song')})", pinned)
            menu.addSection("Smart playlists (their songs as they change)")
            for ref, name in smart:
                offer("smart", ref, name, name, pinned)

        run_task(read, on_done=fill, on_error=lambda error: self.show_message(
            f"Could not read the playlists: {error}"), owner=menu)

    def pin(self, kind: str, ref: int, on: bool = True) -> None:
        from app.store.pins import Pins  # noqa: PLC0415

        pins = Pins(self.services.db)
        if on:
            pins.pin(kind, ref)
        else:
            pins.unpin(kind, ref)
        if self.services.prefetcher is not None:
            self.services.prefetcher.refresh_pins()

    def in_background(self, job, done_message: str, then=None) -> None:
        def done(_):
            self.show_message(done_message)
            if then is not None:
                then()

        run_task(job, on_done=done, on_error=lambda error: self.show_message(f"That did not work: {error}"),
                 owner=self)

    def set_favourite(self, track_id: int, liked: bool) -> None:
        """The like button: the song joins or leaves the favourites (and its server's, through
        the outbox); on failure the button shows the truth again."""
        def failed(error) -> None:
            self.show_message(f"Could not change favourites: {error}")
            if self.now_playing.shown_id == track_id:
                self.now_playing.show_liked(not liked)

        run_task(lambda: self.services.writeback().set_starred([track_id], liked),
                 on_done=lambda _: (self.show_message("Added to favourites." if liked
                                                      else "Removed from favourites."),
                                    self.search.refresh()),
                 on_error=failed, owner=self)

    def _remove_selected_queue_rows(self) -> None:
        entries = sorted({self.queue_model.queue_index(index.row())
                          for index in self.queue_view.selectedIndexes()}, reverse=True)
        for entry in entries:  # from the end, so earlier entries keep their numbers
            self.player.remove(entry)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add Music Folder")
        if folder:
            self.folder_add_requested.emit(folder)

    def _set_volume(self, volume: int) -> None:
        self.player.set_volume(volume)

    def _cache_state(self, track) -> str:
        entry = self.services.audio_cache.entry(track.source, track.location)
        if entry is not None and entry.complete:
            return "pinned" if entry.pinned else "cached"
        streams = self.services.streams if self.services.prefetcher is not None else None
        if streams is not None and track.source in streams.offline:
            return "unavailable offline"
        if track.id == self.downloading_id:
            return "downloading"
        return "partly" if entry is not None and entry.have > 0 else "not cached"

    def _on_cache_progress(self, track_id: int, complete: bool) -> None:
        previous = self.downloading_id
        self.downloading_id = None if complete else track_id
        self.queue_model.cache_changed(track_id)
        if previous not in (None, track_id):
            self.queue_model.cache_changed(previous)

    def _on_server_unreachable(self, message: str) -> None:
        self.show_message(message)
        self.queue_model.layoutChanged.emit()  # entries now show whether they play offline

    def open_cache_settings(self) -> None:
        from ui.dialogs.cache_dialog import CacheDialog  # noqa: PLC0415

        CacheDialog(self.services, self).exec()

    def open_servers(self) -> None:
        from ui.dialogs.servers_dialog import ServersDialog  # noqa: PLC0415

        ServersDialog(self.services, self.sync, self).exec()

    def _sync_progress(self, server: str, count: int) -> None:
        self.sync_activity.show_text(f"Syncing {server}: {count_text(count, 'song')}")

    def _sync_done(self, text: str) -> None:
        self.sync_activity.finish()
        self.show_message(text)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    # -- a queue from another device ----------------------------------------------------------
    def check_handoff(self) -> None:
        """Ask the servers (in a worker) for a queue another device saved since this one's;
        offer it in one line. Called at start and when the window comes back to the front."""
        services = self.services
        self._handoff_checked = time.monotonic()
        if not services.has_servers():
            return

        def read():
            remote = services.queue_handoff().from_elsewhere()
            if remote is None or remote.digest in self._handoff_dismissed:
                return None
            track = services.tracks.get(remote.track_ids[remote.current]) \
                if remote.current is not None else None
            return remote, track

        def checked(found) -> None:
            if found:
                self._offer_handoff(*found)
            self.handoff_checked.emit(bool(found))

        run_task(read, on_done=checked, on_error=lambda error: self.handoff_checked.emit(False),
                 owner=self)  # a server away: nothing to offer

    def _offer_handoff(self, remote, track) -> None:
        self._handoff_offered = remote
        from app.catalog.client import CLIENT_ID  # noqa: PLC0415

        who = (f"{APP_NAME} on another computer" if remote.changed_by == CLIENT_ID
               else remote.changed_by or "another device")
        what = (f"“{track.title}” at {duration_text(remote.position_ms)}" if track
                else count_text(len(remote.track_ids), "song"))
        self.handoff_bar.offer(f"Continue from {who}: {what}?")
        self.handoff_bar.setToolTip(f"The play queue saved on {remote.server} at {remote.changed}")

    def _take_handoff(self) -> None:
        remote = self._handoff_offered
        if remote is not None:
            self.player.take_queue(remote.track_ids, remote.current, remote.position_ms)

    def _dismiss_handoff(self) -> None:
        if self._handoff_offered is not None:
            self._handoff_dismissed.add(self._handoff_offered.digest)  # not offered again

    def _on_app_state(self, state) -> None:
        if state == Qt.ApplicationActive and time.monotonic() - self._handoff_checked \
                >= HANDOFF_RECHECK_S:
            self.check_handoff()

    def show_demo_banner(self, visible: bool) -> None:
        self.demo_banner.setVisible(visible)

    # -- updates ------------------------------------------------------------------------------
    def after_first_rows(self, callback) -> None:
        """Call back once the library table has painted its first answer (rows, or none)."""
        from ui.paint_watch import PaintWatch  # noqa: PLC0415

        watch = PaintWatch(self.table.viewport())
        called = []

        def once() -> None:
            if not called:
                called.append(True)
                callback()

        def shown(*_answer) -> None:
            if _answer:
                self.search.results_ready.disconnect(shown)
            watch.after_next_paint(once)
            self.table.viewport().update()  # a paint follows even if the rows were painted
            QTimer.singleShot(FIRST_ROWS_WAIT_MS, once)  # a window that starts hidden never paints

        if self._first_answer_shown:
            shown()
        else:
            self.search.results_ready.connect(shown)

    def _show_results(self, query: str, ids, first_rows: dict) -> None:
        if query != self.search.query:
            return  # an older query answered late
        self._first_answer_shown = True
        self.library_model.set_ids(ids, first_rows)
        self.library_model.set_playing(self.player.current_track.id if self.player.current_track
                                       else None)
        suffix = f" match “{query}”" if query.strip() else ""
        text = count_text(len(ids), "song") + suffix
        self.count_label.setText(self.count_label.fontMetrics().elidedText(
            text, Qt.ElideMiddle, COUNT_LABEL_PX - SPACE))
        self.count_label.setToolTip(text)

    def _on_state(self, event: PlayerStateChanged) -> None:
        self.transport.show_state(event.state)

    def _on_track_started(self, event: TrackStarted) -> None:
        track = event.track
        self.surfaces.show_track(track)
        self.library_model.set_playing(track.id)
        self._load_lyrics(track)
        self.setWindowTitle(f"{track.title} — {track.artist} · {APP_NAME}")

    def _load_lyrics(self, track) -> None:
        surfaces = self.surfaces
        surfaces.show_lyrics("Looking for lyrics…")

        def show(lyrics, track_id=track.id):
            current = self.player.current_track
            if current is None or current.id != track_id:
                return  # the listener has moved on
            surfaces.show_lyrics(lyrics if lyrics is not None else f"No lyrics for “{track.title}”.")

        run_task(lambda: self.services.lyrics_for(track), on_done=show,
                 on_error=lambda error: surfaces.show_lyrics(f"Lyrics unavailable: {error}"), owner=self)

    def _on_queue(self, event: QueueChanged) -> None:
        self.queue_length = len(event.track_ids)
        self.queue_model.set_queue(event.track_ids, event.current_index, event.play_order,
                                   event.reasons)
        if self.queue_model.current_row is not None:  # the song playing stays in view
            self.queue_view.scrollTo(self.queue_model.index(self.queue_model.current_row),
                                     QAbstractItemView.PositionAtTop)
        self.transport.show_modes(event.shuffle, RepeatMode(event.repeat))
        current = self.player.current_track
        idle = self.player.state in (EngineState.IDLE, EngineState.EMPTY)
        if event.current_index is None or (idle and self.now_playing.shown_id != (
                current.id if current is not None else None)):
            # Nothing plays (a queue restored at start-up): show its current track. While
            # playing, the header follows what is heard (TrackStarted), not the queue.
            self.surfaces.show_track(current)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.save_layout()
        super().closeEvent(event)

    def save_layout(self) -> None:
        """Size, the library/queue split, column widths and the side tab survive a restart
        (the queue and its position are kept by the player in the database)."""
        state = self.window_state
        self.side_pane.setVisible(True)  # saved shown: its width is what is kept
        state.setValue("window/geometry", self.saveGeometry())
        state.setValue("window/splitter", self.splitter.saveState())
        state.setValue("window/columns", self.table.horizontalHeader().saveState())
        state.setValue("window/side_tab", self.side_tabs.currentIndex())
        state.setValue("window/queue_pane", "" if self.queue_choice is None else str(self.queue_choice))
        state.sync()

    def restore_geometry(self) -> None:
        state = self.window_state
        if (geometry := state.value("window/geometry")) is not None:
            self.restoreGeometry(geometry)
        if (splitter := state.value("window/splitter")) is not None:
            self.splitter.restoreState(splitter)
        if (columns := state.value("window/columns")) is not None:
            self.table.restore_columns(columns)
        choice = state.value("window/queue_pane")
        self.queue_choice = {"True": True, "False": False}.get(str(choice))
        self.fit_side_pane()
        tab = state.value("window/side_tab")
        if tab is not None and str(tab).isdigit():
            self.side_tabs.setCurrentIndex(int(tab))

