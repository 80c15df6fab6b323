"""The equaliser, heard: real files decoded by real libvlc, loudness measured (levelling:
tests/test_loudness.py)."""

from __future__ import annotations

import subprocess
import threading

import numpy as np
import pytest

from app.playback.decode import decode_to_pcm
from app.playback.engine import EngineEventKind
from app.playback.sound import BANDS_HZ, Equalizer
from app.playback.vlc_engine import VlcEngine, equalizer_presets
from app.settings import EQUALIZER, OUTPUT_DEVICE, REPLAY_GAIN
from tests.audio import pcm_to_mono, require_ffmpeg


def _tone(path, hz: float, seconds: float = 2.0):
    subprocess.run([require_ffmpeg(), "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency={hz}:duration={seconds}:sample_rate=44100", "-ac", "2",
                    "-c:a", "flac", str(path)], check=True)
    return path


def _loudness(path, equalizer: Equalizer | None = None) -> float:
    """RMS of the decoded audio, its first and last 0.2 s left out."""
    pcm = decode_to_pcm(path, equalizer)
    samples = pcm_to_mono(pcm)[8820:-8820]
    assert samples.size > 44100
    return float(np.sqrt(np.mean(samples ** 2)))


def test_libvlc_presets_are_offered():
    presets = {preset.preset: preset for preset in equalizer_presets()}
    assert {"Flat", "Full bass", "Rock"} <= set(presets)
    assert all(len(p.gains_db) == len(BANDS_HZ) for p in presets.values())
    assert presets["Full bass"].gains_db[1] > presets["Flat"].gains_db[1] == 0
    assert presets["Flat"].preamp_db == 0  # libvlc's 12 dB of headroom is taken care of


def test_the_equaliser_boosts_the_band_it_is_told_to_and_flat_changes_nothing(tmp_path):
    low = _tone(tmp_path / "60hz.flac", 60)
    off = _loudness(low)
    assert _loudness(low, Equalizer()) == pytest.approx(off, rel=0.05)  # flat at preamp 0
    assert _loudness(low, Equalizer(0.0, (12.0,) + (0.0,) * 9)) > 1.6 * off
    assert _loudness(low, Equalizer(-6.0)) == pytest.approx(off / 2, rel=0.1)  # preamp -6 dB
    high = _tone(tmp_path / "1khz.flac", 1000)
    assert _loudness(high, Equalizer(0.0, (12.0,) + (0.0,) * 9)) == pytest.approx(_loudness(high), rel=0.1)


def test_sound_settings_round_trip_through_the_dialog(qtbot, services):
    from app.playback.null_engine import NullEngine
    from ui.dialogs.sound_dialog import SoundDialog

    engine = NullEngine()
    player = services.start_player(engine)
    presets = [Equalizer(2.0, (6.0,) * 10, "Loud"), Equalizer(0.0, (0.0,) * 10, "Flat")]
    dialog = SoundDialog(services, presets)
    qtbot.addWidget(dialog)
    assert not dialog.enabled.isChecked()
    dialog.preset.setCurrentText("Loud")
    qtbot.waitUntil(lambda: engine.equalizer is not None and engine.equalizer.preset == "Loud")
    dialog.bands[0].setValue(-3)  # by hand: a custom curve now
    qtbot.waitUntil(lambda: engine.equalizer.gains_db[0] == -3.0 and engine.equalizer.preset == "")
    dialog.replay_gain.setCurrentText("Album")
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    assert services.settings.read(EQUALIZER)["gains_db"][0] == -3.0
    assert services.settings.read(REPLAY_GAIN) == "album"
    qtbot.waitUntil(lambda: player.replay_gain == "album")

    again = SoundDialog(services, presets)
    qtbot.addWidget(again)
    assert again.enabled.isChecked() and again.bands[0].value() == -3
    again.enabled.setChecked(False)
    qtbot.waitUntil(lambda: engine.equalizer is None)
    again.reject()  # cancelled: the saved curve is back
    qtbot.waitUntil(lambda: engine.equalizer is not None and engine.equalizer.gains_db[0] == -3.0)


