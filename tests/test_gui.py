"""The window, offscreen, driving real widgets over a real library and real libvlc."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from app.models import TrackTags
from app.playback.engine import EngineState
from app.playback.vlc_engine import VlcEngine
from app.settings import CACHE_CAP_BYTES, PIN_BUDGET_BYTES
from app.store.tracks import TrackStore
from tests.gui_window import library_window
from ui.controllers.search_controller import FIRST_PAGE, FIRST_SCREEN
from ui.main import build_window
from ui.models.track_rows import TrackRows

WAIT_MS = 30_000


@pytest.fixture
def window(qtbot, services, tone_library):
    with library_window(qtbot, services, tone_library, VlcEngine(audio_output="none")) as win:
        yield win


def _row_point(table, row: int) -> QPoint:
    return table.visualRect(table.model().index(row, 0)).center()


def test_window_opens_on_the_library(window):
    assert window.windowTitle() == "Prelude"
    titles = {window.library_model.index(r, 0).data() for r in range(6)}
    assert titles == {"Opening", "Second Song", "Third Song", "Night Walk", "Dawn", "Tide"}
    assert window.count_label.text() == "6 songs"


def test_search_as_you_type_filters_the_table(window, qtbot):
    qtbot.keyClicks(window.search_box, "bet")
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 3, timeout=WAIT_MS)
    assert {window.library_model.index(r, 1).data() for r in range(3)} == {"Beta Ensemble"}
    qtbot.keyClicks(window.search_box, "a da")
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 1, timeout=WAIT_MS)
    assert window.library_model.index(0, 0).data() == "Dawn"
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 6, timeout=WAIT_MS)


def test_background_work_reuses_each_threads_database_connection(window, qtbot, services):
    """Qt's pool threads run each task under a new Python thread state: connections kept in a
    thread-local were opened anew for every task (a keystroke's search, its grouped results)
    and never closed, two file descriptors each, until the process had none left."""
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool.globalInstance()
    for _ in range(15):
        qtbot.keyClicks(window.search_box, "bet")
        qtbot.waitUntil(lambda: window.library_model.rowCount() == 3, timeout=WAIT_MS)
        window.search_box.clear()
        qtbot.waitUntil(lambda: window.library_model.rowCount() == 6, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=WAIT_MS)
    # 90 keystrokes' work: at most one connection per thread that ever asked for one
    assert services.db.open_connections <= pool.maxThreadCount() + 8


def test_the_first_screenful_read_with_a_search_is_painted_without_reading_the_store(services):
    """A search reads only the rows on screen with its ids (the keystroke's cost); a row past
    them is read, with the rest of its page, when it is first wanted."""
    services.tracks.save_tags([TrackTags(location=f"/rows/{n:03}.flac", title=f"Song {n:03}",
                                         artist="Rows", album="Many") for n in range(300)])
    reads = []

    class CountingStore(TrackStore):
        def get_many(self, ids):
            reads.append(len(ids))
            return super().get_many(ids)

    store = CountingStore(services.db)
    ids = store.ordered_ids("song", limit=FIRST_PAGE)
    rows = TrackRows(store)
    rows.set_ids(ids, {t.id: t for t in services.tracks.get_many(ids[:FIRST_SCREEN])})
    assert [rows.track_at(r).title for r in range(FIRST_SCREEN)] == [
        f"Song {n:03}" for n in range(FIRST_SCREEN)]
    assert reads == []
    assert rows.track_at(FIRST_SCREEN + 10).title == f"Song {FIRST_SCREEN + 10:03}"
    assert reads == [FIRST_PAGE]
    assert rows.track_at(3).title == "Song 003" and reads == [FIRST_PAGE]


def test_double_click_plays_and_the_queue_advances(window, qtbot):
    table = window.table
    ids = list(window.library_model.ids)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=_row_point(table, 4))
        qtbot.mouseDClick(table.viewport(), Qt.LeftButton, pos=_row_point(table, 4))
    assert started.args[0].track.id == ids[4]
    assert window.queue_model.rowCount() == 6
    assert window.now_playing.title_text() == started.args[0].track.title
    # The 1.5 s track ends and the next one starts on its own.
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as following:
        pass
    assert following.args[0].track.id == ids[5]
    qtbot.waitUntil(lambda: window.queue_model.current_row == 5, timeout=WAIT_MS)  # queued after


def test_space_toggles_play_and_ctrl_f_focuses_search(window, qtbot):
    window.table.setFocus()
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        qtbot.keyClick(window.table, Qt.Key_Space)
    qtbot.waitUntil(lambda: window.player.state == EngineState.PLAYING, timeout=WAIT_MS)
    qtbot.keyClick(window.table, Qt.Key_Space)
    qtbot.waitUntil(lambda: window.player.state == EngineState.PAUSED, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    qtbot.waitUntil(window.search_box.hasFocus, timeout=WAIT_MS)
    qtbot.keyClicks(window.search_box, "a b")  # a space typed into search is text, not Play
    assert window.search_box.text() == "a b"
    assert window.player.state == EngineState.PAUSED


def test_playback_errors_show_as_a_message(window, qtbot, tone_library):
    window.services.db.conn.execute("UPDATE tracks SET location = location || '.gone' "
                                    "WHERE title = 'Dawn'")
    dawn = window.services.tracks.ordered_ids("dawn")
    with qtbot.waitSignal(window.bridge.playback_failed, timeout=WAIT_MS):
        window.player.play_tracks(dawn)
    qtbot.waitUntil(lambda: "Could not play" in window.statusBar().currentMessage(),
                    timeout=WAIT_MS)
    assert "File not found" in window.statusBar().currentMessage()


def test_the_gui_thread_keeps_running_during_a_scan(window, qtbot, tmp_path):
    """A rescan of 400 files runs on the pool; the event loop never stalls for long."""
    import shutil

    from tests.audio import make_tone
    from tests.stalls import StallMeter

    source = make_tone(tmp_path / "src.mp3", 440, 0.5, title="x")
    for n in range(400):
        target = tmp_path / "many" / f"{n // 20}" / f"{n:03d}.mp3"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    meter = StallMeter()
    meter.start()
    window.folder_add_requested.emit(str(tmp_path / "many"))
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 406, timeout=WAIT_MS)
    meter.stop()
    assert len(meter.gaps) > 10
    assert meter.longest < 0.1, f"longest stall {meter.longest * 1000:.0f} ms"


def test_servers_dialog_tests_adds_and_syncs_a_server(window, qtbot, subsonic):
    from app.bench.supysonic_server import PASSWORD, USER
    from ui.dialogs.servers_dialog import ServersDialog

    dialog = ServersDialog(window.services, window.sync, window)
    qtbot.addWidget(dialog)
    dialog.name.setText("home")
    dialog.url.setText(subsonic.url)
    dialog.user.setText(USER)
    dialog.password.setText("wrong")
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("⚠"), timeout=WAIT_MS)
    assert "Wrong username or password" in dialog.status.text()
    dialog.password.setText(PASSWORD)
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("✓"), timeout=WAIT_MS)
    assert "API 1.12.0" in dialog.status.text()
    with qtbot.waitSignal(window.sync.finished, timeout=WAIT_MS) as synced:
        dialog.add_server()
    assert "home: 4 songs" in synced.args[0]
    assert dialog.server_list.count() == 1
    # Remote tracks sit beside local ones in the table, with their source.
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 10, timeout=WAIT_MS)
    sources = {window.library_model.index(r, 7).data() for r in range(10)}
    assert sources == {"Local", "home"}


def test_the_queue_shows_cache_state_and_the_cache_settings_apply(window, qtbot, subsonic):
    from PySide6.QtCore import Qt as QtCore_Qt

    from app.bench.supysonic_server import PASSWORD, USER
    from app.catalog.servers import ServerConfig
    from ui.dialogs.cache_dialog import CacheDialog

    services = window.services
    services.servers.save(ServerConfig("home", subsonic.url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for("home"))
    from app.streaming.prefetcher import Prefetcher
    prefetcher = services.prefetcher = Prefetcher(services.audio_cache, services.tracks,
                                                  services.client_for, services.bus.publish)
    ids = [t.id for t in services.tracks.search("gamma")]
    window.queue_model.set_queue(ids, None)
    with qtbot.waitSignal(window.bridge.cache_progress, timeout=WAIT_MS,
                          check_params_cb=lambda track_id, complete: complete):
        prefetcher.set_plan(ids[:1])
    assert prefetcher.wait_idle(WAIT_MS / 1000)
    texts = [window.queue_model.index(r).data(QtCore_Qt.AccessibleTextRole) for r in range(3)]
    assert texts[0].endswith(", cached") and texts[2].endswith(", not cached")

    dialog = CacheDialog(services, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "in 1 tracks" in dialog.usage.text(), timeout=WAIT_MS)
    assert dialog.offline_gb.value() == 20  # the default budget for pinned music
    dialog.size_gb.setValue(5)
    dialog.depth.setValue(5)
    dialog.offline_gb.setValue(7)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.save()
    assert services.settings.read(CACHE_CAP_BYTES) == 5 * 1024**3
    assert services.audio_cache.cap_bytes == 5 * 1024**3 and services.player.plan_depth == 5
    assert services.settings.read(PIN_BUDGET_BYTES) == 7 * 1024**3
    prefetcher.set_plan([])
    dialog.clear()
    qtbot.waitUntil(lambda: dialog.usage.text().startswith("0 MB"), timeout=WAIT_MS)
    prefetcher.stop()


def test_a_playlist_is_kept_offline_from_the_file_menu(window, qtbot, services):
    from app.store.pins import Pins

    ids = services.tracks.ordered_ids("")
    with services.db.transaction() as conn:
        playlist = conn.execute("INSERT INTO playlists (name, created_at, modified_at) "
                                "VALUES ('Road Trip', 0, 0)").lastrowid
        conn.executemany("INSERT INTO playlist_tracks VALUES (?, ?, ?)",
                         [(playlist, n, track) for n, track in enumerate(ids[:4])])
    menu = window.offline_playlists

    def entry_when_read(text: str = "Road Trip (4 songs)"):  # read in a worker as it opens
        menu.aboutToShow.emit()
        qtbot.waitUntil(lambda: menu.actions() and menu.actions()[0].isEnabled(), timeout=WAIT_MS)
        [entry] = [action for action in menu.actions() if action.text() == text]
        return entry

    entry = entry_when_read()
    assert entry.text() == "Road Trip (4 songs)" and not entry.isChecked()
    entry.trigger()
    qtbot.waitUntil(lambda: ("playlist", playlist) in Pins(services.db).all(), timeout=WAIT_MS)
    assert Pins(services.db).track_ids() == []  # local songs are always offline: nothing to fetch
    entry = entry_when_read()
    assert entry.isChecked()
    entry.trigger()
    qtbot.waitUntil(lambda: Pins(services.db).all() == [], timeout=WAIT_MS)
    smart = entry_when_read("Forgotten favourites")  # smart playlists are offered too
    assert not smart.isChecked()
    smart.trigger()
    qtbot.waitUntil(lambda: Pins(services.db).all() == [("smart", -4)], timeout=WAIT_MS)


def test_tray_menu_drives_the_player_and_can_announce_tracks(window, qtbot, services):
    from PySide6.QtGui import QIcon

    from app.settings import NOTIFY_ON_TRACK_CHANGE
    from ui.desktop.tray import start_tray

    tray = start_tray(window, QIcon())
    actions = {a.text(): a for a in tray.contextMenu().actions() if a.text()}
    assert {"Play", "Next", "Previous", "Notify on Track Change", "Show Prelude", "Quit"} <= set(actions)
    actions["Notify on Track Change"].trigger()
    assert services.settings.read(NOTIFY_ON_TRACK_CHANGE) is True
    ids = list(window.library_model.ids)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        window.player.play_tracks(ids)
    qtbot.waitUntil(lambda: tray.play_pause_action.text() == "Pause", timeout=WAIT_MS)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        actions["Next"].trigger()
    assert started.args[0].track.id == ids[1]
    assert tray.notified[-1] == started.args[0].track.display_name
    assert started.args[0].track.title in tray.toolTip()


def test_keyboard_shortcuts_are_listed(window, qtbot):
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Play / Pause"] == "Space" and rows["Keyboard Shortcuts"] == "F1"
    assert rows["Next"] and rows["Previous"] and rows["Search"] and rows["Stop"]


def test_layout_survives_a_restart(window, qtbot, services):
    window.show()
    qtbot.waitExposed(window)
    window.resize(760, 560)  # within the offscreen screen (800 x 600)
    qtbot.waitUntil(lambda: window.width() == 760, timeout=WAIT_MS)
    assert not window.side_pane.isVisibleTo(window)  # too narrow to spare the queue pane...
    window.transport.queue_button.click()  # ...unless asked for
    assert window.side_pane.isVisibleTo(window)
    window.splitter.setSizes([460, 300])
    window.table.setColumnWidth(6, 72)  # Time: a short column keeps the width it is given
    window.side_tabs.setCurrentWidget(window.for_you)
    sizes = window.splitter.sizes()
    window.close()
    again = build_window(services)
    qtbot.addWidget(again)
    again.restore_geometry()
    again.show()
    qtbot.waitExposed(again)
    assert again.table.columnWidth(6) == 72
    left, right = again.splitter.sizes()
    assert abs(left / (left + right) - sizes[0] / sum(sizes)) < 0.02  # the same split
    assert again.side_tabs.currentWidget() is again.for_you
    assert again.side_pane.isVisibleTo(again)  # the listener's choice is kept
    assert (again.width(), again.height()) == (760, 560)
    again.bridge.detach()


def test_dragging_a_queue_entry_moves_it(window, qtbot, services):
    from PySide6.QtCore import QModelIndex, Qt

    # Waiting on the queue model (GUI thread), not on the player thread's signals.
    ids = list(window.library_model.ids)
    model = window.queue_model
    window.player.append(ids)
    qtbot.waitUntil(lambda: list(model.rows.ids) == ids, timeout=WAIT_MS)
    data = model.mimeData([model.index(0)])
    assert Qt.ItemIsDragEnabled & model.flags(model.index(0))
    assert model.dropMimeData(data, Qt.MoveAction, 3, 0, QModelIndex()) is False
    moved = [ids[1], ids[2], ids[0], ids[3], ids[4], ids[5]]
    qtbot.waitUntil(lambda: list(model.rows.ids) == moved, timeout=WAIT_MS)
    model.dropMimeData(model.mimeData([model.index(5)]), Qt.MoveAction, 0, 0, QModelIndex())
    qtbot.waitUntil(lambda: model.rows.ids[0] == ids[5], timeout=WAIT_MS)


def test_settings_folders_theme_notifications_and_autoplay(window, qtbot, services, tone_library):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from app.settings import AUTOPLAY, NOTIFY_ON_TRACK_CHANGE, THEME

    dialog = window.open_settings()
    qtbot.addWidget(dialog)
    assert [dialog.folders.item(r).text() for r in range(dialog.folders.count())] == [str(tone_library)]
    def dark() -> bool:
        return (QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
                or QGuiApplication.palette().window().color().lightness() < 128)

    def banner_lightness() -> int:  # a styled widget: its palette(...) must follow the theme
        return window.demo_banner.grab().toImage().pixelColor(3, 3).lightness()

    def icon_lightness() -> int:  # the transport's icons are drawn in the theme's text colour
        image = window.transport.next_button.icon().pixmap(20, 20).toImage()
        inked = [image.pixelColor(x, y) for x in range(image.width())
                 for y in range(image.height()) if image.pixelColor(x, y).alpha() > 200]
        return max(color.lightness() for color in inked)

    window.demo_banner.setVisible(True)
    assert banner_lightness() > 128 and icon_lightness() < 128
    dialog.theme.setCurrentText("Dark")
    assert dark()  # seen at once
    assert banner_lightness() < 128
    qtbot.waitUntil(lambda: icon_lightness() > 128, timeout=WAIT_MS)
    dialog.notify.setChecked(True)
    dialog.autoplay.setChecked(False)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.save()
    assert services.settings.read(THEME) == "dark" and services.settings.read(NOTIFY_ON_TRACK_CHANGE) is True
    assert services.settings.read(AUTOPLAY) is False and services.player.continuation is None

    again = window.open_settings()
    qtbot.addWidget(again)
    again.theme.setCurrentText("Light")
    assert not dark()
    assert banner_lightness() > 128
    again.reject()  # cancelled: the saved theme is back
    assert dark()
    again = window.open_settings()
    qtbot.addWidget(again)
    again.folders.setCurrentRow(0)
    again.remove_selected()
    qtbot.waitUntil(lambda: services.tracks.count() == 0, timeout=WAIT_MS)
    assert services.library.folders() == []
    qtbot.waitUntil(lambda: "Removed" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    from ui.theme import apply_theme

    apply_theme("system")  # the next tests start light


def test_rating_and_favourites_from_the_song_menu_show_in_the_table(window, qtbot, services):
    table, model = window.table, window.library_model
    table.selectRow(0)
    track_id = model.ids[0]
    menu = window.track_menu(table, model, table.visualRect(model.index(0, 0)).center(), play=lambda r: None)
    rate = next(a.menu() for a in menu.actions() if a.text() == "Rate")
    next(a for a in rate.actions() if a.text() == "★★★★").trigger()
    rating_column = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())].index("Rating")
    qtbot.waitUntil(lambda: model.index(0, rating_column).data() == "★★★★", timeout=WAIT_MS)
    assert services.tracks.get(track_id).rating == 4
    texts = [a.text() for a in menu.actions()]
    assert "Add to Favourites" in texts and "Remove from Favourites" not in texts
    next(a for a in menu.actions() if a.text() == "Add to Favourites").trigger()
    qtbot.waitUntil(lambda: model.index(0, rating_column).data() == "♥ ★★★★", timeout=WAIT_MS)
    table.selectRow(0)
    again = window.track_menu(table, model, table.visualRect(model.index(0, 0)).center(),
                              play=lambda r: None)
    texts = [a.text() for a in again.actions()]
    assert "Remove from Favourites" in texts and "Add to Favourites" not in texts


def test_the_seek_and_volume_bars_go_where_they_are_clicked_and_the_speaker_mutes(qtbot):
    from ui.widgets.transport import TransportBar

    bar = TransportBar()
    qtbot.addWidget(bar)
    bar.resize(900, 40)
    bar.show()
    qtbot.waitExposed(bar)
    bar.show_position(0, 200_000)
    seek = bar.seek_slider
    with qtbot.waitSignal(bar.seek_requested, timeout=WAIT_MS) as sought:
        qtbot.mouseClick(seek, Qt.LeftButton, pos=QPoint(int(seek.width() * 0.75), seek.height() // 2))
    assert abs(sought.args[0] - 150_000) < 10_000  # three quarters in, not one page step

    volume = bar.volume_slider
    with qtbot.waitSignal(bar.volume_requested, timeout=WAIT_MS) as turned:
        qtbot.mouseClick(volume, Qt.LeftButton, pos=QPoint(int(volume.width() * 0.25),
                                                             volume.height() // 2))
    assert abs(turned.args[0] - 25) < 10
    set_to = turned.args[0]
    with qtbot.waitSignal(bar.volume_requested, timeout=WAIT_MS) as muted:
        qtbot.mouseClick(bar.mute_button, Qt.LeftButton)
    assert muted.args[0] == 0 and bar.mute_button.accessibleName() == "Unmute"
    with qtbot.waitSignal(bar.volume_requested, timeout=WAIT_MS) as unmuted:
        qtbot.mouseClick(bar.mute_button, Qt.LeftButton)
    assert unmuted.args[0] == set_to and bar.mute_button.accessibleName() == "Mute"


def test_keys_seek_turn_the_volume_mute_and_open_settings(window, qtbot):
    from ui.dialogs.settings_dialog import SettingsDialog

    transport = window.transport
    transport.show_position(60_000, 200_000)
    transport.show_volume(50)
    window.table.setFocus()

    def pressed(key, modifier, signal):
        with qtbot.waitSignal(signal, timeout=WAIT_MS) as caught:
            qtbot.keyClick(window.table, key, modifier)
        return caught.args[0]

    assert pressed(Qt.Key_Right, Qt.ShiftModifier, transport.seek_requested) == 65_000
    assert pressed(Qt.Key_Left, Qt.ShiftModifier, transport.seek_requested) == 60_000
    assert pressed(Qt.Key_Up, Qt.ControlModifier, transport.volume_requested) == 55
    assert pressed(Qt.Key_M, Qt.ControlModifier, transport.volume_requested) == 0
    qtbot.keyClick(window.table, Qt.Key_Comma, Qt.ControlModifier)
    qtbot.waitUntil(lambda: any(dialog.isVisible() for dialog in window.findChildren(SettingsDialog)),
                    timeout=WAIT_MS)
    for dialog in window.findChildren(SettingsDialog):
        dialog.reject()


def test_a_failed_background_task_is_one_line_not_a_traceback(qtbot, caplog):
    """A refused server add (or any error said in words) reaches the window as its message; the
    terminal gets one line, never Python's traceback (that needs --verbose)."""
    import logging

    from app.errors import CatalogError
    from ui.workers import run_task

    def refused():
        raise CatalogError("Home (https://music.example.org) refused the login.")

    def bug():
        raise KeyError("title")

    errors = []
    caplog.set_level(logging.INFO)
    for job in (refused, bug):
        run_task(job, on_error=errors.append)
        qtbot.waitUntil(lambda job=job: len(errors) == (1 if job is refused else 2), timeout=WAIT_MS)
    assert isinstance(errors[0], CatalogError) and isinstance(errors[1], KeyError)
    shown = [record for record in caplog.records if record.levelno >= logging.INFO]
    assert [record.exc_info for record in shown] == [None, None]
    assert "refused the login" in shown[0].getMessage()
    assert "KeyError" in shown[1].getMessage()


def test_escape_leaves_the_search_and_back_returns_to_the_page_before(window, qtbot):
    from ui.main_window import PAGES, SONGS_ROW

    rows = {kind: row for row, (_, kind) in enumerate(PAGES)}
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    qtbot.keyClicks(window.search_box, "dawn")
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 1, timeout=WAIT_MS)
    qtbot.keyClick(window.search_box, Qt.Key_Escape)
    assert window.search_box.text() == ""
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 6, timeout=WAIT_MS)

    window.nav.setCurrentRow(rows["artists"])
    window.nav.setCurrentRow(rows["albums"])
    qtbot.keyClick(window, Qt.Key_Left, Qt.AltModifier)
    assert window.nav.currentRow() == rows["artists"]
    qtbot.keyClick(window, Qt.Key_Escape)
    assert window.nav.currentRow() == SONGS_ROW
    assert not window.go_back()  # where the window opened: nothing before it


