"""Long work shown in the status bar: what is happening, a busy bar, and a Cancel button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class Activity(QWidget):
    cancel_requested = Signal()

    def __init__(self, what: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar(maximumWidth=120, maximum=0)  # busy: totals are rarely known
        self.cancel = QPushButton("Cancel", flat=True)
        self.cancel.clicked.connect(self.cancel_requested)
        self.cancel.setAccessibleName(f"Cancel {what}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel):
            layout.addWidget(widget)
        self.setVisible(False)

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(True)

    def finish(self) -> None:
        self.setVisible(False)
