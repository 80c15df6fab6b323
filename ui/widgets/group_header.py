"""The head of an album, artist or playlist page: its artwork, name, what it holds, and Play /
Shuffle buttons. Plain messages ("No albums yet.") use the same place, without the rest."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

ART = 112


class GroupHeader(QWidget):
    play_clicked = Signal()
    shuffle_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.art = QLabel()
        self.art.setFixedSize(ART, ART)
        self.art.setAlignment(Qt.AlignCenter)
        self.art.setAccessibleName("Artwork")
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.details = QLabel()
        self.details.setAccessibleName("What this holds")
        self.play = QPushButton("▶ Play")
        self.play.setAccessibleName("Play all")
        self.play.clicked.connect(self.play_clicked)
        self.shuffle = QPushButton("Shuffle")
        self.shuffle.setAccessibleName("Shuffle all")
        self.shuffle.clicked.connect(self.shuffle_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.play)
        buttons.addWidget(self.shuffle)
        buttons.addStretch()
        text = QVBoxLayout()
        text.addStretch()
        for widget in (self.title, self.subtitle, self.details):
            text.addWidget(widget)
        text.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.art)
        layout.addLayout(text, 1)
        self.setText("")

    def show_group(self, title: str, subtitle: str) -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.details.setText("")
        self.art.clear()
        for widget in (self.art, self.subtitle, self.details, self.play, self.shuffle):
            widget.setVisible(True)

    def set_details(self, text: str, artwork: QImage | None) -> None:
        self.details.setText(text)
        if artwork is not None and not artwork.isNull():
            self.art.setPixmap(QPixmap.fromImage(artwork))
        else:
            self.art.setText("♪")

    def setText(self, message: str) -> None:  # noqa: N802 - the QLabel call it replaces
        """A message in place of a group (nothing to show, or an error)."""
        self.title.setText(message)
        for widget in (self.art, self.subtitle, self.details, self.play, self.shuffle):
            widget.setVisible(False)
