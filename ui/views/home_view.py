"""Home: a banner with one album (the one playing, to continue; else the newest), then rows
of covers to start from: For you (each with its reason); Recently played; Recently added
(called "Start here" on a first run, when there is nothing else); radio stations from the
artists listened to most. Rows with nothing in them are not shown. Everything is read in a
worker (app/library/home_feed.py) each time the page shows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from app.library.home_feed import HomeFeed, load_featured, load_home
from app.playback.engine import EngineState
from ui.theme.apply import style_sheet
from ui.theme.sheets import thin_scrollbars
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.card_row import CardRow, ShelfHeading
from ui.widgets.cover_images import read_covers
from ui.widgets.hero_banner import COVER_PX, HeroBanner
from ui.workers import run_task


class HomeView(QScrollArea):
    play_requested = Signal(list, int, str)  # track ids, start, context
    radio_requested = Signal(str)  # an artist
    resume_requested = Signal()
    album_requested = Signal(str)  # an album's key

    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.NoFrame)
        thin_scrollbars(self)
        page = QWidget()
        self.setWidget(page)
        self.hero = HeroBanner()
        self.hero.setVisible(False)  # until the feed is read: never an empty banner
        self.hero.play_clicked.connect(self._play_featured)
        self.hero.open_clicked.connect(self._open_featured)
        self._featured = None
        self._cover_shown: str | None = ""  # the banner's cover file ("" before the first)
        self.note = QLabel(wordWrap=True)
        self.note.setVisible(False)
        style_sheet(self.note, lambda c: f"padding: {SPACE}px; background: {c.raised}; color: {c.text};"
                    f" border-radius: {COVER_RADIUS}px;")

        self.for_you = CardRow("For you")
        self.recent = CardRow("Recently played")
        self.added = CardRow("Recently added")
        self.stations = CardRow("Radio stations")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(SPACE * 3, SPACE * 2, SPACE * 3, SPACE * 3)
        layout.setSpacing(SPACE)
        layout.addWidget(self.hero)
        layout.addWidget(self.note)
        self.headings: dict[CardRow, ShelfHeading] = {}
        for row in (self.added, self.for_you, self.recent, self.stations):
            heading = ShelfHeading(row)
            self.headings[row] = heading
            layout.addWidget(heading)
            layout.addWidget(row)
        layout.addStretch(1)
        self.for_you.itemActivated.connect(lambda item: self._play(self.for_you, item, "radio"))
        self.recent.itemActivated.connect(lambda item: self._play(self.recent, item, "library"))
        self.added.itemActivated.connect(lambda item: self.album_requested.emit(item.data(Qt.UserRole)))
        self.stations.itemActivated.connect(lambda item: self.radio_requested.emit(item.data(Qt.UserRole)))

    def refresh(self) -> None:
        services = self.services
        run_task(lambda: load_home(services), on_done=self._show, owner=self,
                 on_error=lambda error: (self.note.setText(f"Could not load Home: {error}"),
                                         self.note.setVisible(True)))

    def _show(self, feed: HomeFeed) -> None:
        self.note.setText(feed.note)
        self.note.setVisible(bool(feed.note))
        self.headings[self.added].setText("Start here" if feed.first_run else "Recently added")
        for row, cards in ((self.for_you, feed.for_you), (self.recent, feed.recent),
                           (self.added, feed.added), (self.stations, feed.stations)):
            row.show_cards([(card.key, card.title, card.subtitle, card.cover) for card in cards])
            row.setVisible(bool(cards))  # never an empty box
            self.headings[row].setVisible(bool(cards))
        self._show_featured(feed.featured)

    def song_changed(self) -> None:
        """The player moved on: the banner follows (the rows wait for the next visit)."""
        if self.isVisible():
            services = self.services
            run_task(lambda: load_featured(services), on_done=self._show_featured, owner=self,
                     on_error=lambda error: None)

    def show_playing(self, playing: bool) -> None:
        """The banner's button pauses the song it shows while it plays, and continues it."""
        if self._featured is not None and self._featured.continues:
            self.hero.set_action(*(("Pause", "pause") if playing else ("Continue", "play")))

    def _show_featured(self, featured) -> None:
        self._featured = featured
        self.hero.setVisible(featured is not None)
        if featured is None:
            return
        self.hero.show_album(featured.caption, featured.title, featured.subtitle,
                             featured.details, "Play", can_open=featured.album_key is not None)
        player = self.services.player
        self.show_playing(player is not None and player.state == EngineState.PLAYING)
        path = featured.cover
        if path == self._cover_shown:
            return  # the next song of the same album: its cover stays, without a flicker
        self._cover_shown = path
        if not path:
            self.hero.show_cover(None)
            return
        run_task(lambda: read_covers({0: path}, COVER_PX).get(0), owner=self,
                 on_done=lambda image: self._cover_shown == path and self.hero.show_cover(image),
                 on_error=lambda error: self.hero.show_cover(None))

    def _play_featured(self) -> None:
        featured = self._featured
        if featured is None:
            return
        if featured.continues:
            self.resume_requested.emit()
        elif featured.track_ids:
            self.play_requested.emit(list(featured.track_ids), 0, "library")

    def _open_featured(self) -> None:
        if self._featured is not None and self._featured.album_key is not None:
            self.album_requested.emit(self._featured.album_key)

    def _play(self, row: CardRow, item, context: str) -> None:
        ids = row.keys()
        self.play_requested.emit(ids, ids.index(item.data(Qt.UserRole)), context)