def test_a_queue_restored_at_start_up_shows_its_track_in_the_header(window, qtbot):
    ids = list(window.library_model.ids)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        window.player.play_tracks(ids, start_index=2)
    window.player.stop()  # the queue stays saved, as when quitting
    qtbot.waitUntil(lambda: window.player.state != EngineState.PLAYING, timeout=WAIT_MS)
    window.now_playing.show_track(None)  # a fresh window: "Nothing playing"
    window.player.restore()  # as the app does at start-up
    title = started.args[0].track.title
    qtbot.waitUntil(lambda: window.now_playing.title_text() == title, timeout=WAIT_MS)


def test_the_playing_row_is_in_the_accent_across_and_the_previous_one_is_repainted_across(window, qtbot):
    model = window.library_model
    changes = []
    model.dataChanged.connect(lambda top, bottom, roles: changes.append((top, bottom)))
    model.set_playing(model.ids[1])
    top, bottom = changes[-1]
    assert (top.row(), top.column()) == (0, 0)
    assert (bottom.row(), bottom.column()) == (model.rowCount() - 1, model.columnCount() - 1)
    from ui.theme import colours

    accent = QColor(colours().accent)
    assert all(model.index(1, c).data(Qt.ForegroundRole) == accent for c in range(model.columnCount()))
    assert model.index(0, 0).data(Qt.ForegroundRole) is None


