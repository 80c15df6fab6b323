"""Home: rows of covers to start from. Continue where you left off; For you (each with its
reason); Recently played; Recently added (called "Start here" on a first run, when there is
nothing else); radio stations from the artists listened to most. Rows with nothing in them are
not shown. Everything is read in a worker (app/library/home_feed.py) each time the page shows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.library.home_feed import HomeFeed, load_home
from ui.theme import font_of
from ui.theme.apply import style_sheet, themed
from ui.theme.icons import icon
from ui.theme.sheets import thin_scrollbars
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.card_row import CardRow
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
        self.greeting = QLabel("Home")
        self.greeting.setFont(font_of("display", bold=True))
        self.resume = QPushButton("Nothing to continue")
        self.resume.setAccessibleName("Continue where you left off")
        self.resume.setCursor(Qt.PointingHandCursor)
        style_sheet(self.resume, lambda c: (
            # a border of its own colour: with none, Qt does not round a push button's background
            f"QPushButton {{ background: {c.accent}; color: {c.on_accent}; border: 1px solid {c.accent};"
            f" border-radius: 16px; padding: 8px 18px; font-weight: bold; }}"  # at most half its height
            f"QPushButton:disabled {{ background: {c.raised}; color: {c.muted};"
            f" border-color: {c.raised}; }}"))
        themed(self.resume, lambda button, c: button.setIcon(icon("play", c.on_accent)))
        self.resume.clicked.connect(self.resume_requested)
        self.note = QLabel(wordWrap=True)
        self.note.setVisible(False)
        style_sheet(self.note, lambda c: f"padding: {SPACE}px; background: {c.raised}; color: {c.text};"
                    f" border-radius: {COVER_RADIUS}px;")
        top = QHBoxLayout()
        top.addWidget(self.greeting, 1)
        top.addWidget(self.resume, 0, Qt.AlignVCenter)

        self.for_you = CardRow("For you")
        self.recent = CardRow("Recently played")
        self.added = CardRow("Recently added")
        self.stations = CardRow("Radio stations")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(SPACE * 3, SPACE * 2, SPACE * 3, SPACE * 3)
        layout.setSpacing(SPACE)
        layout.addLayout(top)
        layout.addWidget(self.note)
        self.headings: dict[CardRow, QLabel] = {}
        for row in (self.added, self.for_you, self.recent, self.stations):
            heading = QLabel(row.accessibleName())
            heading.setFont(font_of("heading", bold=True))
            heading.setContentsMargins(0, SPACE * 2, 0, 0)
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
        current = self.services.player.current_track if self.services.player else None
        self.resume.setEnabled(current is not None)
        self.resume.setText(f"Continue: {current.title} — {current.artist}" if current
                            else "Nothing to continue")

    def _play(self, row: CardRow, item, context: str) -> None:
        ids = row.keys()
        self.play_requested.emit(ids, ids.index(item.data(Qt.UserRole)), context)
