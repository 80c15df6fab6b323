"""The transport bar: previous, play/pause, next, shuffle, repeat, seek slider, times, volume."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QWidget,
)

from app.models import RepeatMode
from app.playback.engine import EngineState
from ui.format import duration_text

_REPEAT_CYCLE = {RepeatMode.OFF: RepeatMode.ALL, RepeatMode.ALL: RepeatMode.ONE,
                 RepeatMode.ONE: RepeatMode.OFF}
_REPEAT_TEXT = {RepeatMode.OFF: "Repeat: off", RepeatMode.ALL: "Repeat: all",
                RepeatMode.ONE: "Repeat: one"}


SEEK_STEP_MS = 5000  # Shift+Left / Shift+Right
VOLUME_STEP = 5  # Ctrl+Up / Ctrl+Down


ICON_PX = 20


def tinted(icon: QIcon, color) -> QIcon:
    """The style's icon in the given colour: its shape as a mask (the standard ones are dark
    grey, nearly invisible on a dark theme)."""
    pixmap = icon.pixmap(ICON_PX, ICON_PX)
    painted = QPixmap(pixmap.size())
    painted.setDevicePixelRatio(pixmap.devicePixelRatio())
    painted.fill(Qt.transparent)
    painter = QPainter(painted)
    painter.drawPixmap(0, 0, pixmap)
    painter.setCompositionMode(QPainter.CompositionMode_SourceIn)
    painter.fillRect(painted.rect(), color)
    painter.end()
    return QIcon(painted)


class JumpSlider(QSlider):
    """A slider that goes where it is clicked (a plain QSlider only steps towards the click),
    and can be dragged on from there."""

    def mousePressEvent(self, event):
        if event.button() == Qt.LeftButton:
            option = QStyleOptionSlider()
            self.initStyleOption(option)
            style = self.style()
            handle = style.subControlRect(QStyle.CC_Slider, option, QStyle.SC_SliderHandle, self)
            point = event.position().toPoint()
            if not handle.contains(point):
                groove = style.subControlRect(QStyle.CC_Slider, option, QStyle.SC_SliderGroove,
                                              self)
                half = handle.width() // 2
                value = QStyle.sliderValueFromPosition(
                    self.minimum(), self.maximum(), point.x() - groove.x() - half,
                    max(1, groove.width() - handle.width()), option.upsideDown)
                self.setValue(value)  # the handle is now under the pointer: the press takes it
        super().mousePressEvent(event)


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
        self.previous_button = self._button("Previous track")
        self.play_button = self._button("Play")
        self.next_button = self._button("Next track")
        self.shuffle_button = QToolButton(text="Shuffle", checkable=True)
        self.shuffle_button.setAccessibleName("Shuffle")
        self.repeat_button = QToolButton(text=_REPEAT_TEXT[RepeatMode.OFF])
        self.repeat_button.setAccessibleName("Repeat mode")
        self.repeat = RepeatMode.OFF
        self.elapsed = QLabel("0:00")
        self.total = QLabel("–:––")
        self.seek_slider = JumpSlider(Qt.Horizontal)
        self.seek_slider.setAccessibleName("Seek")
        self.seek_slider.setRange(0, 0)
        self.volume_slider = JumpSlider(Qt.Horizontal)
        self.volume_slider.setAccessibleName("Volume")
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(100)
        self.volume_slider.setFixedWidth(110)
        self.mute_button = self._button("Mute")
        self._unmuted_volume = 100  # what unmuting goes back to
        self._playing = False
        self._paint_icons()

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
        layout.addWidget(self.mute_button)
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
        self.volume_slider.valueChanged.connect(self._show_mute)
        self.mute_button.clicked.connect(self.toggle_mute)

    # -- what the keyboard asks for -----------------------------------------------------------
    def seek_by(self, delta_ms: int) -> None:
        """Seek from what the bar shows, within the track."""
        if self.seek_slider.maximum() <= 0:
            return  # nothing playing, or a length not known yet
        target = min(max(0, self.seek_slider.value() + delta_ms), self.seek_slider.maximum())
        self.seek_slider.setValue(target)
        self.elapsed.setText(duration_text(target))
        self.seek_requested.emit(target)

    def change_volume(self, delta: int) -> None:
        self.volume_slider.setValue(self.volume_slider.value() + delta)  # clamped to 0-100

    def toggle_mute(self) -> None:
        volume = self.volume_slider.value()
        if volume > 0:
            self._unmuted_volume = volume
            self.volume_slider.setValue(0)
        else:
            self.volume_slider.setValue(self._unmuted_volume or 100)

    def _show_mute(self, volume: int) -> None:
        muted = volume == 0
        self.mute_button.setIcon(self._muted_icon if muted else self._volume_icon)
        name = "Unmute" if muted else "Mute"
        self.mute_button.setToolTip(name)
        self.mute_button.setAccessibleName(name)

    def _paint_icons(self) -> None:
        """The buttons' icons in the theme's text colour (again whenever the theme changes)."""
        color = self.palette().buttonText().color()
        style = self.style()
        icons = {key: tinted(style.standardIcon(key), color) for key in (
            QStyle.SP_MediaPlay, QStyle.SP_MediaPause, QStyle.SP_MediaSkipBackward,
            QStyle.SP_MediaSkipForward, QStyle.SP_MediaVolume, QStyle.SP_MediaVolumeMuted)}
        self._play_icon, self._pause_icon = icons[QStyle.SP_MediaPlay], icons[QStyle.SP_MediaPause]
        self._volume_icon = icons[QStyle.SP_MediaVolume]
        self._muted_icon = icons[QStyle.SP_MediaVolumeMuted]
        self.previous_button.setIcon(icons[QStyle.SP_MediaSkipBackward])
        self.next_button.setIcon(icons[QStyle.SP_MediaSkipForward])
        self.play_button.setIcon(self._pause_icon if self._playing else self._play_icon)
        self.mute_button.setIcon(self._muted_icon if self.volume_slider.value() == 0
                                 else self._volume_icon)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if (event.type() in (QEvent.PaletteChange, QEvent.ApplicationPaletteChange)
                and hasattr(self, "mute_button")):
            self._paint_icons()
        super().changeEvent(event)

    def _button(self, name: str) -> QToolButton:
        button = QToolButton()
        button.setToolTip(name)
        button.setAccessibleName(name)
        button.setAutoRaise(True)
        return button

    # -- updates from the player --------------------------------------------------------------
    def show_state(self, state: EngineState) -> None:
        playing = self._playing = state == EngineState.PLAYING
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
        self._show_mute(volume)
