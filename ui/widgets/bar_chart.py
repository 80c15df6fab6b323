"""A small bar chart drawn with QPainter (PySide6-Essentials has no QtCharts): horizontal bars
with labels for rankings, vertical ones for weeks."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.store.listening_stats import Bar
from ui.theme import colours, font_of
from ui.theme.tokens import COVER_RADIUS, SPACE

PAD = SPACE * 2


class BarChart(QWidget):
    def __init__(self, title: str, horizontal: bool, value_format: str = "{:.1f}", parent=None):
        super().__init__(parent)
        self.title = title
        self.horizontal = horizontal
        self.value_format = value_format
        self.bars: list[Bar] = []
        self.setAccessibleName(title)
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = list(bars)
        # Screen readers get the numbers the picture shows.
        self.setAccessibleDescription("; ".join(f"{b.label}: {self.value_format.format(b.value)}"
                                                for b in self.bars))
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        c = colours()
        text, accent = QColor(c.text), QColor(c.accent)
        # a card: the chart on a raised panel, its title in the type scale's title size
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(c.raised))
        painter.drawRoundedRect(QRectF(self.rect()), COVER_RADIUS * 1.5, COVER_RADIUS * 1.5)
        painter.translate(PAD, PAD)
        width, height = self.width() - 2 * PAD, self.height() - 2 * PAD
        painter.setPen(text)
        painter.setFont(font_of("title", bold=True))
        painter.drawText(QRectF(0, 0, width, 24), Qt.AlignLeft | Qt.AlignVCenter, self.title)
        painter.setFont(font_of("small"))
        area = QRectF(0, 32, width, height - 32)
        if not self.bars or max(b.value for b in self.bars) <= 0:
            painter.drawText(area, Qt.AlignCenter, "Nothing played yet")
            return
        top = max(b.value for b in self.bars)
        if self.horizontal:
            self._horizontal(painter, area, top, text, accent)
        else:
            self._vertical(painter, area, top, text, accent)

    def _horizontal(self, painter, area, top, text, accent) -> None:
        row = min(24.0, area.height() / len(self.bars))
        label_width = area.width() * 0.45
        for n, bar in enumerate(self.bars):
            y = area.top() + n * row
            painter.setPen(text)
            painter.drawText(QRectF(0, y, label_width - 6, row), Qt.AlignVCenter | Qt.AlignRight,
                             painter.fontMetrics().elidedText(bar.label, Qt.ElideRight, int(label_width - 6)))
            length = (area.width() - label_width - 50) * bar.value / top
            painter.setPen(Qt.NoPen)
            painter.setBrush(accent)
            painter.drawRoundedRect(QRectF(label_width, y + 4, max(2.0, length), row - 8), 3, 3)
            painter.setPen(text)
            painter.drawText(QRectF(label_width + length + 4, y, 60, row), Qt.AlignVCenter,
                             self.value_format.format(bar.value))

    def _vertical(self, painter, area, top, text, accent) -> None:
        width = area.width() / len(self.bars)
        base = area.bottom() - 18
        for n, bar in enumerate(self.bars):
            x = area.left() + n * width
            height = (base - area.top() - 14) * bar.value / top
            painter.setPen(Qt.NoPen)
            painter.setBrush(accent)
            painter.drawRoundedRect(QRectF(x + 3, base - height, width - 6, height), 3, 3)
            painter.setPen(text)
            if width >= 28:  # the value on top of its bar, where it fits
                painter.drawText(QRectF(x, base - height - 16, width, 14), Qt.AlignHCenter,
                                 self.value_format.format(bar.value))
            if n % max(1, len(self.bars) // 6) == 0:
                painter.drawText(QRectF(x, base + 2, width * 2, 16), Qt.AlignLeft, bar.label)
