"""The head of an album, artist or playlist page: its artwork, name, what it holds, and Play /
Shuffle buttons, on a tint of the artwork's own colours that fades into the page (as Feishin
and Spotify head an album). Plain messages ("No albums yet.") use the same place, without the
rest."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.theme import colours, font_of
from ui.theme.apply import style_sheet, themed
from ui.theme.icons import icon
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.cover_images import colour_wash, washed_card_painter

ART = 160
TINT = 0.15  # how much of the artwork's colours shows behind the text (kept readable: a test)


def _button_sheet(c) -> str:
    """Play is the page's main action (accent, a pill); Shuffle is quieter."""
    return (f"QPushButton {{ border-radius: 16px; padding: 7px 18px; border: 1px solid {c.border};"
            f" background: transparent; color: {c.text}; font-weight: bold; }}"
            f"QPushButton:hover {{ background: {c.raised}; }}"
            # its border in its own colour: with none, Qt does not round a button's background
            f"QPushButton#playAll {{ background: {c.accent}; color: {c.on_accent};"
            f" border: 1px solid {c.accent}; }}")


class GroupHeader(QWidget):
    play_clicked = Signal()
    shuffle_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.art = QLabel()
        self.art.setFixedSize(ART, ART)
        self.art.setAlignment(Qt.AlignCenter)
        self.art.setAccessibleName("Artwork")
        style_sheet(self.art, lambda c: f"background: {c.raised}; border-radius: {COVER_RADIUS}px;"
                    f" color: {c.muted}; font-size: 40pt;")
        self.title = QLabel()
        self.title.setFont(font_of("display", bold=True))
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setFont(font_of("title"))
        self.details = QLabel()
        style_sheet(self.details, lambda c: f"color: {c.muted};")
        self.details.setAccessibleName("What this holds")
        self.play = QPushButton("Play")
        self.play.setObjectName("playAll")
        self.play.setAccessibleName("Play all")
        self.play.clicked.connect(self.play_clicked)
        self.shuffle = QPushButton("Shuffle")
        self.shuffle.setAccessibleName("Shuffle all")
        self.shuffle.clicked.connect(self.shuffle_clicked)
        for button in (self.play, self.shuffle):
            button.setCursor(Qt.PointingHandCursor)
            style_sheet(button, _button_sheet)
        themed(self.play, lambda button, c: button.setIcon(icon("play", c.on_accent)))
        themed(self.shuffle, lambda button, c: button.setIcon(icon("shuffle", c.text)))
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACE)
        buttons.addWidget(self.play)
        buttons.addWidget(self.shuffle)
        buttons.addStretch()
        self.buttons_row = buttons  # a page's own controls join them on the right
        text = QVBoxLayout()
        text.addStretch()
        for widget in (self.title, self.subtitle, self.details):
            text.addWidget(widget)
        text.addLayout(buttons)
        self._wash: QImage | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACE * 2, SPACE * 2, SPACE * 2, SPACE * 2)
        layout.setSpacing(SPACE * 3)
        layout.addWidget(self.art)
        layout.addLayout(text, 1)
        self.setText("")

    def show_group(self, title: str, subtitle: str) -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.details.setText("")
        self.art.clear()
        self._wash = None
        self.update()
        for widget in (self.art, self.subtitle, self.details, self.play, self.shuffle):
            widget.setVisible(True)

    def set_details(self, text: str, artwork: QImage | None) -> None:
        self.details.setText(text)
        if artwork is not None and not artwork.isNull():
            pixmap = QPixmap.fromImage(artwork)
            ratio = self.devicePixelRatioF()
            pixmap = pixmap.scaled(int(ART * ratio), int(ART * ratio), Qt.KeepAspectRatio,
                                   Qt.SmoothTransformation)
            pixmap.setDevicePixelRatio(ratio)  # crisp on a HiDPI screen
            self.art.setPixmap(pixmap)
            self._wash = colour_wash(artwork)
        else:
            self.art.setText("♪")
            self._wash = None
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if self._wash is None:
            return
        painter, area = washed_card_painter(self)
        painter.setOpacity(TINT)
        painter.drawImage(area, self._wash)
        painter.setOpacity(1.0)
        page = QColor(colours().window)
        fade = QLinearGradient(area.topLeft(), area.bottomLeft())  # into the page below it
        page.setAlpha(0)
        fade.setColorAt(0.6, page)
        page.setAlpha(255)
        fade.setColorAt(1.0, page)
        painter.fillRect(area, fade)
        painter.end()

    def setText(self, message: str) -> None:  # noqa: N802 - the QLabel call it replaces
        """A message in place of a group (nothing to show, or an error)."""
        self.title.setText(message)
        for widget in (self.art, self.subtitle, self.details, self.play, self.shuffle):
            widget.setVisible(False)
