"""The top result of a search, as a card before the grouped results (as Spotify shows it): a
large cover (round for an artist), the name, what it is, and a Play button. A click or Enter
opens it (an artist's or album's page; a song plays); Play plays it."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

from ui.theme import colours, font_of
from ui.theme.apply import style_sheet, themed
from ui.theme.icons import icon
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.search_results import COLUMN_HEIGHT
from ui.widgets.thumbnails import paint_thumbnail, shared_thumbnails
from ui.widgets.two_line_delegate import CAPTION_PX, caption_font

CARD_PX = 300
COVER_PX = 88
PLAY_PX = 44
KINDS = {"artist": "Artist", "album": "Album", "song": "Song"}


class TopResultCard(QWidget):
    opened = Signal(str, object)  # kind, value: what a click or Enter chose
    play_requested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedSize(CARD_PX, COLUMN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setCursor(Qt.PointingHandCursor)
        self.setAttribute(Qt.WA_Hover)
        self.kind, self.value = "", None
        self.title, self.subtitle, self.cover = "", "", ""
        self.thumbnails = shared_thumbnails(COVER_PX)
        self.thumbnails.arrived.connect(self.update)
        self.play = QToolButton(self)
        self.play.setFixedSize(PLAY_PX, PLAY_PX)
        self.play.setIconSize(QSize(PLAY_PX // 2, PLAY_PX // 2))
        self.play.setCursor(Qt.PointingHandCursor)
        style_sheet(self.play, lambda c: (
            f"QToolButton {{ background: {c.accent}; border: none; border-radius: {PLAY_PX // 2}px; }}"
            f"QToolButton:hover {{ background: {c.text}; }}"))
        themed(self.play, lambda button, c: button.setIcon(icon("play", c.on_accent, c.window)))
        self.play.clicked.connect(lambda: self.play_requested.emit(self.kind, self.value))
        self.play.move(CARD_PX - PLAY_PX - SPACE * 2, COLUMN_HEIGHT - PLAY_PX - SPACE * 2)
        self.setVisible(False)

    def show_result(self, kind: str, value, title: str, artist: str, cover) -> None:
        self.kind, self.value, self.title, self.cover = kind, value, title, cover
        self.subtitle = KINDS[kind] + (f" · {artist}" if artist and kind != "artist" else "")
        words = f"Top result: {title}, {self.subtitle}"
        self.setAccessibleName(words)
        self.setToolTip(f"{title} — {self.subtitle}")
        verb = {"artist": "Play the artist's songs", "album": "Play the album", "song": "Play the song"}
        self.play.setAccessibleName(verb[kind])
        self.play.setToolTip(verb[kind])
        self.setVisible(True)
        self.update()

    # -- input -----------------------------------------------------------------------------------
    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.button() == Qt.LeftButton and self.rect().contains(event.position().toPoint()):
            self.opened.emit(self.kind, self.value)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.key() in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space):
            self.opened.emit(self.kind, self.value)
            return
        super().keyPressEvent(event)

    # -- painting --------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        c = colours()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setFont(caption_font())
        painter.setPen(QColor(c.muted))
        painter.drawText(QRect(SPACE, 0, self.width() - SPACE, CAPTION_PX), Qt.AlignLeft | Qt.AlignBottom,
                         "Top result")
        box = QRect(2, CAPTION_PX + 4, self.width() - 4, self.height() - CAPTION_PX - 6)
        lit = self.underMouse() or self.hasFocus()
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(c.raised if lit else c.surface))
        painter.drawRoundedRect(box, COVER_RADIUS * 1.5, COVER_RADIUS * 1.5)
        cover = QRect(box.left() + SPACE * 2, box.top() + SPACE * 2, COVER_PX, COVER_PX)
        pixmap = self.thumbnails.get(self.cover) if self.cover else None
        paint_thumbnail(painter, cover, pixmap, c, lit, round_=self.kind == "artist")
        text_width = box.width() - SPACE * 4
        title_font = font_of("heading", bold=True)
        painter.setFont(title_font)
        painter.setPen(QColor(c.text))
        title = QRect(cover.left(), cover.bottom() + SPACE, text_width - PLAY_PX, 30)
        painter.drawText(title, Qt.AlignLeft | Qt.AlignVCenter,
                         QFontMetrics(title_font).elidedText(self.title, Qt.ElideRight, title.width()))
        small = font_of("small")
        painter.setFont(small)
        painter.setPen(QColor(c.muted))
        under = QRect(cover.left(), title.bottom() + 2, text_width - PLAY_PX, 20)
        painter.drawText(under, Qt.AlignLeft | Qt.AlignVCenter,
                         QFontMetrics(small).elidedText(self.subtitle, Qt.ElideRight, under.width()))
        painter.end()
