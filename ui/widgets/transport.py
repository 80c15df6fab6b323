"""The transport bar: previous, play/pause, next, shuffle, repeat, seek slider, times, volume."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from app.models import RepeatMode
from app.playback.engine import EngineState
from ui.format import duration_text

_REPEAT_CYCLE = {RepeatMode.OFF: RepeatMode.ALL, RepeatMode.ALL: RepeatMode.ONE,
                 RepeatMode.ONE: RepeatMode.OFF}
_REPEAT_TEXT = {RepeatMode.OFF: "Repeat: off", RepeatMode.ALL: "Repeat: all",
                RepeatMode.ONE: "Repeat: one"}


class TransportBar(QWidget):
    play_pause_clicked = Signal()
    previous_clicked = Signal()
    next_clicked = Signal()
    seek_requested = Signal(int)     # ms
    volume_requested = Signal(int)   # 0-100
    shuffle_toggled = Signal(bool)
    repeat_requested = Signal(object)  # RepeatMode

    def __init__(self, parent=None):
        super().__init__(parent)
        style = self.style()
        self._play_icon = style.standardIcon(QStyle.SP_MediaPlay)
        self._pause_icon = style.standardIcon(QStyle.SP_MediaPause)
        self.previous_button = self._button(QStyle.SP_MediaSkipBackward, "Previous track")
        self.play_button = self._button(QStyle.SP_MediaPlay, "Play")
        self.next_button = self._button(QStyle.SP_MediaSkipForward, "Next track")
        self.shuffle_button = QToolButton(text="Shuffle", checkable=True)
        self.shuffle_button.setAccessibleName("Shuffle")
        self.repeat_button = QToolButton(text=_REPEAT_TEXT[RepeatMode.OFF])
        self.repeat_button.setAccessibleName("Repeat mode")
        self.repeat = RepeatMode.OFF
        self.elapsed = QLabel("0:00")
        self.total = QLabel("–:––")
        self.seek_slider = QSlider(Qt.Horizontal)
        self.seek_slider.setAccessibleName("Seek")
        self.seek_slider.setRange(0, 0)
        self.volume_slider = QSlider(Qt.Horizontal)
        self.volume_slider.setAccessibleName("Volume")
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(100)
        self.volume_slider.setFixedWidth(110)
        volume_icon = QLabel()
        volume_icon.setPixmap(style.standardIcon(QStyle.SP_MediaVolume).pixmap(16, 16))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        for widget in (self.previous_button, self.play_button, self.next_button):
            layout.addWidget(widget)
        layout.addSpacing(8)
        layout.addWidget(self.elapsed)
        layout.addWidget(self.seek_slider, 1)
        layout.addWidget(self.total)
        layout.addSpacing(8)
        layout.addWidget(self.shuffle_button)
        layout.addWidget(self.repeat_button)
        layout.addSpacing(8)
        layout.addWidget(volume_icon)
        layout.addWidget(self.volume_slider)

        self.play_button.clicked.connect(self.play_pause_clicked)
        self.previous_button.clicked.connect(self.previous_clicked)
        self.next_button.clicked.connect(self.next_clicked)
        self.shuffle_button.toggled.connect(self.shuffle_toggled)
        self.repeat_button.clicked.connect(
            lambda: self.repeat_requested.emit(_REPEAT_CYCLE[self.repeat]))
        self.seek_slider.sliderReleased.connect(
            lambda: self.seek_requested.emit(self.seek_slider.value()))
        self.seek_slider.sliderMoved.connect(lambda ms: self.elapsed.setText(duration_text(ms)))
        self.volume_slider.valueChanged.connect(self.volume_requested)

    def _button(self, icon, name: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(self.style().standardIcon(icon))
        button.setToolTip(name)
        button.setAccessibleName(name)
        button.setAutoRaise(True)
        return button

    # -- updates from the player --------------------------------------------------------------
    def show_state(self, state: EngineState) -> None:
        playing = state == EngineState.PLAYING
        self.play_button.setIcon(self._pause_icon if playing else self._play_icon)
        name = "Pause" if playing else "Play"
        self.play_button.setToolTip(name)
        self.play_button.setAccessibleName(name)

    def show_position(self, position_ms: int, duration_ms: int) -> None:
        if duration_ms > 0 and self.seek_slider.maximum() != duration_ms:
            self.seek_slider.setRange(0, duration_ms)
            self.total.setText(duration_text(duration_ms))
        if not self.seek_slider.isSliderDown():
            self.seek_slider.setValue(position_ms)
            self.elapsed.setText(duration_text(position_ms))

    def show_modes(self, shuffle: bool, repeat: RepeatMode) -> None:
        self.repeat = repeat
        self.repeat_button.setText(_REPEAT_TEXT[repeat])
        self.shuffle_button.blockSignals(True)
        self.shuffle_button.setChecked(shuffle)
        self.shuffle_button.blockSignals(False)

    def show_volume(self, volume: int) -> None:
        self.volume_slider.blockSignals(True)
        self.volume_slider.setValue(volume)
        self.volume_slider.blockSignals(False)
