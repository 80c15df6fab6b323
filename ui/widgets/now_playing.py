"""Now playing: cover art, title, artist and album of the current track."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.models import Track

COVER_SIZE = 96


class NowPlaying(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.shown_id: int | None = None  # the track the header shows
        self.cover = QLabel()
        self.cover.setFixedSize(COVER_SIZE, COVER_SIZE)
        self.cover.setAlignment(Qt.AlignCenter)
        self.cover.setAccessibleName("Cover art")
        self.cover.setStyleSheet("background: palette(mid); border-radius: 4px;")
        self.title = QLabel("Nothing playing")
        self.title.setAccessibleName("Now playing title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.artist = QLabel("")
        self.artist.setAccessibleName("Now playing artist")
        self.artist.setWordWrap(True)
        text = QVBoxLayout()
        text.addStretch(1)
        text.addWidget(self.title)
        text.addWidget(self.artist)
        text.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.cover)
        layout.addLayout(text, 1)

    def show_track(self, track: Track | None) -> None:
        self.shown_id = track.id if track is not None else None
        if track is None:
            self.title.setText("Nothing playing")
            self.artist.setText("")
            self.cover.clear()
            return
        self.title.setText(track.title)
        self.artist.setText(" — ".join(part for part in (track.artist, track.album) if part))
        self.show_cover(track.cover_path if track.is_local else None)

    def show_cover(self, path: str | None) -> None:
        pixmap = QPixmap(path) if path else QPixmap()
        if pixmap.isNull():
            self.cover.clear()
        else:
            self.cover.setPixmap(pixmap.scaled(COVER_SIZE, COVER_SIZE, Qt.KeepAspectRatio,
                                               Qt.SmoothTransformation))
