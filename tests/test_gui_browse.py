"""Browsing pages: artists, the album grid, genres, playlists (made, filled, reordered, renamed,
deleted) and favourites, over the real library and real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt

from app.playback.null_engine import NullEngine
from app.store.browse import groups, tracks_of
from tests.gui_window import library_window
from ui.models.roles import SECTION

WAIT_MS = 30_000


@pytest.fixture
def window(qtbot, services, tone_library):
    with library_window(qtbot, services, tone_library, NullEngine(speed=0.01)) as win:
        yield win


def _open(window, qtbot, title: str):
    row = [window.nav.item(r).text() for r in range(window.nav.count())].index(title)
    window.nav.setCurrentRow(row)
    view = window.pages.currentWidget()
    qtbot.waitUntil(lambda: view.groups_list.count() > 0 and view.model.rowCount() > 0, timeout=WAIT_MS)
    return view


def test_artists_page_lists_artists_and_plays_from_them(window, qtbot):
    view = _open(window, qtbot, "Artists")
    names = [view.groups_list.item(r).text().split("\n")[0] for r in range(view.groups_list.count())]
    assert names == ["Alpha Band", "Beta Ensemble"]
    assert [view.model.track_at(r).title for r in range(3)] == ["Opening", "Second Song", "Third Song"]
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        view.table.doubleClicked.emit(view.model.index(1, 0))
    assert started.args[0].track.title == "Second Song"
    assert window.player.context == "artist"


def test_album_grid_and_genres(window, qtbot, services):
    albums = _open(window, qtbot, "Albums")
    assert albums.groups_list.count() == 2 and not albums.groups_list.item(0).icon().isNull()
    albums.groups_list.setCurrentRow(1)
    qtbot.waitUntil(lambda: albums.model.track_at(0).album == "Quiet Hours", timeout=WAIT_MS)
    genres = _open(window, qtbot, "Genres")
    assert [genres.groups_list.item(r).text().split("\n")[0] for r in range(2)] == ["Jazz", "Rock"]
    assert len(tracks_of(services.db, "genres", "Jazz")) == 3


def test_an_album_page_has_its_artwork_name_contents_play_and_shuffle(window, qtbot, tmp_path):
    from tests.audio import make_tone
    from tests.images import png_bytes as _png

    album = tmp_path / "covered" / "Gamma" / "Lit"
    for number, title in enumerate(("Spark", "Glow", "Ember"), start=1):
        make_tone(album / f"{number:02d} {title}.flac", 300 + 100 * number, 1.0, title=title,
                  artist="Gamma", album="Lit", track=number)
    (album / "cover.png").write_bytes(_png(64, 64, (10, 120, 200)))  # the album's artwork
    window.folder_add_requested.emit(str(tmp_path / "covered"))
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 9, timeout=WAIT_MS)
    albums = _open(window, qtbot, "Albums")
    albums.refresh()
    qtbot.waitUntil(lambda: albums.groups_list.count() == 3, timeout=WAIT_MS)
    albums.select_key(next(g.key for g in albums._groups if g.title == "Lit"))
    header = albums.header
    qtbot.waitUntil(lambda: header.title.text() == "Lit" and header.details.text() != "",
                    timeout=WAIT_MS)
    assert header.subtitle.text().startswith("Gamma")
    assert header.details.text() == "3 songs · 3 s"  # three 1-second tones
    assert not header.art.pixmap().isNull()
    color = header.art.pixmap().toImage().pixelColor(56, 56)
    assert color.blue() > color.green() > color.red()  # its own (blue) picture, not "♪"

    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        header.play.click()
    assert started.args[0].track.title == "Spark" and window.player.context == "album"
    assert not window.player.call(lambda: window.player.queue.shuffle)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        header.shuffle.click()
    assert window.player.call(lambda: window.player.queue.shuffle)
    assert window.player.call(lambda: len(window.player.queue)) == 3


def test_playlists_are_made_filled_reordered_renamed_and_deleted(window, qtbot, services):
    titles = [window.nav.item(r).text() for r in range(window.nav.count())]
    window.nav.setCurrentRow(titles.index("Playlists"))
    view = window.pages.currentWidget()
    view.create_playlist("Road Trip")
    qtbot.waitUntil(lambda: view.groups_list.count() == 1, timeout=WAIT_MS)
    playlist = int(view.selected_key())
    ids = services.tracks.ordered_ids("")
    window.table.selectRow(0)
    menu = window.track_menu(window.table, window.library_model, QPoint(5, 5), play=lambda row: None)
    submenu = next(a.menu() for a in menu.actions() if a.text() == "Add to Playlist")
    submenu.aboutToShow.emit()  # the playlists are read in a worker as it opens
    qtbot.waitUntil(lambda: "Road Trip" in [a.text() for a in submenu.actions()], timeout=WAIT_MS)
    window.add_to_playlist(playlist, ids[:3], "Road Trip")  # what choosing it does
    qtbot.waitUntil(lambda: tracks_of(services.db, "playlists", str(playlist)) == ids[:3], timeout=WAIT_MS)
    view.refresh()
    qtbot.waitUntil(lambda: list(view.model.ids) == ids[:3], timeout=WAIT_MS)

    data = view.model.mimeData([view.model.index(0, 0)])  # drag the first song below the third
    assert Qt.ItemIsDragEnabled & view.model.flags(view.model.index(0, 0))
    view.model.dropMimeData(data, Qt.MoveAction, 3, 0, QModelIndex())
    qtbot.waitUntil(lambda: tracks_of(services.db, "playlists", str(playlist)) == [ids[1], ids[2], ids[0]],
                    timeout=WAIT_MS)
    view.rename_selected("Long Road Trip")
    qtbot.waitUntil(lambda: view.groups_list.item(0).text().startswith("Long Road Trip"), timeout=WAIT_MS)
    view.delete_selected()
    qtbot.waitUntil(lambda: groups(services.db, "playlists") == [], timeout=WAIT_MS)


def test_the_track_menu_is_the_same_everywhere(window, qtbot):
    view = _open(window, qtbot, "Artists")
    view.table.selectRow(0)
    menu = window.track_menu(view.table, view.model, view.table.visualRect(view.model.index(0, 0)).center(),
                             play=lambda row: None)
    texts = [action.text() for action in menu.actions() if action.text()]
    wanted = {"Play", "Play Next", "Add to Queue", "Add to Playlist", "Start Radio", "Add to Favourites",
              "Go to Album", "Go to Artist"}
    assert wanted <= set(texts)
    track = view.model.track_at(0)
    next(a for a in menu.actions() if a.text() == "Go to Album").trigger()
    albums = window.views["albums"]
    qtbot.waitUntil(lambda: albums.in_page() and albums.selected_key() == str(track.album_id),
                    timeout=WAIT_MS)


def test_statistics_draw_what_was_listened_to(window, qtbot, services):
    from PySide6.QtGui import QImage

    from tests.taste import listen

    ids = services.tracks.ordered_ids("")
    listen(services, [ids[:3], ids[:3], ids[:1]], skips=[ids[5]] * 2, days_ago=3)
    titles = [window.nav.item(r).text() for r in range(window.nav.count())]
    window.nav.setCurrentRow(titles.index("Statistics"))
    view = window.pages.currentWidget()
    qtbot.waitUntil(lambda: bool(view.artists.bars), timeout=WAIT_MS)
    assert view.summary.text().startswith("9 plays")
    assert view.artists.bars[0].label == "Alpha Band"  # every play in the history is by them
    assert view.tracks.bars[0].label == "Opening — Alpha Band" and view.tracks.bars[0].value == 3
    assert view.hours.bars[-1].value > 0 and len(view.hours.bars) == 12
    assert view.skips.bars[-1].value == pytest.approx(2 / 9, abs=0.01)
    image = QImage(view.hours.size(), QImage.Format_ARGB32)
    image.fill(0)
    view.hours.render(image)
    from PySide6.QtGui import QColor

    from ui.theme import colours

    highlight = QColor(colours().accent).rgb()  # the theme's accent: the bars' colour
    assert any(image.pixel(x, y) == highlight for x in range(0, image.width(), 3)
               for y in range(0, image.height(), 3))  # the bars were drawn


def test_home_shows_for_you_recent_stations_and_resume(window, qtbot, services):
    from tests.taste import listen

    ids = services.tracks.ordered_ids("")
    listen(services, [ids[:3], ids[:3], ids[3:5]], days_ago=2)
    titles = [window.nav.item(r).text() for r in range(window.nav.count())]
    window.nav.setCurrentRow(titles.index("Home"))
    home = window.pages.currentWidget()
    qtbot.waitUntil(lambda: home.recent.count() > 0, timeout=WAIT_MS)
    assert home.recent.count() == 5 and home.for_you.count() > 0
    assert home.stations.item(0).text() == "Alpha Band Radio"
    assert home.added.count() > 0 and home.headings[home.added].text() == "Recently added"
    assert home.hero.play.text() == "Play"  # nothing playing yet: the newest album, to play
    assert home.hero.caption.text() == "NEW IN YOUR LIBRARY"
    first = home.recent.item(0).data(Qt.UserRole)
    home.recent.itemActivated.emit(home.recent.item(0))
    qtbot.waitUntil(lambda: window.player.current_track is not None
                    and window.player.current_track.id == first, timeout=WAIT_MS)
    home.stations.itemActivated.emit(home.stations.item(0))  # Alpha Band Radio: Alpha Band first
    # The recent songs are still to come in the queue: the window asks before replacing them.
    qtbot.waitUntil(lambda: getattr(window, "radio_question", None) is not None
                    and window.radio_question.isVisible(), timeout=WAIT_MS)
    next(b for b in window.radio_question.buttons() if b.text() == "Replace Queue").click()
    qtbot.waitUntil(lambda: window.player.context == "radio" and window.queue_model.rowCount() >= 3,
                    timeout=WAIT_MS)


def test_search_groups_artists_albums_and_songs_and_is_keyboard_driven(window, qtbot):
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    qtbot.waitUntil(window.search_box.hasFocus, timeout=WAIT_MS)
    results = window.search_results
    qtbot.keyClicks(window.search_box, "alpha")
    qtbot.waitUntil(lambda: results.isVisible() and results.count() > 0, timeout=WAIT_MS)
    rows = [(results.item(r).data(SECTION), results.item(r).text()) for r in range(results.count())]
    assert rows[:3] == [("Artists", "Alpha Band"), ("Albums", "First Light — Alpha Band"),
                        ("Songs", "Alpha Band — Opening")]
    assert len(rows) == 2 + 3 and rows[3][0] is None  # Alpha Band's three songs, one caption
    qtbot.keyClick(window.search_box, Qt.Key_Down)  # into the results
    qtbot.waitUntil(results.hasFocus, timeout=WAIT_MS)
    assert results.currentItem().text().strip() == "Alpha Band"
    qtbot.keyClick(results, Qt.Key_Down)
    qtbot.keyClick(results, Qt.Key_Return)  # the album: its page opens with it selected
    view = window.pages.currentWidget()
    qtbot.waitUntil(lambda: view.kind == "albums" and view.model.rowCount() == 3, timeout=WAIT_MS)
    assert view.model.track_at(0).album == "First Light"
    qtbot.keyClick(results, Qt.Key_Escape)
    qtbot.waitUntil(window.search_box.hasFocus, timeout=WAIT_MS)

    window.search_box.clear()
    qtbot.keyClicks(window.search_box, "dawn")
    qtbot.waitUntil(lambda: results.isVisible() and results.item(0).data(SECTION) == "Songs"
                    and results.count() == 1, timeout=WAIT_MS)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        qtbot.keyClick(window.search_box, Qt.Key_Return)  # Enter plays the first result
    assert started.args[0].track.title == "Dawn"


def test_folders_page_browses_the_music_folders(window, qtbot, tone_library):
    view = _open(window, qtbot, "Folders")
    titles = [view.groups_list.item(r).text().split("\n")[0] for r in range(view.groups_list.count())]
    assert titles[0] == str(tone_library)
    assert [t.strip() for t in titles[1:]] == ["Alpha Band", "First Light", "Beta Ensemble", "Quiet Hours"]
    assert titles[2].startswith("        ")  # an album folder sits two levels in
    assert view.model.rowCount() == 6  # the library folder holds every song
    view.groups_list.setCurrentRow(2)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=WAIT_MS)
    assert {view.model.track_at(r).album for r in range(3)} == {"First Light"}


def test_counts_and_lengths_read_as_a_person_says_them():
    from ui.format import count_text, length_text

    assert [count_text(n, "song") for n in (0, 1, 2, 12000)] == [
        "0 songs", "1 song", "2 songs", "12,000 songs"]
    assert [length_text(ms) for ms in (0, 24_000, 59_400, 60_000, 7 * 60_000 + 20_000,
                                       65 * 60_000)] == [
        "0 s", "24 s", "59 s", "1 min", "7 min", "1 h 5 min"]


def test_smart_playlists_page_lists_them_and_the_editor_makes_one(window, qtbot, services):
    """The built-in set with its songs; the editor says what is wrong as it is typed and only
    then lets it be saved; the new one is listed with the songs its rules find, and it plays."""
    from PySide6.QtWidgets import QDialogButtonBox

    from app.store.smart_playlists import SmartPlaylists
    from ui.dialogs.smart_playlist_dialog import SmartPlaylistDialog

    view = _open(window, qtbot, "Smart Playlists")
    names = [view.groups_list.item(r).text().split("\n")[0] for r in range(view.groups_list.count())]
    assert names == ["Recently added", "Never played", "Most skipped", "Forgotten favourites"]
    assert view.model.rowCount() == 6  # Recently added: the whole tone library, scanned now

    dialog = SmartPlaylistDialog(services, parent=view)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.Save)
    dialog.name.setText("Quiet jazz")
    row = dialog.rows[0]
    row.value.setText("")
    assert not save.isEnabled()
    assert dialog.verdict.text().startswith("A rule is 'FIELD OPERATOR VALUE'")
    row.value.setText("Jazz")
    dialog._add_row("duration at_most soon")
    dialog._changed()
    assert not save.isEnabled() and "“soon” is not a length" in dialog.verdict.text()
    dialog.rows[1].value.setText("10m")
    qtbot.waitUntil(lambda: dialog.verdict.text() == "3 songs match now.", timeout=WAIT_MS)
    assert save.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        save.click()
    assert [r.text for r in SmartPlaylists(services.db).get("quiet jazz").rules] == [
        "genre is Jazz", "duration at_most 10m"]

    view._wanted = "Quiet jazz"  # as the page does after its editor saved
    view.refresh()
    qtbot.waitUntil(lambda: view.selected_key() == "Quiet jazz"
                    and view.model.rowCount() == 3, timeout=WAIT_MS)
    assert {view.model.track_at(r).album for r in range(3)} == {"Quiet Hours"}
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        view.table.doubleClicked.emit(view.model.index(0, 0))
    assert started.args[0].track.album == "Quiet Hours"


def test_an_artist_page_opens_on_their_popular_songs_and_shows_all_on_asking(window, qtbot, services):
    from app.models import AudioSource, EndReason

    third = next(t for t in services.tracks.search("Third Song"))
    for _ in range(2):  # played through twice: their most played
        play = services.history.start(third, "queue", AudioSource.LOCAL)
        services.history.finish(play, EndReason.COMPLETED, third.duration_ms or 1000)
    view = _open(window, qtbot, "Artists")
    switch = view.song_switch
    qtbot.waitUntil(lambda: not switch.isHidden(), timeout=WAIT_MS)
    assert [view.model.track_at(r).title for r in range(view.model.rowCount())] == ["Third Song"]
    assert switch.note == "by your plays" and switch.buttons["popular"].isChecked()
    assert switch.buttons["popular"].toolTip() == "Their most played songs, by your plays"
    switch.buttons["all"].click()
    assert view.model.rowCount() == len(tracks_of(services.db, "artists", "Alpha Band"))
    view.groups_list.setCurrentRow(1)  # an artist nobody played: all their songs, no tabs
    qtbot.waitUntil(lambda: switch.isHidden() and view.model.track_at(0).artist == "Beta Ensemble",
                    timeout=WAIT_MS)


def test_search_shows_its_top_result_as_a_card_that_opens_and_plays(window, qtbot):
    card = window.top_result
    window.search_box.setText("first light")  # an album's own name beats its songs'
    qtbot.waitUntil(lambda: card.isVisible() and card.kind == "album", timeout=WAIT_MS)
    assert (card.title, card.subtitle) == ("First Light", "Album · Alpha Band")
    assert card.accessibleName() and card.play.accessibleName() == "Play the album" and card.play.toolTip()
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        card.play.click()  # Play: the album from its first song
    assert (started.args[0].track.album, started.args[0].track.title) == ("First Light", "Opening")
    window.search_box.setText("second so")  # a song's title begun
    qtbot.waitUntil(lambda: card.isVisible() and card.kind == "song", timeout=WAIT_MS)
    assert (card.title, card.subtitle) == ("Second Song", "Song · Alpha Band")
    window.search_box.setText("alpha")  # an artist's name begun: the artist
    qtbot.waitUntil(lambda: card.isVisible() and card.kind == "artist", timeout=WAIT_MS)
    assert (card.title, card.subtitle) == ("Alpha Band", "Artist")
    qtbot.keyClick(window.search_box, Qt.Key_Return)  # Enter opens the top result
    qtbot.waitUntil(lambda: window.views.get("artists") is not None
                    and window.views["artists"].selected_key() == "Alpha Band", timeout=WAIT_MS)
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.search_row.isHidden(), timeout=WAIT_MS)
