"""Playback ▸ Sound…: the 10-band equaliser with libvlc's presets, loudness levelling
(ReplayGain from tags, or measured here) with its pre-amp, and transitions (silence trimming,
crossfade, smart transitions, fade on skip).

Changes are heard at once (the player gets each one); Save keeps them, Cancel puts back what was
there before.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QVBoxLayout,
)

from app.playback.sound import BANDS_HZ, GAIN_LIMIT_DB, PREAMP_RANGE_DB, Equalizer
from app.settings import (
    CROSSFADE_S,
    EQUALIZER,
    FADE_ON_SKIP,
    PREAMP_DB,
    REPLAY_GAIN,
    SMART_TRANSITIONS,
    TRIM_SILENCE,
)
from ui.dialogs.setting_rows import section_heading, setting_row
from ui.theme.sheets import designed_dialog
from ui.theme.tokens import SPACE
from ui.widgets.toggle_switch import ToggleSwitch
from ui.workers import run_task

CUSTOM = "Custom"
# Each levelling mode in one line, shown under the choice.
LEVELLING = {
    "off": "Every track plays as loud as it was made.",
    "track": "Every track plays at the same loudness (-18 LUFS), a shuffle without jumps.",
    "album": "Albums play at one loudness, their quiet and loud songs kept as the artist set them.",
}

# Each transition setting in one line.
CROSSFADE_OFF = "Tracks follow each other with no gap and no overlap."
CROSSFADE_ON = ("Each track is mixed into the next over this many seconds, at even loudness; "
                "never inside an album played in order.")
SMART_NOTE = ("A song that fades out overlaps the next by its own fade; one that stops dead "
              "keeps a clean cut.")
SKIP_NOTE = "A skip fades over up to 3 s instead of cutting at once."


def _band_label(hz: int) -> str:
    return f"{hz // 1000} kHz" if hz >= 1000 else f"{hz} Hz"


class SoundDialog(QDialog):
    def __init__(self, services, presets: list[Equalizer], parent=None):
        super().__init__(parent)
        designed_dialog(self)
        self.setWindowTitle("Sound")
        self.services = services
        self.player = services.player
        self.presets = {preset.preset: preset for preset in presets}
        settings = services.settings
        self._saved_equalizer = Equalizer.from_setting(settings.read(EQUALIZER))
        self._saved_replay_gain = settings.read(REPLAY_GAIN)
        self._saved_preamp = settings.read(PREAMP_DB)
        self._saved_trim = settings.read(TRIM_SILENCE)
        self._saved_fades = (settings.read(CROSSFADE_S), settings.read(SMART_TRANSITIONS),
                             settings.read(FADE_ON_SKIP))

        self.enabled = ToggleSwitch("Equaliser on")
        self.preset = QComboBox()
        self.preset.setAccessibleName("Equaliser preset")
        self.preset.addItems([CUSTOM, *self.presets])
        self.preset.setMinimumWidth(160)
        self.preamp = self._slider("Preamp")
        self.preamp.setRange(int(PREAMP_RANGE_DB[0]), int(PREAMP_RANGE_DB[1]))
        self.bands = [self._slider(f"Equaliser band {_band_label(hz)}") for hz in BANDS_HZ]
        grid = QGridLayout()
        grid.setContentsMargins(0, SPACE, 0, SPACE)
        grid.setVerticalSpacing(SPACE // 2)
        for column, (slider, label) in enumerate(
                [(self.preamp, "Preamp"), *zip(self.bands, map(_band_label, BANDS_HZ), strict=True)]):
            grid.addWidget(slider, 0, column, Qt.AlignHCenter)
            grid.addWidget(QLabel(label), 1, column, Qt.AlignHCenter)
        self.replay_gain = QComboBox()
        self.replay_gain.setAccessibleName("Loudness levelling")
        self.replay_gain.addItems([mode.capitalize() for mode in REPLAY_GAIN.choices])
        self.replay_gain.setCurrentIndex(REPLAY_GAIN.choices.index(self._saved_replay_gain))
        self.levelling_preamp = QDoubleSpinBox(minimum=PREAMP_DB.low, maximum=PREAMP_DB.high,
                                               singleStep=0.5, decimals=1, suffix=" dB")
        self.levelling_preamp.setAccessibleName("Levelling pre-amp")
        self.levelling_preamp.setValue(self._saved_preamp)
        self.trim_silence = ToggleSwitch("Trim the silence before and after each track's music")
        self.trim_silence.setChecked(self._saved_trim)
        self.crossfade = QSpinBox(minimum=int(CROSSFADE_S.low), maximum=int(CROSSFADE_S.high),
                                  suffix=" s", specialValueText="Off")
        self.crossfade.setAccessibleName("Crossfade")
        self.crossfade.setValue(self._saved_fades[0])
        self.smart = ToggleSwitch("Smart transitions")
        self.smart.setChecked(self._saved_fades[1])
        self.fade_on_skip = ToggleSwitch("Fade on skip")
        self.fade_on_skip.setChecked(self._saved_fades[2])
        for control in (self.preset, self.replay_gain, self.levelling_preamp, self.crossfade):
            control.setMinimumWidth(160)  # one column of controls

        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel,
                                   accepted=self.save, rejected=self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE * 2, 0, SPACE * 2, SPACE * 2)
        layout.setSpacing(0)
        layout.addWidget(section_heading("Equaliser"))
        layout.addWidget(setting_row("Equaliser", "Shapes the sound across ten bands.", self.enabled))
        layout.addWidget(setting_row("Preset", "A shape made for a kind of music, or your own "
                                     "(Custom).", self.preset))
        layout.addLayout(grid)
        layout.addWidget(section_heading("Loudness"))
        levelling = setting_row("Levelling", "", self.replay_gain)
        self.levelling_note = levelling.about  # says what the mode chosen does
        layout.addWidget(levelling)
        layout.addWidget(setting_row("Pre-amp", "Raises or lowers every track after levelling.",
                                     self.levelling_preamp))
        layout.addWidget(section_heading("Transitions"))
        layout.addWidget(setting_row("Trim silence", "Skips the silence before and after each "
                                     "track's music.", self.trim_silence))
        crossfade = setting_row("Crossfade", "", self.crossfade)
        self.crossfade_note = crossfade.about
        layout.addWidget(crossfade)
        self.fade_rows = [setting_row("Smart transitions", SMART_NOTE, self.smart),
                          setting_row("Fade on skip", SKIP_NOTE, self.fade_on_skip)]
        for row in self.fade_rows:
            layout.addWidget(row)
        layout.addSpacing(SPACE * 2)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)  # eleven sliders, each with its label
        self.resize(600, self.sizeHint().height())  # the rows' wrapped lines all shown
        self._show_levelling()
        self._show_crossfade()

        self._show(self._saved_equalizer)
        self.enabled.toggled.connect(self._changed)
        self.preset.currentTextChanged.connect(self._choose_preset)
        for slider in (self.preamp, *self.bands):
            slider.valueChanged.connect(self._slid)
        self.replay_gain.currentIndexChanged.connect(self._levelling_changed)
        self.levelling_preamp.valueChanged.connect(self._levelling_changed)
        self.trim_silence.toggled.connect(self.player.set_trim_silence)  # from the next track
        for control in (self.smart, self.fade_on_skip):
            control.toggled.connect(self._crossfade_changed)
        self.crossfade.valueChanged.connect(self._crossfade_changed)

    def _fades(self) -> tuple[int, bool, bool]:
        return self.crossfade.value(), self.smart.isChecked(), self.fade_on_skip.isChecked()

    def _show_crossfade(self) -> None:
        on = self.crossfade.value() > 0
        self.crossfade_note.setText(CROSSFADE_ON if on else CROSSFADE_OFF)
        for row in self.fade_rows:  # they shape a crossfade: there is none to shape
            row.setEnabled(on)

    def _crossfade_changed(self) -> None:
        self._show_crossfade()
        self.player.set_crossfade(*self._fades())  # from the next transition on
        if self.crossfade.value():  # how each track ends, for smart transitions (a worker)
            run_task(lambda: self.services.loudness.poke(), owner=self)

    def _mode(self) -> str:
        return REPLAY_GAIN.choices[self.replay_gain.currentIndex()]

    def _show_levelling(self) -> None:
        mode = self._mode()
        self.levelling_note.setText(LEVELLING[mode])
        self.levelling_preamp.setEnabled(mode != "off")

    def _levelling_changed(self) -> None:
        self._show_levelling()
        self.player.set_replay_gain(self._mode(), self.levelling_preamp.value())  # heard at once

    def _slider(self, name: str) -> QSlider:
        slider = QSlider(Qt.Vertical, minimum=int(-GAIN_LIMIT_DB), maximum=int(GAIN_LIMIT_DB))
        slider.setAccessibleName(name)
        slider.setFixedHeight(130)  # a fixed height: its label below never runs into it
        return slider

    def _show(self, equalizer: Equalizer | None) -> None:
        shown = equalizer or Equalizer()
        for slider, value in zip((self.preamp, *self.bands), (shown.preamp_db, *shown.gains_db), strict=True):
            slider.blockSignals(True)
            slider.setValue(round(value))
            slider.blockSignals(False)
        self.preset.blockSignals(True)
        self.preset.setCurrentText(shown.preset if shown.preset in self.presets else CUSTOM)
        self.preset.blockSignals(False)
        self.enabled.setChecked(equalizer is not None)

    def current(self) -> Equalizer | None:
        if not self.enabled.isChecked():
            return None
        preset = self.preset.currentText()
        return Equalizer(float(self.preamp.value()), tuple(float(s.value()) for s in self.bands),
                         "" if preset == CUSTOM else preset)

    def _choose_preset(self, name: str) -> None:
        if name in self.presets:
            self._show(self.presets[name])
            self.enabled.setChecked(True)
        self._changed()

    def _slid(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentText(CUSTOM)  # moved by hand: no longer the preset
        self.preset.blockSignals(False)
        self._changed()

    def _changed(self) -> None:
        self.player.set_equalizer(self.current())  # heard at once

    def save(self) -> None:
        equalizer = self.current()
        mode, preamp = self._mode(), self.levelling_preamp.value()
        trim = self.trim_silence.isChecked()
        fades = self._fades()
        settings = self.services.settings
        self.player.set_replay_gain(mode, preamp)
        self.player.set_trim_silence(trim)
        self.player.set_crossfade(*fades)

        def job():
            settings.write(EQUALIZER, equalizer.to_setting() if equalizer else None)
            settings.write(REPLAY_GAIN, mode)
            settings.write(PREAMP_DB, preamp)
            settings.write(TRIM_SILENCE, trim)
            for setting, value in zip((CROSSFADE_S, SMART_TRANSITIONS, FADE_ON_SKIP), fades,
                                      strict=True):
                settings.write(setting, value)

        run_task(job, on_done=lambda _: self.accept(), owner=self)

    def reject(self) -> None:
        self.player.set_equalizer(self._saved_equalizer)  # put back what was heard before
        self.player.set_replay_gain(self._saved_replay_gain, self._saved_preamp)
        self.player.set_trim_silence(self._saved_trim)
        self.player.set_crossfade(*self._saved_fades)
        super().reject()
