"""A row of cards, as Home shows them: a cover, a title and a muted line under it, in one
horizontal strip that scrolls sideways (by the arrows of its heading, `ShelfHeading`, a
page at a time, or by the wheel and the keys; no scrollbar). A hovered card lights up and
shows a round play button on its cover. Covers load in a worker and fill in as they arrive."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QPainterPath, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QToolButton,
    QWidget,
)

from ui.models.roles import PRIMARY, SECONDARY
from ui.theme import colours, font_of
from ui.theme.apply import style_sheet, themed
from ui.theme.icons import icon
from ui.theme.sheets import thin_scrollbars
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.cover_images import doubled_pixmap, read_covers
from ui.workers import run_task

COVER_PX = 148
CARD_W = COVER_PX + 2 * SPACE + 4
CARD_H = COVER_PX + 2 * SPACE + 46
PLAY_PX = 40
ARROW_PX = 24
COVER_IMAGE = int(Qt.UserRole) + 20  # the cover as a QPixmap, once loaded


def fill_covers(view, covers: dict[int, str]) -> None:
    """Read these rows' covers in a worker and give each card its own as they arrive (until
    then, and where there is none, the card draws its placeholder)."""
    def show(images) -> None:
        for row, image in images.items():
            if (item := view.item(row)) is not None:
                item.setData(COVER_IMAGE, doubled_pixmap(image))

    if covers:
        run_task(lambda: read_covers(covers, COVER_PX), on_done=show, on_error=lambda error: None,
                 owner=view)


class CardDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt naming
        return QSize(CARD_W, CARD_H)

    def paint(self, painter, option, index) -> None:
        c = colours()
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        painter.setRenderHint(painter.RenderHint.SmoothPixmapTransform)
        card = option.rect.adjusted(2, 2, -2, -2)
        lit = bool(option.state & (QStyle.State_MouseOver | QStyle.State_Selected))
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(c.raised if lit else c.surface))
        painter.drawRoundedRect(card, COVER_RADIUS * 1.5, COVER_RADIUS * 1.5)
        cover = QRect(card.left() + SPACE, card.top() + SPACE, COVER_PX, COVER_PX)
        clip = QPainterPath()
        clip.addRoundedRect(cover, COVER_RADIUS, COVER_RADIUS)
        pixmap = index.data(COVER_IMAGE)
        painter.save()
        painter.setClipPath(clip)
        decoration = index.data(Qt.DecorationRole)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            painter.drawPixmap(cover, pixmap)
        elif isinstance(decoration, QIcon) and not decoration.isNull():  # a placeholder of its own
            decoration.paint(painter, cover)
        else:  # no cover: a quiet tint and a note
            painter.fillRect(cover, QColor(c.raised if not lit else c.border))
            note = icon("note", c.muted).pixmap(COVER_PX // 3, COVER_PX // 3)
            painter.drawPixmap(cover.center().x() - COVER_PX // 6, cover.center().y() - COVER_PX // 6, note)
        painter.restore()
        if lit:  # the play button a hovered card offers
            centre = QPointF(cover.right() - SPACE - PLAY_PX / 2, cover.bottom() - SPACE - PLAY_PX / 2)
            painter.setBrush(QColor(c.accent))
            painter.drawEllipse(centre, PLAY_PX / 2, PLAY_PX / 2)
            glyph = icon("play", c.on_accent).pixmap(PLAY_PX // 2, PLAY_PX // 2)
            painter.drawPixmap(int(centre.x() - PLAY_PX / 4), int(centre.y() - PLAY_PX / 4), glyph)
        text_left, width = cover.left(), COVER_PX
        title_font = font_of("body", bold=True)
        painter.setFont(title_font)
        painter.setPen(QColor(c.text))
        top = cover.bottom() + SPACE
        painter.drawText(QRect(text_left, top, width, 20), Qt.AlignLeft | Qt.AlignVCenter,
                         QFontMetrics(title_font).elidedText(str(index.data(PRIMARY) or ""),
                                                             Qt.ElideRight, width))
        small = font_of("small")
        painter.setFont(small)
        painter.setPen(QColor(c.muted))
        painter.drawText(QRect(text_left, top + 20, width, 18), Qt.AlignLeft | Qt.AlignVCenter,
                         QFontMetrics(small).elidedText(str(index.data(SECONDARY) or ""),
                                                        Qt.ElideRight, width))
        painter.restore()


class CardRow(QListWidget):
    """Cards of (key, title, subtitle, cover path); the key is the item's Qt.UserRole data."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setViewMode(QListView.IconMode)
        self.setFlow(QListView.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Static)
        self.setSpacing(SPACE // 2)
        self.setUniformItemSizes(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # the heading's arrows instead
        self.setFixedHeight(CARD_H + 2 * SPACE)
        self.setMouseTracking(True)
        self.setItemDelegate(CardDelegate(self))
        thin_scrollbars(self)
        self.setCursor(Qt.PointingHandCursor)
        self._pressed = None
        style_sheet(self, lambda c: "QListWidget { border: none; background: transparent; }")

    # One click plays, as on a card anywhere (the list's own activation wants two, or one on
    # some desktops; taking it over here keeps it to exactly one).
    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self._pressed = self.itemAt(event.position().toPoint())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt naming
        item = self.itemAt(event.position().toPoint())
        if event.button() == Qt.LeftButton and item is not None and item is self._pressed:
            self.itemActivated.emit(item)
        self._pressed = None
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt naming
        event.accept()

    def show_cards(self, cards) -> None:
        """cards: (key, title, subtitle, cover path or None)."""
        self.clear()
        covers = {}
        for row, (key, title, subtitle, cover) in enumerate(cards):
            item = QListWidgetItem(title)
            item.setData(Qt.UserRole, key)
            item.setData(PRIMARY, title)
            item.setData(SECONDARY, subtitle)
            item.setToolTip(f"{title}\n{subtitle}" if subtitle else title)
            self.addItem(item)
            if cover:
                covers[row] = cover
        fill_covers(self, covers)

    def scroll_by_page(self, direction: int) -> None:
        """Sideways by the cards that fit, less one (it stays in sight as a landmark)."""
        bar = self.horizontalScrollBar()
        step = max(CARD_W, (self.viewport().width() // CARD_W - 1) * CARD_W)
        bar.setValue(bar.value() + direction * step)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt naming
        """A sideways wheel scrolls the row; an upright one scrolls the page it is on."""
        if abs(event.angleDelta().x()) > abs(event.angleDelta().y()):
            super().wheelEvent(event)
        else:
            event.ignore()

    def keys(self) -> list:
        return [self.item(row).data(Qt.UserRole) for row in range(self.count())]


class ShelfHeading(QWidget):
    """A row's heading with its two arrows, each enabled while there is more that way."""

    def __init__(self, row: CardRow, title: str | None = None, compact: bool = False,
                 parent=None):
        """compact: a smaller heading, flush with what is above (a page's part, not Home's)."""
        super().__init__(parent)
        self.label = QLabel(title or row.accessibleName())
        self.label.setFont(font_of("title" if compact else "heading", bold=True))
        self.arrows = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0 if compact else SPACE * 2, 0, 0)
        layout.setSpacing(SPACE // 2)
        layout.addWidget(self.label, 1)
        for direction, name, words in ((-1, "scroll-left", "Scroll back"),
                                       (1, "scroll-right", "Scroll on")):
            arrow = QToolButton()
            arrow.setAccessibleName(f"{words}: {row.accessibleName()}")
            arrow.setToolTip(words)
            arrow.setAutoRaise(True)
            arrow.setCursor(Qt.PointingHandCursor)
            arrow.setFixedSize(ARROW_PX, ARROW_PX)
            arrow.clicked.connect(lambda _=False, d=direction: row.scroll_by_page(d))
            style_sheet(arrow, lambda c: (
                f"QToolButton {{ background: {c.raised}; border: none;"
                f" border-radius: {ARROW_PX // 2}px; }}"
                f"QToolButton:hover {{ background: {c.border}; }}"
                "QToolButton:disabled { background: transparent; }"))
            themed(arrow, lambda button, c, n=name: button.setIcon(icon(n, c.text, c.text)))
            layout.addWidget(arrow)
            self.arrows.append(arrow)
        bar = row.horizontalScrollBar()
        bar.valueChanged.connect(lambda _: self._enable(bar))
        bar.rangeChanged.connect(lambda *_: self._enable(bar))
        self._enable(bar)

    def setText(self, text: str) -> None:  # noqa: N802 - as a QLabel's
        self.label.setText(text)

    def text(self) -> str:
        return self.label.text()

    def _enable(self, bar) -> None:
        back, on = self.arrows
        back.setEnabled(bar.value() > bar.minimum())
        on.setEnabled(bar.value() < bar.maximum())
        for arrow in self.arrows:  # no arrows at all for a row that fits
            arrow.setVisible(bar.maximum() > bar.minimum())
