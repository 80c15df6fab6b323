"""Home's banner: one album, large, on a wash of its own cover's colours (what Spotify and
Feishin open with). Its text is light on a darkened wash in both themes, so it reads whatever
the cover's colours; without a cover the wash is the accent colour."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.theme import colours, font_of
from ui.theme.apply import style_sheet, themed
from ui.theme.icons import icon
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.cover_images import colour_wash, fitted_pixmap, washed_card_painter

COVER_PX = 176
HEIGHT = COVER_PX + 4 * SPACE
TEXT = "#ffffff"
# Black over the wash, at least this opaque: white text on it keeps 4.5:1 even over a white
# cover (white under 55% black is #737373, 4.7:1 against white).
SHADE_LEAST = 0.55


class HeroBanner(QWidget):
    play_clicked = Signal()
    open_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFixedHeight(HEIGHT)
        self.setAccessibleName("Featured album")
        self._wash: QImage | None = None  # the cover shrunk to a few pixels: its colours only
        self.cover_shown = False  # the album's own cover, not the placeholder
        self.cover = QLabel()
        self.cover.setFixedSize(COVER_PX, COVER_PX)
        self.caption = QLabel()
        self.caption.setFont(font_of("small", bold=True))
        self.title = QLabel()
        self.title.setFont(font_of("display", bold=True))
        self.subtitle = QLabel()
        self.subtitle.setFont(font_of("title"))
        self.details = QLabel()
        self.details.setFont(font_of("small"))
        for label in (self.caption, self.title, self.subtitle, self.details):
            label.setStyleSheet(f"color: {TEXT}; background: transparent;")
            label.setTextFormat(Qt.PlainText)
            label.setMinimumWidth(0)
        self.play = QPushButton("Play")
        self.play.setCursor(Qt.PointingHandCursor)
        style_sheet(self.play, lambda c: (
            f"QPushButton {{ background: {c.accent}; color: {c.on_accent}; border: 1px solid "
            f"{c.accent}; border-radius: 14px; padding: 7px 22px; font-weight: bold; }}"))
        self._glyph = "play"
        themed(self.play, lambda button, c: button.setIcon(icon(self._glyph, c.on_accent)))
        self.open = QPushButton("Open album")
        self.open.setCursor(Qt.PointingHandCursor)
        self.open.setStyleSheet(  # an outline on the wash, readable in both themes
            f"QPushButton {{ background: transparent; color: {TEXT}; border: 1px solid "
            f"rgba(255,255,255,0.7); border-radius: 14px; padding: 7px 18px; }}"
            f"QPushButton:hover {{ background: rgba(255,255,255,0.15); }}")
        self.play.clicked.connect(self.play_clicked)
        self.open.clicked.connect(self.open_clicked)

        buttons = QHBoxLayout()
        buttons.setSpacing(SPACE)
        buttons.addWidget(self.play)
        buttons.addWidget(self.open)
        buttons.addStretch(1)
        text = QVBoxLayout()
        text.setSpacing(SPACE // 2)
        text.addStretch(1)
        text.addWidget(self.caption)
        text.addWidget(self.title)
        text.addWidget(self.subtitle)
        text.addWidget(self.details)
        text.addSpacing(SPACE)
        text.addLayout(buttons)
        text.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACE * 2, SPACE * 2, SPACE * 3, SPACE * 2)
        layout.setSpacing(SPACE * 3)
        layout.addWidget(self.cover, 0, Qt.AlignVCenter)
        layout.addLayout(text, 1)
        self._full_title = ""

    def show_album(self, caption: str, title: str, subtitle: str, details: str,
                   play_text: str, can_open: bool) -> None:
        self.caption.setText(caption.upper())
        self._full_title = title
        self.title.setToolTip(title)
        self._elide_title()
        self.subtitle.setText(subtitle)
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.set_action(play_text)
        self.open.setVisible(can_open)
        self.open.setAccessibleName(f"Open the album {title}")
        self.open.setToolTip(f"Open the album “{title}”")

    def set_action(self, text: str, glyph: str = "play") -> None:
        """What the main button does: Play, Continue, or Pause (the banner's song playing)."""
        self._glyph = glyph
        self.play.setText(text)
        self.play.setIcon(icon(glyph, colours().on_accent))
        title = self._full_title
        self.play.setAccessibleName(f"{text} {title}")
        self.play.setToolTip(f"{text} “{title}”")

    def show_cover(self, image: QImage | None) -> None:
        """The cover (read in a worker), or None for the placeholder and the accent's wash."""
        ratio = self.devicePixelRatioF()
        self.cover_shown = image is not None and not image.isNull()
        if not self.cover_shown:
            self._wash = None
            placeholder = QPixmap(QSize(int(COVER_PX * ratio), int(COVER_PX * ratio)))
            placeholder.setDevicePixelRatio(ratio)
            placeholder.fill(QColor(colours().raised))
            painter = QPainter(placeholder)
            note = icon("note", colours().muted).pixmap(COVER_PX // 3, COVER_PX // 3)
            painter.drawPixmap(COVER_PX // 3, COVER_PX // 3, note)
            painter.end()
            self.cover.setPixmap(_rounded(placeholder))
        else:
            self._wash = colour_wash(image)
            self.cover.setPixmap(_rounded(fitted_pixmap(image, COVER_PX, ratio)))
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._elide_title()

    def _elide_title(self) -> None:
        room = max(80, self.width() - COVER_PX - SPACE * 9)
        self.title.setText(self.title.fontMetrics().elidedText(self._full_title, Qt.ElideRight,
                                                               room))

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        painter, area = washed_card_painter(self)
        if self._wash is not None:  # a few pixels stretched smoothly: the cover's colours, soft
            painter.drawImage(area, self._wash)
        else:
            painter.fillRect(area, QColor(colours().accent))
        shade = QLinearGradient(area.topLeft(), area.topRight())
        shade.setColorAt(0, QColor(0, 0, 0, int(255 * 0.66)))
        shade.setColorAt(1, QColor(0, 0, 0, int(255 * SHADE_LEAST)))
        painter.fillRect(area, shade)
        painter.end()


def _rounded(pixmap: QPixmap) -> QPixmap:
    ratio = pixmap.devicePixelRatio()
    out = QPixmap(pixmap.size())
    out.setDevicePixelRatio(ratio)
    out.fill(Qt.transparent)
    painter = QPainter(out)
    painter.setRenderHint(QPainter.Antialiasing)
    path = QPainterPath()
    side = pixmap.width() / ratio
    path.addRoundedRect(QRectF(0, 0, side, side), COVER_RADIUS, COVER_RADIUS)
    painter.setClipPath(path)
    painter.drawPixmap(0, 0, pixmap)
    painter.end()
    return out
