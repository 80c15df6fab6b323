"""Artwork where a listener looks for it: covers beside every song in the tables (local files,
and a real server's covers fetched through the cover cache), the queue's parts captioned, a
playlist's page headed by a mosaic of its albums, and every cover and icon drawn at the pixel
ratio of a HiDPI screen."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from app.playback.vlc_engine import VlcEngine
from tests.audio import make_tone
from tests.gui_window import library_window
from tests.images import png_bytes

WAIT_MS = 30_000
RED, BLUE = (200, 40, 40), (40, 60, 200)


@pytest.fixture
def window(qtbot, services, tone_library):
    with library_window(qtbot, services, tone_library, VlcEngine(audio_output="none")) as win:
        yield win


def _reddish(colour: QColor) -> bool:
    return colour.red() > 150 and colour.green() < 90 and colour.blue() < 90


def _add_album(window, qtbot, folder, album: str, titles, colour) -> None:
    """An album of short tones with a cover of one colour, scanned into the window's library."""
    before = window.library_model.rowCount()
    where = folder / album
    for number, title in enumerate(titles, start=1):
        make_tone(where / f"{number:02d} {title}.flac", 300 + 100 * number, 1.0, title=title,
                  artist="Gamma", album=album, track=number)
    (where / "cover.png").write_bytes(png_bytes(64, 64, colour))
    window.folder_add_requested.emit(str(folder))
    qtbot.waitUntil(lambda: window.library_model.rowCount() == before + len(titles), timeout=WAIT_MS)


def _thumb_centre(table, row: int):
    from ui.models.track_table import COLUMNS
    from ui.theme.tokens import SPACE
    from ui.widgets.title_cell import THUMB_PX

    cell = table.visualRect(table.model().index(row, [n for n, _ in COLUMNS].index("Title")))
    return cell.left() + SPACE // 2 + THUMB_PX // 2, cell.center().y()


def _row_of(model, title: str) -> int:
    return next(r for r in range(model.rowCount()) if model.track_at(r).title == title)


def test_song_tables_show_each_songs_cover_beside_its_title(window, qtbot, tmp_path):
    _add_album(window, qtbot, tmp_path / "covered", "Lit", ("Spark", "Glow"), RED)
    table = window.table
    row = _row_of(window.library_model, "Spark")
    table.scrollTo(window.library_model.index(row, 0))
    centre = _thumb_centre(table, row)
    qtbot.waitUntil(lambda: _reddish(table.viewport().grab().toImage().pixelColor(*centre)),
                    timeout=WAIT_MS)
    # a song without a cover keeps a quiet placeholder, never another song's cover
    bare = next(r for r in range(window.library_model.rowCount())
                if not window.library_model.track_at(r).cover_path)
    table.scrollTo(window.library_model.index(bare, 0))
    assert not _reddish(table.viewport().grab().toImage().pixelColor(*_thumb_centre(table, bare)))


def test_a_servers_songs_show_its_cover_fetched_once_through_the_cover_cache(window, qtbot, subsonic):
    from app.bench.supysonic_server import PASSWORD, USER
    from app.catalog.cover_cache import CoverCache
    from app.catalog.servers import ServerConfig

    services = window.services
    services.servers.save(ServerConfig("home", subsonic.url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for("home"))
    window.search.refresh()
    model, table = window.library_model, window.table
    qtbot.waitUntil(lambda: any(model.track_at(r).title == "Remote One" for r in range(model.rowCount())),
                    timeout=WAIT_MS)
    row = _row_of(model, "Remote One")
    table.scrollTo(model.index(row, 0))
    centre = _thumb_centre(table, row)
    qtbot.waitUntil(lambda: _reddish(table.viewport().grab().toImage().pixelColor(*centre)),
                    timeout=WAIT_MS)  # the fixture server's cover for "Far Away" is red
    track = model.track_at(row)
    assert CoverCache(services.profile.server_covers_dir).cached("home", track.cover_path) is not None


def test_the_queue_says_what_played_what_plays_now_and_what_is_next(window, qtbot, tmp_path):
    from ui.models.roles import SECTION
    from ui.widgets.two_line_delegate import CAPTION_PX, ROW_PX

    _add_album(window, qtbot, tmp_path / "covered", "Lit", ("Spark", "Glow", "Ember", "Ash"), RED)
    lit = [t.id for t in window.services.tracks.search("") if t.album == "Lit"]
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        window.player.play_tracks(lit, start_index=1)
    model, view = window.queue_model, window.queue_view
    qtbot.waitUntil(lambda: model.current_row == 1, timeout=WAIT_MS)
    assert [model.index(r).data(SECTION) for r in range(4)] == ["Played", "Now playing", "Next up", None]
    window.choose_queue_pane(True)
    window.side_tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.visualRect(model.index(3)).height() > 0, timeout=WAIT_MS)
    assert view.visualRect(model.index(2)).height() == ROW_PX + CAPTION_PX
    assert view.visualRect(model.index(3)).height() == ROW_PX
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        window.player.next()  # the parts move with the song playing
    qtbot.waitUntil(lambda: model.index(2).data(SECTION) == "Now playing", timeout=WAIT_MS)
    assert model.index(3).data(SECTION) == "Next up" and model.index(1).data(SECTION) is None


