"""The mini-player: a small window that stays on top with the cover, the title and artist,
previous / play-pause / next, a thin line of progress, and a button back to the full window.
Ctrl+Shift+M switches between the two."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QVBoxLayout, QWidget

from app.models import Track
from app.playback.engine import EngineState
from ui.theme import colours, font_of
from ui.theme.apply import style_sheet, themed
from ui.theme.icons import icon
from ui.theme.tokens import COVER_RADIUS, SPACE
from ui.widgets.cover_images import fitted_pixmap

COVER_PX = 88


class MiniPlayer(QWidget):
    play_pause_clicked = Signal()
    previous_clicked = Signal()
    next_clicked = Signal()
    expand_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent, Qt.Window | Qt.WindowStaysOnTopHint)
        self.setWindowTitle("Prelude")
        self.setAccessibleName("Mini player")
        self.setObjectName("miniPlayer")
        self._playing = False
        self.cover = QLabel()
        self.cover.setFixedSize(COVER_PX, COVER_PX)
        self.cover.setAccessibleName("Cover art")
        self.title = QLabel("Nothing playing")
        self.title.setAccessibleName("Now playing title")
        self.title.setFont(font_of("title", bold=True))
        self.artist = QLabel("")
        self.artist.setAccessibleName("Now playing artist")
        self.previous_button = self._button("Previous track")
        self.play_button = self._button("Play")
        self.next_button = self._button("Next track")
        self.expand_button = self._button("Back to the full window (Ctrl+Shift+M)")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(4)
        self.progress.setRange(0, 1)
        style_sheet(self, lambda c: (
            f"QWidget#miniPlayer {{ background: {c.sidebar}; }}"
            f"QLabel {{ color: {c.text}; }}"
            f"QToolButton {{ border: none; border-radius: 16px; padding: 4px; }}"
            f"QToolButton:hover {{ background: {c.raised}; }}"
            f"QProgressBar {{ background: {c.border}; border: none; border-radius: 2px; }}"
            f"QProgressBar::chunk {{ background: {c.accent}; border-radius: 2px; }}"))
        style_sheet(self.cover, lambda c: f"background: {c.raised}; border-radius: {COVER_RADIUS}px;")
        style_sheet(self.artist, lambda c: f"color: {c.muted};")
        themed(self, lambda widget, c: widget._paint_icons())
        buttons = QHBoxLayout()
        for button in (self.previous_button, self.play_button, self.next_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.expand_button)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.artist)
        text.addLayout(buttons)
        top = QHBoxLayout()
        top.setSpacing(SPACE * 3 // 2)
        top.addWidget(self.cover)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE * 3 // 2, SPACE * 3 // 2, SPACE * 3 // 2, SPACE * 3 // 2)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        self.setFixedSize(380, COVER_PX + 3 * SPACE + 12)
        self.previous_button.clicked.connect(self.previous_clicked)
        self.play_button.clicked.connect(self.play_pause_clicked)
        self.next_button.clicked.connect(self.next_clicked)
        self.expand_button.clicked.connect(self.expand_clicked)

    def _button(self, name: str) -> QToolButton:
        button = QToolButton()
        button.setToolTip(name)
        button.setAccessibleName(name.split(" (")[0])
        button.setCursor(Qt.PointingHandCursor)
        return button

    def _paint_icons(self) -> None:
        c = colours()
        self.previous_button.setIcon(icon("previous", c.text))
        self.play_button.setIcon(icon("pause" if self._playing else "play", c.text))
        self.next_button.setIcon(icon("next", c.text))
        self.expand_button.setIcon(icon("expand", c.muted, c.text))

    def show_track(self, track: Track | None) -> None:
        self.title.setText(track.title if track else "Nothing playing")
        self.artist.setText(track.artist if track else "")
        self.setWindowTitle(f"{track.title} — {track.artist}" if track else "Prelude")

    def show_image(self, image: QImage | None) -> None:
        if image is None or image.isNull():
            self.cover.clear()
            return
        self.cover.setPixmap(fitted_pixmap(image, COVER_PX, self.devicePixelRatioF()))

    def show_state(self, state: EngineState) -> None:
        self._playing = state == EngineState.PLAYING
        name = "Pause" if self._playing else "Play"
        self.play_button.setToolTip(name)
        self.play_button.setAccessibleName(name)
        self._paint_icons()

    def show_position(self, position_ms: int, duration_ms: int) -> None:
        self.progress.setRange(0, max(1, duration_ms))
        self.progress.setValue(min(position_ms, max(1, duration_ms)))
