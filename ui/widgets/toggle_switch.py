"""An on/off setting drawn as a switch (a pill with a knob, the accent when on), as the
desktop's and Spotify's settings show them; still a QCheckBox to the code and to screen
readers (checkable, Space toggles it, its accessible name says what it switches)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QCheckBox

from ui.theme import colours

WIDTH, HEIGHT = 40, 22
KNOB_MARGIN = 3


class ToggleSwitch(QCheckBox):
    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setCursor(Qt.PointingHandCursor)
        self.setFixedSize(WIDTH, HEIGHT)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(WIDTH, HEIGHT)

    def hitButton(self, pos) -> bool:  # noqa: N802 - Qt naming
        return self.rect().contains(pos)  # the whole switch, not only Qt's indicator

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        c = colours()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        if not self.isEnabled():
            painter.setOpacity(0.4)  # there, but not to be changed now
        track = QRectF(0.5, 0.5, WIDTH - 1, HEIGHT - 1)
        on = self.isChecked()
        painter.setPen(QColor(c.accent if on or self.hasFocus() else c.muted))
        painter.setBrush(QColor(c.accent if on else c.raised))
        painter.drawRoundedRect(track, HEIGHT / 2, HEIGHT / 2)
        side = HEIGHT - 2 * KNOB_MARGIN
        left = WIDTH - KNOB_MARGIN - side if on else KNOB_MARGIN
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(c.on_accent if on else c.text))
        painter.drawEllipse(QRectF(left, KNOB_MARGIN, side, side))
        painter.end()
