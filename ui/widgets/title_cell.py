"""The Title cell of a song table: the song's small cover, then its title; the song playing now
in the accent colour. Covers come from the shared thumbnail cache (read in a worker), so
scrolling 100,000 rows never waits for a file."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from ui.models.roles import COVER_PATH, CURRENT, DISPLAY
from ui.theme import colours
from ui.theme.tokens import SPACE
from ui.widgets.thumbnails import paint_thumbnail, shared_thumbnails

THUMB_PX = 28


class TitleCellDelegate(QStyledItemDelegate):
    def __init__(self, view):
        super().__init__(view)
        self.thumbnails = shared_thumbnails(THUMB_PX)
        self.thumbnails.arrived.connect(view.viewport().update)

    def paint(self, painter, option, index) -> None:
        # Painted by hand rather than through initStyleOption and the style: less work per row
        # in a table of 100,000 (the other cells keep Qt's own delegate).
        rect = option.rect
        if option.state & QStyle.State_Selected:  # as the other cells draw a selected row
            painter.fillRect(rect, option.palette.highlight())
        c = colours()
        thumb = QRect(rect.left() + SPACE // 2, rect.center().y() - THUMB_PX // 2 + 1, THUMB_PX, THUMB_PX)
        key = index.data(COVER_PATH)
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        paint_thumbnail(painter, thumb, self.thumbnails.get(key) if key else None, c,
                        bool(option.state & QStyle.State_MouseOver))
        painter.setFont(option.font)
        painter.setPen(QColor(c.accent if index.data(CURRENT) else c.text))
        text_rect = rect.adjusted(THUMB_PX + SPACE + SPACE // 2, 0, -SPACE // 2, 0)
        painter.drawText(text_rect, Qt.AlignLeft | Qt.AlignVCenter,
                         option.fontMetrics.elidedText(str(index.data(DISPLAY) or ""), Qt.ElideRight,
                                                       text_rect.width()))
        painter.restore()