def test_a_server_left_unnamed_is_named_after_its_host(window, qtbot, subsonic):
    from app.bench.supysonic_server import PASSWORD, USER
    from ui.dialogs.servers_dialog import ServersDialog, _name_from

    assert _name_from("https://music.example.org:4533/") == "music.example.org"
    assert _name_from("music.example.org") == "music.example.org"
    dialog = ServersDialog(window.services, window.sync, window)
    qtbot.addWidget(dialog)
    dialog.url.setText(subsonic.url)  # the name left empty (its placeholder is not a value)
    dialog.user.setText(USER)
    dialog.password.setText(PASSWORD)
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("✓"), timeout=WAIT_MS)
    assert dialog._client().name == "127.0.0.1"


def test_with_shuffle_on_the_queue_shows_the_order_of_play(window, qtbot):
    ids = list(window.library_model.ids)
    player = window.player
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        player.play_tracks(ids, 0)
    player.pause()
    queue = player.queue
    while True:  # until the shuffled order differs from the shown one (1 time in 120 it does not)
        qtbot.mouseClick(window.transport.shuffle_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: player.call(lambda: queue.shuffle)
                        == window.transport.shuffle_button.isChecked(), timeout=WAIT_MS)
        order = player.call(queue.play_order)
        if queue.shuffle and order != sorted(order):
            break
    expected = [ids[index] for index in order]
    qtbot.waitUntil(lambda: list(window.queue_model.rows.ids) == expected, timeout=WAIT_MS)
    assert window.queue_model.current_row == 0  # the playing song first, then what follows
    # Double-clicking a row plays the song shown there.
    view = window.queue_view
    window.side_tabs.setCurrentWidget(view)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=_row_point(view, 3))
        qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=_row_point(view, 3))
    assert started.args[0].track.id == expected[3]
