"""Rows of two lines, as the queue and the recommendations show them: a small cover (where the
row has one), the title, the artist (or a reason) muted beneath it, a length at the right; the
row playing now in the accent colour, a hovered row lit. Painted from the theme in use."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from ui.models.roles import COVER_PATH, CURRENT, PRIMARY, ROUND_COVER, SECONDARY, SECTION, TRAILING
from ui.theme import colours, font_of
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.thumbnails import paint_thumbnail, shared_thumbnails

ROW_PX = 46
THUMB_PX = 36
CAPTION_PX = 26


def caption_font():
    """Small capitals over a part of a list (read as words by screen readers)."""
    font = font_of("small", bold=True)
    font.setCapitalization(QFont.AllUppercase)
    return font


class TwoLineDelegate(QStyledItemDelegate):
    def __init__(self, view):
        super().__init__(view)
        self.thumbnails = shared_thumbnails(THUMB_PX)
        self.thumbnails.arrived.connect(view.viewport().update)

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt naming
        if index.data(PRIMARY) is None:
            return super().sizeHint(option, index)
        return QSize(option.rect.width(), ROW_PX + (CAPTION_PX if index.data(SECTION) else 0))

    def paint(self, painter, option, index) -> None:
        primary = index.data(PRIMARY)
        if primary is None:  # a plain row (a note): drawn the usual way
            super().paint(painter, option, index)
            return
        c = colours()
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        box = option.rect.adjusted(2, 1, -2, -1)
        section = index.data(SECTION)
        if section:  # a caption where a part of the list begins, above the row
            caption = QRect(box.left() + SPACE, box.top(), box.width() - SPACE, CAPTION_PX)
            painter.setFont(caption_font())
            painter.setPen(QColor(c.muted))
            painter.drawText(caption, Qt.AlignLeft | Qt.AlignBottom, section)
            box.setTop(box.top() + CAPTION_PX)
        if option.state & (QStyle.State_Selected | QStyle.State_MouseOver):
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(c.raised))
            painter.drawRoundedRect(box, COVER_RADIUS, COVER_RADIUS)
        current = bool(index.data(CURRENT))
        inner = box.adjusted(SPACE, 4, -SPACE, -4)
        cover_path = index.data(COVER_PATH)
        if cover_path is not None:  # a small cover at the left, then the text beside it
            thumb = QRect(inner.left(), inner.center().y() - THUMB_PX // 2 + 1, THUMB_PX, THUMB_PX)
            pixmap = self.thumbnails.get(cover_path) if cover_path else None
            paint_thumbnail(painter, thumb, pixmap, c, bool(option.state & QStyle.State_MouseOver),
                            round_=bool(index.data(ROUND_COVER)))
            inner = inner.adjusted(THUMB_PX + SPACE, 0, 0, 0)
        trailing = index.data(TRAILING) or ""
        small = font_of("small")
        trailing_width = QFontMetrics(small).horizontalAdvance(trailing) + SPACE if trailing else 0
        text_rect = inner.adjusted(0, 0, -trailing_width, 0)
        half = inner.height() // 2
        title_font = font_of("body", bold=current)
        painter.setFont(title_font)
        painter.setPen(QColor(c.accent if current else c.text))
        top = QRect(text_rect.left(), inner.top(), text_rect.width(), half)
        painter.drawText(top, Qt.AlignLeft | Qt.AlignVCenter,
                         QFontMetrics(title_font).elidedText(str(primary), Qt.ElideRight, top.width()))
        painter.setFont(small)
        painter.setPen(QColor(c.muted))
        bottom = QRect(text_rect.left(), inner.top() + half, text_rect.width(), inner.height() - half)
        painter.drawText(bottom, Qt.AlignLeft | Qt.AlignVCenter,
                         QFontMetrics(small).elidedText(str(index.data(SECONDARY) or ""),
                                                        Qt.ElideRight, bottom.width()))
        if trailing:
            painter.drawText(inner, Qt.AlignRight | Qt.AlignVCenter, trailing)
        painter.restore()