def test_a_playlist_page_is_headed_by_a_mosaic_of_its_albums(window, qtbot, tmp_path):
    from ui.views.browse_view import page_details
    from ui.widgets.group_header import ART

    colours = (RED, BLUE, (40, 200, 40), (220, 220, 40))
    for n, colour in enumerate(colours):
        _add_album(window, qtbot, tmp_path / f"set{n}", f"Album {n}", (f"Song {n}",), colour)
    services = window.services
    songs = sorted((t for t in services.tracks.search("") if t.album.startswith("Album ")),
                   key=lambda t: t.album)
    ids = [t.id for t in songs]
    _details, artwork = page_details(services, ids, None)
    assert artwork is not None and artwork.width() == ART * 2
    quarter = ART // 2
    corners = [artwork.pixelColor(x, y) for y in (quarter, ART + quarter) for x in (quarter, ART + quarter)]
    assert [(c.red(), c.green(), c.blue()) for c in corners] == list(colours)
    # an album's page keeps its own cover, whole
    _details, single = page_details(services, ids[:1], None)
    assert single.pixelColor(ART, ART).red() == RED[0] and single.pixelColor(10, 10).red() == RED[0]


def test_covers_and_icons_are_drawn_for_a_pixel_ratio_of_two(window, qtbot, tmp_path):
    """Crisp at DPR 2: drawn with twice the pixels, never a 1x picture stretched."""
    from PySide6.QtCore import QSize, Qt

    from ui.theme.icons import icon
    from ui.widgets.cover_images import fitted_pixmap, read_covers
    from ui.widgets.thumbnails import shared_thumbnails
    from ui.widgets.title_cell import THUMB_PX

    sharp = icon("shuffle", "#202020").pixmap(QSize(20, 20), 2.0)
    assert (sharp.width(), sharp.height(), sharp.devicePixelRatio()) == (40, 40, 2.0)
    stretched = icon("shuffle", "#202020").pixmap(QSize(20, 20), 1.0).scaled(40, 40, Qt.IgnoreAspectRatio,
                                                                          Qt.FastTransformation)
    assert sharp.toImage().convertToFormat(stretched.toImage().format()) != stretched.toImage()

    cover = tmp_path / "cover.png"
    cover.write_bytes(png_bytes(600, 600, RED))
    thumbnails = shared_thumbnails(THUMB_PX)
    qtbot.waitUntil(lambda: thumbnails.get(str(cover)) is not None, timeout=WAIT_MS)
    thumb = thumbnails.get(str(cover))
    assert (thumb.width(), thumb.devicePixelRatio()) == (THUMB_PX * 2, 2.0)
    bar_cover = fitted_pixmap(read_covers({0: str(cover)}, 56)[0], 56, 2.0)
    assert (bar_cover.width(), bar_cover.deviceIndependentSize().width()) == (112, 56)


def test_search_shows_the_artists_and_albums_it_finds_with_their_covers(window, qtbot, tmp_path):
    from ui.models.roles import COVER_PATH, ROUND_COVER

    _add_album(window, qtbot, tmp_path / "covered", "Lit", ("Spark", "Glow"), RED)
    results = window.search_results
    window.search_box.setText("gamma")
    qtbot.waitUntil(lambda: results.isVisible() and results.count() > 2, timeout=WAIT_MS)
    covers = {results.item(r).text().strip(): results.item(r).data(COVER_PATH)
              for r in range(results.count())}
    cover = str(tmp_path / "covered" / "Lit" / "cover.png")
    assert covers["Gamma"] == cover and covers["Lit — Gamma"] == cover
    rounds = {results.item(r).text().strip(): results.item(r).data(ROUND_COVER)
              for r in range(results.count())}
    assert rounds["Gamma"] is True and rounds["Lit — Gamma"] is False  # an artist in a circle
