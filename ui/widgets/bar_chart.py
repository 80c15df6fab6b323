"""A small bar chart drawn with QPainter (PySide6-Essentials has no QtCharts): horizontal bars
with labels for rankings, vertical ones for weeks."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.store.listening_stats import Bar


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
        palette = self.palette()
        text = palette.color(QPalette.WindowText)
        accent = palette.color(QPalette.Highlight)
        painter.setPen(text)
        bold = painter.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRectF(0, 0, self.width(), 20), Qt.AlignLeft, self.title)
        painter.setFont(self.font())
        area = QRectF(0, 24, self.width(), self.height() - 24)
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
            painter.fillRect(QRectF(label_width, y + 3, max(1.0, length), row - 6), accent)
            painter.drawText(QRectF(label_width + length + 4, y, 60, row), Qt.AlignVCenter,
                             self.value_format.format(bar.value))

    def _vertical(self, painter, area, top, text, accent) -> None:
        width = area.width() / len(self.bars)
        base = area.bottom() - 18
        for n, bar in enumerate(self.bars):
            x = area.left() + n * width
            height = (base - area.top() - 14) * bar.value / top
            color = QColor(accent)
            painter.fillRect(QRectF(x + 3, base - height, width - 6, height), color)
            painter.setPen(text)
            if width >= 28:  # the value on top of its bar, where it fits
                painter.drawText(QRectF(x, base - height - 16, width, 14), Qt.AlignHCenter,
                                 self.value_format.format(bar.value))
            if n % max(1, len(self.bars) // 6) == 0:
                painter.drawText(QRectF(x, base + 2, width * 2, 16), Qt.AlignLeft, bar.label)
