"""One line above the player bar offering a queue another device saved ("Continue from …?"):
taken only when the listener says so, never silently."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from ui.theme.apply import style_sheet
from ui.theme.tokens import SPACE


class HandoffBar(QFrame):
    accepted = Signal()
    dismissed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("A queue from another device")
        self.text = QLabel()
        self.text.setWordWrap(True)
        take = self.take = QPushButton("Continue",
                                       clicked=lambda: (self.hide(), self.accepted.emit()))
        take.setAccessibleName("Continue the other device's queue")
        later = self.later = QPushButton("Not Now",
                                         clicked=lambda: (self.hide(), self.dismissed.emit()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACE * 2, SPACE // 2, SPACE * 2, SPACE // 2)
        layout.addWidget(self.text, 1)
        layout.addWidget(take)
        layout.addWidget(later)
        style_sheet(self, lambda c: f"HandoffBar {{ background: {c.raised}; "
                                    f"border-top: 1px solid {c.border}; }}")
        self.hide()

    def offer(self, text: str) -> None:
        self.text.setText(text)
        self.show()
