"""The window's design language, checked where a person meets it: contrast of text and icons
in both themes (computed from the palette in use), the player bar's links and like button,
song columns that fit the window, and the screenshot tool's light and dark renders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from app.playback.vlc_engine import VlcEngine
from tests.conftest import WAIT_S
from tests.gui_window import library_window

WAIT_MS = 30_000
MIN_CONTRAST = 4.5  # WCAG AA for text; held for icons too
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def window(qtbot, services, tone_library):
    with library_window(qtbot, services, tone_library, VlcEngine(audio_output="none")) as win:
        yield win


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = channel(colour.redF()), channel(colour.greenF()), channel(colour.blueF())
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _inked(icon, background: QColor) -> QColor:
    """The most contrasting opaque pixel of an icon: its ink."""
    image = icon.pixmap(20, 20).toImage()
    pixels = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())
              if image.pixelColor(x, y).alpha() > 200]
    assert pixels, "the icon draws nothing"
    return max(pixels, key=lambda colour: contrast(colour, background))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_and_icons_contrast_at_least_4_5_to_1_in_both_themes(window, qtbot, theme):
    from ui.theme import apply_theme, colours

    apply_theme(theme)
    try:
        c = colours()
        # the new palette reaches each widget through posted events
        qtbot.waitUntil(lambda: window.palette().color(QPalette.Highlight) == QColor(c.accent),
                        timeout=WAIT_MS)
        palette = window.palette()
        pairs = {
            "text on the page": (palette.color(QPalette.Text), palette.color(QPalette.Base)),
            "window text": (palette.color(QPalette.WindowText), palette.color(QPalette.Window)),
            "button text": (palette.color(QPalette.ButtonText), palette.color(QPalette.Button)),
            "selected text": (palette.color(QPalette.HighlightedText), palette.color(QPalette.Highlight)),
            "placeholder": (palette.color(QPalette.PlaceholderText), palette.color(QPalette.Base)),
            "muted on the side column": (QColor(c.muted), QColor(c.sidebar)),
            "muted on a hovered row": (QColor(c.muted), QColor(c.raised)),
            "accent (playing row) on the page": (QColor(c.accent), QColor(c.window)),
            "accent on the player bar": (QColor(c.accent), QColor(c.sidebar)),
        }
        bar = QColor(c.sidebar)
        transport = window.transport
        for name, button in (("next", transport.next_button), ("previous", transport.previous_button),
                             ("shuffle", transport.shuffle_button), ("repeat", transport.repeat_button),
                             ("mute", transport.mute_button)):
            pairs[f"{name} icon"] = (_inked(button.icon(), bar), bar)
        pairs["play glyph on its button"] = (_inked(transport.play_button.icon(), QColor(c.text)),
                                             QColor(c.text))
        low = {name: round(contrast(*pair), 2) for name, pair in pairs.items()
               if contrast(*pair) < MIN_CONTRAST}
        assert not low, f"{theme}: below {MIN_CONTRAST}:1: {low}"
    finally:
        apply_theme("system")


def test_switching_theme_redraws_the_player_bar_icons_at_once(window):
    from ui.theme import apply_theme

    def ink_lightness() -> int:
        return _inked(window.transport.next_button.icon(), QColor("#808080")).lightness()

    apply_theme("light")
    assert ink_lightness() < 100
    apply_theme("dark")
    try:
        assert ink_lightness() > 180
        nav_icon = window.nav.item(0).icon()
        assert _inked(nav_icon, QColor("#000000")).lightness() > 100  # the side column's too
    finally:
        apply_theme("system")


def test_the_player_bar_links_to_the_album_and_artist_and_likes_the_song(window, qtbot, services):
    ids = list(window.library_model.ids)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        window.player.play_tracks(ids, start_index=0)
    track = started.args[0].track
    bar = window.now_playing
    assert bar.title_text() == track.title
    assert f'href="album:{track.album_id}"' in bar.title.text()
    bar.title.linkActivated.emit(f"album:{track.album_id}")  # what a click on the link sends
    qtbot.waitUntil(lambda: window.views.get("albums") is not None
                    and window.views["albums"].selected_key() == str(track.album_id), timeout=WAIT_MS)
    assert window.nav.currentItem().text() == "Albums"
    bar.artist.linkActivated.emit(f"artist:{track.artist}")
    qtbot.waitUntil(lambda: window.views.get("artists") is not None
                    and window.views["artists"].selected_key() == track.artist, timeout=WAIT_MS)

    assert bar.like_button.accessibleName() == "Add to Favourites"
    bar.like_button.click()
    qtbot.waitUntil(lambda: services.tracks.get(track.id).starred, timeout=WAIT_MS)
    assert bar.like_button.accessibleName() == "Remove from Favourites"
    bar.like_button.click()
    qtbot.waitUntil(lambda: not services.tracks.get(track.id).starred, timeout=WAIT_MS)


@pytest.mark.parametrize("size", [(1200, 760), (1024, 700), (1920, 1080)])
def test_song_columns_fit_the_window_and_time_always_shows(window, qtbot, size):
    from ui.models.track_table import COLUMNS

    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    table = window.table
    time_column = [name for name, _ in COLUMNS].index("Time")
    shown = [column for column in range(len(COLUMNS)) if not table.isColumnHidden(column)]
    used = sum(table.columnWidth(column) for column in shown)
    assert used <= table.viewport().width() + 1, "the columns need a horizontal scrollbar"
    assert time_column in shown and table.columnWidth(time_column) >= 50
    for column in (0, 1, 2):  # Title, Artist and Album share the spare width
        assert table.columnWidth(column) >= 100


def test_demo_covers_carry_their_title():
    import io

    from PIL import Image, ImageChops

    from app.library.demo_covers import SIZE, demo_cover

    one = Image.open(io.BytesIO(demo_cover("Late Set", "Trio", "triangle", (40, 60, 120), 1)))
    other = Image.open(io.BytesIO(demo_cover("Other Title", "Trio", "triangle", (40, 60, 120), 1)))
    assert one.size == (SIZE, SIZE)
    title_band = (0, SIZE * 3 // 4, SIZE, SIZE)  # where the title is written
    pattern_band = (0, 0, SIZE, SIZE // 2)
    assert ImageChops.difference(one.crop(title_band).convert("RGB"),
                                 other.crop(title_band).convert("RGB")).getbbox() is not None
    assert ImageChops.difference(one.crop(pattern_band).convert("RGB"),
                                 other.crop(pattern_band).convert("RGB")).getbbox() is None
    colours = one.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # a picture, not a flat square


def test_the_screenshot_tool_renders_every_view_in_the_theme_asked(tmp_path):
    done = subprocess.run([sys.executable, "-m", "ui.screenshot", str(tmp_path), "--theme", "dark",
                           "--size", "1024x700"], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    from PySide6.QtGui import QImage

    from ui.screenshot import SHOTS

    for view in SHOTS:
        image = QImage(str(tmp_path / f"{view}-dark-1024x700.png"))
        assert not image.isNull(), view
        if view not in ("settings", "mini-player", "smart-editor"):  # windows of their own size
            assert (image.width(), image.height()) == (1024, 700), view
        grid = [image.pixelColor(x * image.width() // 20, y * image.height() // 20).lightness()
                for x in range(20) for y in range(20)]
        assert sorted(grid)[len(grid) // 2] < 80, f"{view} is not dark"


def _open(window, title: str):
    titles = [window.nav.item(r).text() for r in range(window.nav.count())]
    window.nav.setCurrentRow(titles.index(title))
    return window.pages.currentWidget()


def test_back_and_forward_buttons_and_the_album_grid_opens_album_pages(window, qtbot):
    bar = window.nav_bar
    assert not bar.back.isEnabled() and not bar.forward.isEnabled()  # nowhere to go yet
    albums = _open(window, "Albums")
    qtbot.waitUntil(lambda: albums.groups_list.count() == 2, timeout=WAIT_MS)
    assert albums.stack.currentIndex() == 0  # the grid fills the page
    item = albums.groups_list.item(1)
    qtbot.mouseClick(albums.groups_list.viewport(), Qt.LeftButton,
                     pos=albums.groups_list.visualItemRect(item).center())
    qtbot.waitUntil(lambda: albums.in_page() and albums.model.rowCount() > 0, timeout=WAIT_MS)
    assert bar.back.isEnabled()
    qtbot.mouseClick(bar.back, Qt.LeftButton)  # from the album back to the grid
    assert albums.stack.currentIndex() == 0 and window.pages.currentWidget() is albums
    qtbot.mouseClick(bar.back, Qt.LeftButton)  # and back to the songs
    assert window.pages.currentIndex() == 0
    assert bar.forward.isEnabled()
    qtbot.mouseClick(bar.forward, Qt.LeftButton)
    assert window.pages.currentWidget() is albums
    assert not bar.forward.isEnabled()


def test_an_artist_page_shows_their_albums_as_covers_above_the_songs(window, qtbot):
    artists = _open(window, "Artists")
    qtbot.waitUntil(lambda: artists.groups_list.count() > 0 and artists.albums_row.count() > 0,
                    timeout=WAIT_MS)
    from app.store.browse import groups

    first = artists.albums_row.item(0)
    artist = artists.selected_key()
    by_artist = {g.key for g in groups(window.services.db, "albums") if g.subtitle.startswith(artist)}
    assert set(artists.albums_row.keys()) == by_artist
    artists.albums_row.itemActivated.emit(first)
    albums = window.views["albums"]
    qtbot.waitUntil(lambda: albums.in_page() and albums.selected_key() == first.data(Qt.UserRole),
                    timeout=WAIT_MS)
    window.go_back()  # opened from the artist: Back goes there, not to the grid
    assert window.pages.currentWidget() is artists


def test_home_on_a_first_run_starts_here_and_shows_no_empty_rows(window, qtbot):
    home = _open(window, "Home")
    qtbot.waitUntil(lambda: home.added.count() > 0, timeout=WAIT_MS)
    assert home.headings[home.added].text() == "Start here"
    for row, heading in home.headings.items():
        assert row.isVisibleTo(home) == (row.count() > 0), heading.text()
        assert heading.isVisibleTo(home) == row.isVisibleTo(home)
    assert not home.recent.isVisibleTo(home)  # nothing played yet
    key = home.added.item(0).data(Qt.UserRole)
    home.added.itemActivated.emit(home.added.item(0))  # a card opens its album
    qtbot.waitUntil(lambda: window.views.get("albums") is not None
                    and window.views["albums"].selected_key() == key, timeout=WAIT_MS)


def test_full_window_player_and_mini_player(window, qtbot):
    ids = list(window.library_model.ids)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        window.player.play_tracks(ids, start_index=1)
    track = started.args[0].track
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    view = window.surfaces.view
    assert window.pages.currentWidget() is view
    assert track.title in view.title.text() and track.artist in view.details.text()
    assert window.nav.currentRow() == -1 and window.nav_bar.back.isEnabled()
    qtbot.mouseClick(window.transport.expand_button, Qt.LeftButton)  # the same button closes it
    assert window.pages.currentIndex() == 0

    qtbot.mouseClick(window.transport.mini_button, Qt.LeftButton)
    mini = window.surfaces.mini
    qtbot.waitUntil(lambda: mini.isVisible() and not window.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: mini.title.text() == window.player.current_track.title, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: mini.progress.value() > 0, timeout=WAIT_MS)  # it follows the song
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        qtbot.mouseClick(mini.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: mini.title.text() == window.player.current_track.title, timeout=WAIT_MS)
    qtbot.mouseClick(mini.expand_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.isVisible() and not mini.isVisible(), timeout=WAIT_MS)


def test_every_control_has_an_accessible_name_and_a_tooltip(window, qtbot):
    from PySide6.QtWidgets import QAbstractSlider, QLineEdit, QScrollBar, QToolButton

    window.show()
    qtbot.waitExposed(window)
    missing, checked = [], 0
    for page in ("Songs", "Albums", "Home"):
        _open(window, page)
        for kind in (QToolButton, QAbstractSlider, QLineEdit):
            for control in window.findChildren(kind):
                if (not control.isVisible() or isinstance(control, QScrollBar)
                        or isinstance(control.parent(), (QLineEdit, QScrollBar))):
                    continue  # scroll bars and a line edit's own clear button are Qt's parts
                checked += 1
                if not control.accessibleName() or not control.toolTip():
                    missing.append(f"{page}: {control.metaObject().className()} {control.accessibleName()!r}")
    assert not missing, missing
    assert checked >= 15  # the player bar, the side column, the search box...


def test_queue_rows_show_their_cover_once_read(window, qtbot, services, tmp_path):
    from tests.audio import make_tone
    from tests.images import png_bytes
    from ui.widgets.two_line_delegate import ROW_PX, THUMB_PX

    album = tmp_path / "covered" / "Gamma" / "Lit"
    for number, title in enumerate(("Spark", "Glow"), start=1):
        make_tone(album / f"{number:02d} {title}.flac", 300 + 100 * number, 1.0, title=title,
                  artist="Gamma", album="Lit", track=number)
    (album / "cover.png").write_bytes(png_bytes(64, 64, (200, 40, 40)))  # a red cover
    window.folder_add_requested.emit(str(tmp_path / "covered"))
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 8, timeout=WAIT_MS)
    window.show()
    qtbot.waitExposed(window)
    window.choose_queue_pane(True)
    window.side_tabs.setCurrentWidget(window.queue_view)
    lit = [t.id for t in services.tracks.search("") if t.album == "Lit"]
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        window.player.play_tracks(lit, start_index=0)
    view = window.queue_view
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 2, timeout=WAIT_MS)
    row = view.visualRect(window.queue_model.index(0))
    # the box, its margin, the thumb; the row is under its "Now playing" caption
    centre = (row.left() + 2 + 8 + THUMB_PX // 2, row.bottom() - ROW_PX // 2)

    def red_at_thumb() -> bool:
        colour = view.viewport().grab().toImage().pixelColor(*centre)
        return colour.red() > 150 and colour.green() < 90 and colour.blue() < 90

    qtbot.waitUntil(red_at_thumb, timeout=WAIT_MS)


@pytest.mark.parametrize("width", [1024, 1440])
def test_the_player_bar_controls_never_overlap(window, qtbot, width):
    window.resize(width, 700)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.width() == width, timeout=WAIT_MS)
    bar = window.transport
    row = [bar.queue_button, bar.expand_button, bar.mini_button, bar.mute_button, bar.volume_slider,
           bar.volume_figure]
    for before, after in zip(row, row[1:], strict=False):  # neighbours
        assert before.geometry().right() < after.geometry().left(), (before.accessibleName(),
                                                                     after.accessibleName())
    figure = bar.volume_figure
    assert figure.width() >= figure.fontMetrics().horizontalAdvance("100")  # "100" is read whole
    assert figure.geometry().right() <= figure.parentWidget().width()


def test_accent_buttons_are_pills_not_boxes(window, qtbot):
    """Qt leaves a push button's background square when its border is none, or its radius is
    over half its height: the corners of Play (a page's header) and Play (Home's
    banner) show what is behind them (Open album beside it is an outline: nothing to fill)."""
    from ui.views.home_view import HomeView
    from ui.widgets.group_header import GroupHeader

    header = GroupHeader()
    qtbot.addWidget(header)
    header.show_group("An album", "An artist")
    home = HomeView(window.services)
    qtbot.addWidget(home)
    home.hero.show_album("Start here", "An album", "An artist", "", "Play", can_open=True)
    home.hero.setVisible(True)
    for button in (header.play, home.hero.play):
        button.window().show()
        qtbot.waitExposed(button.window())
        image = button.window().grab().toImage()  # the button over what is behind it
        where = button.mapTo(button.window(), button.rect().topLeft())
        middle = image.pixelColor(where.x() + button.width() // 2, where.y() + 3)
        corner = image.pixelColor(where.x() + 1, where.y() + 1)
        assert contrast(middle, corner) > 1.5, button.accessibleName()


def test_home_banner_features_the_newest_album_and_plays_it_then_continues(window, qtbot):
    home = _open(window, "Home")
    qtbot.waitUntil(lambda: home.hero.isVisibleTo(home), timeout=WAIT_MS)
    newest = home.added.item(0)
    assert home.hero.title.toolTip() == newest.text()  # the first of Recently added
    assert home.hero.caption.text() == "START HERE" and home.hero.play.text() == "Play"
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        home.hero.play.click()
    playing = window.player.current_track
    assert playing.album == newest.text()  # its album, from the top
    window.player.pause().result(WAIT_S)  # its songs are 1.5 s long: held where it is
    paused = window.player.current_track
    assert paused is not None and paused.album == newest.text()
    home.refresh()
    qtbot.waitUntil(lambda: home.hero.play.text() == "Continue"
                    and home.hero.title.toolTip() == paused.title, timeout=WAIT_MS)
    assert home.hero.caption.text() == "CONTINUE LISTENING"
    home.hero.open.click()  # its album's page
    qtbot.waitUntil(lambda: window.views.get("albums") is not None
                    and window.views["albums"].selected_key() == str(playing.album_id),
                    timeout=WAIT_MS)


def test_home_banner_text_reads_over_a_white_cover(qtbot):
    """The banner's text is white on the cover's colours under a shade: even a white cover
    keeps 4.5:1 where the shade is lightest."""
    from PySide6.QtGui import QImage

    from ui.widgets.hero_banner import HeroBanner

    banner = HeroBanner()
    qtbot.addWidget(banner)
    banner.resize(900, banner.height())
    banner.show_album("New in your library", "White", "Someone", "", "Play", can_open=True)
    white = QImage(64, 64, QImage.Format_RGB32)
    white.fill(QColor("white"))
    banner.show_cover(white)
    image = banner.grab().toImage()
    lightest = image.pixelColor(image.width() - 4, image.height() // 2)
    assert contrast(QColor(banner.caption.palette().windowText().color()), lightest) >= 4.5
    assert contrast(QColor("white"), lightest) >= 4.5


def test_a_row_of_cards_scrolls_by_its_arrows(qtbot):
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from ui.widgets.card_row import CardRow, ShelfHeading

    page = QWidget()
    qtbot.addWidget(page)
    row = CardRow("Recently added")
    heading = ShelfHeading(row)
    layout = QVBoxLayout(page)
    layout.addWidget(heading)
    layout.addWidget(row)
    row.show_cards([(n, f"Album {n}", "Someone", None) for n in range(20)])
    page.resize(1000, 400)
    page.show()
    qtbot.waitExposed(page)
    back, on = heading.arrows
    bar = row.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=WAIT_MS)  # more cards than fit
    assert not back.isEnabled() and on.isEnabled()
    assert not bar.isVisible()  # arrows, not a scrollbar
    on.click()
    assert bar.value() > 0 and back.isEnabled()
    for _ in range(20):
        if not on.isEnabled():
            break
        on.click()
    assert bar.value() == bar.maximum() and not on.isEnabled()
    back.click()
    assert bar.value() < bar.maximum() and on.isEnabled()
    page.resize(6000, 400)  # all of them fit: no arrows at all
    qtbot.waitUntil(lambda: not on.isVisible() and not back.isVisible(), timeout=WAIT_MS)


def test_home_banner_pauses_the_song_it_shows_and_follows_the_player(window, qtbot):
    from app.playback.engine import EngineState

    home = _open(window, "Home")
    ids = list(window.library_model.ids)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        window.player.play_tracks(ids[:2])
    qtbot.waitUntil(lambda: home.hero.title.toolTip() == window.player.current_track.title
                    and home.hero.play.text() == "Pause", timeout=WAIT_MS)
    home.hero.play.click()  # pauses, never starts it over
    qtbot.waitUntil(lambda: window.player.state == EngineState.PAUSED
                    and home.hero.play.text() == "Continue", timeout=WAIT_MS)
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        window.player.next()
    qtbot.waitUntil(lambda: home.hero.title.toolTip() == window.player.current_track.title,
                    timeout=WAIT_MS)  # the banner follows the song


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_page_header_tinted_by_its_artwork_keeps_its_text_readable(window, qtbot, theme):
    """The tint is the artwork's colours: the worst is a black cover under the light theme's
    dark text and a white one under the dark theme's light text. Even muted text keeps 4.5:1
    where the tint is strongest (at 0.32 it fell to 3.2 and 2.6)."""
    from PySide6.QtGui import QImage

    from ui.theme import apply_theme, colours
    from ui.widgets.group_header import GroupHeader

    apply_theme(theme)
    try:
        c = colours()
        header = GroupHeader()
        qtbot.addWidget(header)
        header.resize(900, 220)
        header.show_group("An album", "An artist")
        worst = QImage(32, 32, QImage.Format_RGB32)
        worst.fill(QColor("black" if theme == "light" else "white"))
        header.set_details("4 songs · 2 min", worst)
        image = header.grab().toImage()
        behind = image.pixelColor(image.width() - 6, 6)  # where the tint is strongest
        assert behind != QColor(c.window)  # tinted
        assert contrast(QColor(c.text), behind) >= 4.5
        assert contrast(QColor(c.muted), behind) >= 4.5, (c.muted, behind.name())
    finally:
        apply_theme("light")


def test_home_banner_keeps_its_cover_from_song_to_song_of_one_album(window, qtbot, tmp_path):
    """The banner follows each song; the next song of the same album keeps the cover shown
    (no placeholder in between), and a song without one shows the placeholder."""
    from app.library.home_feed import Featured
    from tests.images import png_bytes
    from ui.views.home_view import HomeView

    cover = tmp_path / "cover.png"
    cover.write_bytes(png_bytes(64, 64, (200, 40, 40)))
    home = HomeView(window.services)
    qtbot.addWidget(home)

    def song(title, path):
        return Featured("Continue listening", "1", title, "Someone · Album", "", path, (), True)

    home._show_featured(song("One", str(cover)))
    qtbot.waitUntil(lambda: home.hero.cover_shown, timeout=WAIT_MS)
    home._show_featured(song("Two", str(cover)))
    assert home.hero.cover_shown and home.hero.title.toolTip() == "Two"
    home._show_featured(song("Three", None))
    assert not home.hero.cover_shown


def test_dialogs_speak_the_window_s_language(window, qtbot):
    """Every dialog takes the shared sheet: its answer (Save) is an accent pill, its other
    buttons pills too (square Fusion boxes before)."""
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.dialogs.settings_dialog import SettingsDialog
    from ui.theme import colours

    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    box = dialog.findChild(QDialogButtonBox)
    save = box.button(QDialogButtonBox.Save)
    image = dialog.grab().toImage()
    where = save.mapTo(dialog, save.rect().topLeft())
    middle = image.pixelColor(where.x() + save.width() // 2, where.y() + save.height() // 2 - 6)
    corner = image.pixelColor(where.x() + 1, where.y() + 1)
    assert contrast(middle, QColor(colours().accent)) < 1.2  # filled with the accent
    assert contrast(middle, corner) > 1.5  # and round: the dialog shows at its corner


def test_settings_are_laid_out_in_sections_of_named_described_rows(window, qtbot):
    """Settings read as Spotify's do: sections with headings, each setting named, with a line
    on what it does, and its control at the right (one long column of bare controls before)."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

    from ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    headings = [label.text() for label in dialog.findChildren(QLabel)
                if label.accessibleName().endswith(" settings")]
    assert headings == ["Library", "Playback", "Appearance"]
    for control in dialog.findChildren(QComboBox) + dialog.findChildren(QCheckBox):
        row = control.parentWidget()
        labels = [label for label in row.findChildren(QLabel) if label.buddy() is control]
        assert labels, control.accessibleName()  # named beside it...
        assert control.toolTip()  # ...with what it does
        here = control.mapTo(row, control.rect().topRight())
        assert row.width() - here.x() < 40  # at the right of its row
    assert dialog.height() <= 700 - 40  # fits a 1024x700 screen, scrolling if it must


def test_the_servers_dialog_shows_no_empty_box_and_answers_in_the_accent(window, qtbot, services):
    from app.catalog.servers import ServerConfig
    from ui.dialogs.servers_dialog import ServersDialog
    from ui.theme import colours

    dialog = ServersDialog(services, window.sync)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.server_list.isHidden() and dialog.remove_button.isHidden()
    assert not dialog.empty_note.isHidden()  # a line instead of an empty box
    services.servers.save(ServerConfig("home", "https://music.example.org", "me", auth="token"), "pw")
    dialog.refresh()
    assert not dialog.server_list.isHidden() and dialog.empty_note.isHidden()
    assert dialog.server_list.item(0).text().startswith("home — https://music.example.org")
    image = dialog.grab().toImage()
    add = dialog.add_button
    where = add.mapTo(dialog, add.rect().center())
    assert contrast(image.pixelColor(where.x(), where.y() - 6), QColor(colours().accent)) < 1.2