# -- the gap between tracks -----------------------------------------------------------------
def test_the_simulated_card_hears_an_underrun_as_silence():
    from app.bench.paced_sink import PacedSink
    from app.bench.pcm_analysis import RATE, longest_silence_s

    tone = (0.3 * 32767 * np.sin(2 * np.pi * 440 * np.arange(RATE // 10) / RATE)).astype(np.int16)
    chunk = np.repeat(tone, 2).tobytes()  # 100 ms, stereo
    card = PacedSink(buffer_s=0.05)
    card(chunk)
    card.drain()  # played out, as at the end of a track; the next audio comes at once
    card(chunk)
    _, heard = card.timeline()
    assert heard.size >= 2 * tone.size  # the second chunk starts after the first finished
    assert longest_silence_s(heard) < 0.01  # drained, then fed at once: no gap

    late = PacedSink(buffer_s=0.05)
    late(chunk)
    late.drain()
    threading.Event().wait(0.15)  # the next track's audio is late by 150 ms (the fault modelled)
    late(chunk)
    _, heard = late.timeline()
    assert 0.14 <= longest_silence_s(heard) < 0.3  # the wait is heard


def test_bench_gap_reports_the_silence_heard_at_a_gapless_cut():
    from app.bench.gap_bench import run_gap_bench

    result = run_gap_bench(formats=("flac",), runs=1)
    flac = result["formats"]["flac"]
    assert set(flac) == {"own_silence_ms", "gapless", "vlc_output"}
    assert flac["own_silence_ms"] < 5  # one unbroken tone cut in two: FLAC adds no padding
    for output in ("gapless", "vlc_output"):
        assert set(flac[output]) == {"gap_ms", "added_ms", "runs_ms"}
    # Prelude's own output (the default) adds nothing; libvlc's drains between tracks, and
    # what that costs is measured as the baseline.
    assert flac["gapless"]["added_ms"] <= 1.0
    assert 0 <= flac["vlc_output"]["added_ms"] < 200
    assert result["median_added_ms"] == {"gapless": flac["gapless"]["added_ms"],
                                         "vlc_output": flac["vlc_output"]["added_ms"]}


# -- the output device ----------------------------------------------------------------------
def test_the_output_device_is_listed_chosen_and_played_on(tmp_path):
    """ALSA lists its devices even with no sound card here; its "null" device plays (in real
    time) and discards the sound, which is enough to see the choice taken."""
    engine = VlcEngine(audio_output="alsa")
    ended, playing = threading.Event(), threading.Event()
    kinds = []

    def listener(event):
        kinds.append(event.kind)
        if event.kind == EngineEventKind.STATE and event.value == "playing":
            playing.set()
        if event.kind in (EngineEventKind.ENDED, EngineEventKind.ERROR):
            ended.set()

    engine.set_listener(listener)
    try:
        devices = dict(engine.output_devices())
        assert "null" in devices and devices["null"]  # an id and a description
        engine.set_output_device("null")
        engine.load(str(_tone(tmp_path / "tone.flac", 440, 1.5)))
        assert playing.wait(30)
        assert engine._player.audio_output_device_get() == "null"
        assert ended.wait(30) and kinds[-1] == EngineEventKind.ENDED, kinds
        engine.set_output_device(None)  # back to the system's choice
        assert engine.output_device is None
    finally:
        engine.close()


def test_settings_offer_the_devices_and_keep_the_choice(qtbot, services, tone_library):
    from tests.gui_window import library_window
    from ui.dialogs.settings_dialog import SettingsDialog

    with library_window(qtbot, services, tone_library, VlcEngine(audio_output="alsa")) as window:
        dialog = SettingsDialog(window)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.device.findData("null") > 0, timeout=30_000)
        assert dialog.device.itemData(0) is None  # "System default" first
        dialog.device.setCurrentIndex(dialog.device.findData("null"))
        with qtbot.waitSignal(dialog.accepted, timeout=30_000):
            dialog.save()
        assert services.settings.read(OUTPUT_DEVICE) == "null"
        assert services.player.call(lambda: services.player.engine.output_device) == "null"
        again = SettingsDialog(window)  # the choice is shown when the dialog opens again
        qtbot.addWidget(again)
        assert again.device.currentData() == "null"
