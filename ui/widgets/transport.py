"""The player bar along the bottom of the window: now playing at the left; shuffle, previous,
play/pause, next, repeat and the seek bar in the middle; mute, volume and its figure at the
right. Icons come from the theme and are drawn again when it changes."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models import RepeatMode
from app.playback.engine import EngineState
from ui.format import duration_text
from ui.theme import colours, font_of
from ui.theme.apply import style_sheet, themed
from ui.theme.icons import icon
from ui.theme.tokens import SPACE, Colours

_REPEAT_CYCLE = {RepeatMode.OFF: RepeatMode.ALL, RepeatMode.ALL: RepeatMode.ONE,
                 RepeatMode.ONE: RepeatMode.OFF}
_REPEAT_TEXT = {RepeatMode.OFF: "Repeat: off", RepeatMode.ALL: "Repeat: all",
                RepeatMode.ONE: "Repeat: one"}


SEEK_STEP_MS = 5000  # Shift+Left / Shift+Right
VOLUME_STEP = 5  # Ctrl+Up / Ctrl+Down

ICON_PX = 20
PLAY_PX = 40  # the round play button
SIDE_MIN_PX = 180  # now playing and the volume keep this much beside the controls


def _slider_sheet(c: Colours) -> str:
    """A thin groove filled with the accent up to the handle, a round handle."""
    return (f"QSlider::groove:horizontal {{ height: 4px; background: {c.border}; border-radius: 2px; }}"
            f"QSlider::sub-page:horizontal {{ background: {c.accent}; border-radius: 2px; }}"
            f"QSlider::handle:horizontal {{ background: {c.text}; width: 12px; height: 12px;"
            f" margin: -4px 0; border-radius: 6px; }}"
            f"QSlider::handle:horizontal:hover {{ background: {c.accent}; }}")


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


class TransportBar(QFrame):
    play_pause_clicked = Signal()
    previous_clicked = Signal()
    next_clicked = Signal()
    seek_requested = Signal(int)     # ms
    volume_requested = Signal(int)   # 0-100
    shuffle_toggled = Signal(bool)
    repeat_requested = Signal(object)  # RepeatMode
    now_playing_requested = Signal()  # the full-window player
    mini_requested = Signal()  # the mini-player
    queue_toggled = Signal(bool)  # the queue pane shown or not

    def __init__(self, now_playing: QWidget | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("playerBar")
        self.setAccessibleName("Player")
        self.previous_button = self._button("Previous track")
        self.play_button = self._button("Play")
        self.play_button.setObjectName("playButton")
        self.play_button.setFixedSize(PLAY_PX, PLAY_PX)
        self.next_button = self._button("Next track")
        self.shuffle_button = self._button("Shuffle: off")
        self.shuffle_button.setCheckable(True)
        self.repeat_button = self._button(_REPEAT_TEXT[RepeatMode.OFF])
        self.repeat = RepeatMode.OFF
        self.elapsed = QLabel("0:00")
        self.total = QLabel("–:––")
        for label in (self.elapsed, self.total):
            label.setFont(font_of("small"))
            label.setMinimumWidth(40)
        self.elapsed.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.seek_slider = JumpSlider(Qt.Horizontal)
        self.seek_slider.setAccessibleName("Seek")
        self.seek_slider.setToolTip("Seek (Shift+Left / Shift+Right)")
        self.seek_slider.setRange(0, 0)
        self.volume_slider = JumpSlider(Qt.Horizontal)
        self.volume_slider.setAccessibleName("Volume")
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(100)
        self.volume_slider.setMinimumWidth(56)  # narrower in a small window,
        self.volume_slider.setMaximumWidth(100)  # never over its figure
        self.volume_figure = QLabel("100")
        self.volume_figure.setAccessibleName("Volume level")
        self.volume_figure.setFont(font_of("small"))
        self.volume_figure.setMinimumWidth(28)
        self.mute_button = self._button("Mute")
        self.expand_button = self._button("Now playing, full window (Ctrl+Shift+N)")
        self.mini_button = self._button("Mini player (Ctrl+Shift+M)")
        self.queue_button = self._button("Queue")
        self.queue_button.setCheckable(True)
        self._unmuted_volume = 100  # what unmuting goes back to
        self._playing = False
        for slider in (self.seek_slider, self.volume_slider):
            style_sheet(slider, _slider_sheet)
        style_sheet(self, lambda c: (
            f"QFrame#playerBar {{ background: {c.sidebar}; border-top: 1px solid {c.border}; }}"
            f"QToolButton {{ border: none; border-radius: {PLAY_PX // 2}px; padding: 4px; }}"
            f"QToolButton:hover {{ background: {c.raised}; }}"
            f"QToolButton#playButton {{ background: {c.text}; }}"
            f"QToolButton#playButton:hover {{ background: {c.accent}; }}"
            f"QLabel {{ color: {c.muted}; }}"))
        themed(self, lambda widget, c: widget._paint_icons())

        buttons = QHBoxLayout()
        buttons.setSpacing(SPACE * 2)
        buttons.addStretch(1)
        for widget in (self.shuffle_button, self.previous_button, self.play_button,
                       self.next_button, self.repeat_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        seek_row = QHBoxLayout()
        seek_row.addWidget(self.elapsed)
        seek_row.addWidget(self.seek_slider, 1)
        seek_row.addWidget(self.total)
        middle = QVBoxLayout()
        middle.setSpacing(2)
        middle.addLayout(buttons)
        middle.addLayout(seek_row)
        right = QHBoxLayout()
        right.addStretch(1)
        right.addWidget(self.queue_button)
        right.addWidget(self.expand_button)
        right.addWidget(self.mini_button)
        right.addSpacing(SPACE)
        right.addWidget(self.mute_button)
        right.addWidget(self.volume_slider)
        right.addWidget(self.volume_figure)

        left = now_playing if now_playing is not None else QWidget()
        left.setMinimumWidth(SIDE_MIN_PX)
        right_box = QWidget()
        right_box.setLayout(right)
        right_box.setMinimumWidth(max(SIDE_MIN_PX, right.minimumSize().width()))  # its buttons whole
        left.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # the title elides
        right_box.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACE * 2, SPACE, SPACE * 2, SPACE)
        layout.setSpacing(SPACE * 2)
        layout.addWidget(left, 3)
        layout.addLayout(middle, 4)  # the controls stay in the middle: equal sides
        layout.addWidget(right_box, 3)

        self.play_button.clicked.connect(self.play_pause_clicked)
        self.previous_button.clicked.connect(self.previous_clicked)
        self.next_button.clicked.connect(self.next_clicked)
        self.shuffle_button.toggled.connect(self.shuffle_toggled)
        self.shuffle_button.toggled.connect(lambda _on: self._paint_icons())
        self.repeat_button.clicked.connect(
            lambda: self.repeat_requested.emit(_REPEAT_CYCLE[self.repeat]))
        self.seek_slider.sliderReleased.connect(
            lambda: self.seek_requested.emit(self.seek_slider.value()))
        self.seek_slider.sliderMoved.connect(lambda ms: self.elapsed.setText(duration_text(ms)))
        self.volume_slider.valueChanged.connect(self.volume_requested)
        self.volume_slider.valueChanged.connect(self._show_volume_state)
        self.mute_button.clicked.connect(self.toggle_mute)
        self.expand_button.clicked.connect(self.now_playing_requested)
        self.mini_button.clicked.connect(self.mini_requested)
        self.queue_button.clicked.connect(lambda: self.queue_toggled.emit(self.queue_button.isChecked()))

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

    def _show_volume_state(self, volume: int) -> None:
        name = "Unmute" if volume == 0 else "Mute"
        self.mute_button.setToolTip(f"{name} (Ctrl+M)")
        self.mute_button.setAccessibleName(name)
        self.volume_figure.setText(str(volume))
        self.volume_slider.setToolTip(f"Volume {volume}% (Ctrl+Up / Ctrl+Down)")
        self._paint_icons()

    def _paint_icons(self) -> None:
        """Every icon from the state it shows and the theme in use: a mode that is on is drawn
        in the accent colour, the play button's glyph on its own round background."""
        c = colours()
        self.play_button.setIcon(icon("pause" if self._playing else "play", c.window))
        self.previous_button.setIcon(icon("previous", c.text))
        self.next_button.setIcon(icon("next", c.text))
        self.shuffle_button.setIcon(icon("shuffle", c.accent if self.shuffle_button.isChecked() else c.muted))
        self.repeat_button.setIcon(icon("repeat-one" if self.repeat == RepeatMode.ONE else "repeat",
                                        c.muted if self.repeat == RepeatMode.OFF else c.accent))
        self.mute_button.setIcon(icon("muted" if self.volume_slider.value() == 0 else "volume", c.text))
        self.expand_button.setIcon(icon("expand", c.muted, c.text))
        self.queue_button.setIcon(icon("queue", c.accent if self.queue_button.isChecked() else c.muted))
        self.mini_button.setIcon(icon("mini", c.muted, c.text))
        for button in (self.previous_button, self.next_button, self.shuffle_button,
                       self.repeat_button, self.mute_button, self.expand_button, self.mini_button,
                       self.queue_button):
            button.setIconSize(QSize(ICON_PX, ICON_PX))
        self.play_button.setIconSize(QSize(ICON_PX, ICON_PX))

    def _button(self, name: str) -> QToolButton:
        button = QToolButton()
        button.setToolTip(name)
        button.setAccessibleName(name.split(" (")[0])  # the name without its key
        button.setAutoRaise(True)
        button.setCursor(Qt.PointingHandCursor)
        return button

    # -- updates from the player --------------------------------------------------------------
    def show_state(self, state: EngineState) -> None:
        self._playing = state == EngineState.PLAYING
        name = "Pause" if self._playing else "Play"
        self.play_button.setToolTip(f"{name} (Space)")
        self.play_button.setAccessibleName(name)
        self._paint_icons()

    def show_position(self, position_ms: int, duration_ms: int) -> None:
        if duration_ms > 0 and self.seek_slider.maximum() != duration_ms:
            self.seek_slider.setRange(0, duration_ms)
            self.total.setText(duration_text(duration_ms))
        if not self.seek_slider.isSliderDown():
            self.seek_slider.setValue(position_ms)
            self.elapsed.setText(duration_text(position_ms))

    def show_modes(self, shuffle: bool, repeat: RepeatMode) -> None:
        self.repeat = repeat
        self.repeat_button.setToolTip(_REPEAT_TEXT[repeat])
        self.repeat_button.setAccessibleName(_REPEAT_TEXT[repeat])
        self.shuffle_button.blockSignals(True)
        self.shuffle_button.setChecked(shuffle)
        self.shuffle_button.blockSignals(False)
        shuffle_text = f"Shuffle: {'on' if shuffle else 'off'}"
        self.shuffle_button.setToolTip(shuffle_text)
        self.shuffle_button.setAccessibleName(shuffle_text)
        self._paint_icons()

    def show_queue_pane(self, shown: bool) -> None:
        self.queue_button.setChecked(shown)
        self.queue_button.setToolTip("Hide the queue" if shown else "Show the queue")
        self._paint_icons()

    def show_volume(self, volume: int) -> None:
        self.volume_slider.blockSignals(True)
        self.volume_slider.setValue(volume)
        self.volume_slider.blockSignals(False)
        self._show_volume_state(volume)

