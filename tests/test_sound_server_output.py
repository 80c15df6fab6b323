"""The default output end to end on a real sound stack: `prelude play --headless` plays through
PortAudio, ALSA's pulse plugin and a private PulseAudio whose only sink writes what it plays, in
real time, into a pipe this test reads. What came out is checked sample for sample."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from app.bench.gap_bench import make_cut_tone
from app.playback.pcm_analysis import RATE, dominant_frequency, longest_silence_s, pcm_to_mono
from tests.cli import PRELUDE, run_prelude
from tests.conftest import WAIT_S


class PrivatePulse:
    """pulseaudio on a socket of its own; `captured()` is what its sink played."""

    def __init__(self, folder):
        daemon = shutil.which("pulseaudio")
        if daemon is None:
            raise RuntimeError("pulseaudio is missing: run 'bash .ci/setup --dev'")
        folder.mkdir(parents=True, exist_ok=True)
        self.socket, fifo = folder / "native", folder / "capture.fifo"
        script = folder / "default.pa"
        script.write_text(
            f"load-module module-native-protocol-unix socket={self.socket} auth-anonymous=1\n"
            f"load-module module-pipe-sink sink_name=capture file={fifo} format=s16le "
            f"rate={RATE} channels=2 use_system_clock_for_timing=yes\n"
            "set-default-sink capture\n")
        env = {**os.environ, "HOME": str(folder), "XDG_RUNTIME_DIR": str(folder)}
        self._process = subprocess.Popen(
            [daemon, "-n", "-F", str(script), "--daemonize=no", "--exit-idle-time=-1",
             "--disallow-exit", "--use-pid-file=no", "--log-target=stderr", "--log-level=info"],
            env=env, stderr=subprocess.PIPE, text=True)
        self._ready = threading.Event()
        self.log: list[str] = []
        threading.Thread(target=self._read_log, daemon=True).start()
        assert self._ready.wait(WAIT_S), "pulseaudio did not start: " + "".join(self.log)
        self._audio = bytearray()
        self._lock = threading.Lock()
        self._fifo = open(fifo, "rb", buffering=0)  # noqa: SIM115 - read by the thread below
        threading.Thread(target=self._read_audio, daemon=True).start()

    def _read_log(self):
        for line in self._process.stderr:
            self.log.append(line)
            if "Daemon startup complete" in line:
                self._ready.set()

    def _read_audio(self):
        while chunk := self._fifo.read(65536):
            with self._lock:
                self._audio.extend(chunk)

    def captured(self) -> np.ndarray:
        with self._lock:
            return pcm_to_mono(bytes(self._audio))

    def env(self, data_dir) -> dict:
        env = {key: value for key, value in os.environ.items() if key != "PRELUDE_AUDIO_OUTPUT"}
        return {**env, "PRELUDE_DATA_DIR": str(data_dir), "PULSE_SERVER": f"unix:{self.socket}"}

    def kill(self):
        self._process.kill()
        self._process.wait(WAIT_S)

    def close(self):
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait(WAIT_S)
        self._fifo.close()


def _scanned_cut_tone(tmp_path, extension: str):
    """A profile whose library is one tone cut in two files (6 s in all); its data folder."""
    music = tmp_path / "music"
    music.mkdir()
    make_cut_tone(music, extension)
    data = tmp_path / "data"
    assert run_prelude(data, "scan", str(music)).returncode == 0
    return data


def _heard_tone(pulse) -> np.ndarray:
    """What the sound server played, from its first loud sample to its last."""
    heard = pulse.captured()
    loud = np.flatnonzero(np.abs(heard) > 0.02)
    assert loud.size, "nothing reached the sound server"
    return heard[loud[0]: loud[-1] + 1]


@pytest.fixture
def pulse(tmp_path):
    server = PrivatePulse(tmp_path / "pulse")
    yield server
    server.close()


def test_the_default_output_plays_an_album_gaplessly_through_a_sound_server(tmp_path, pulse):
    data = _scanned_cut_tone(tmp_path, "flac")
    played = subprocess.run([PRELUDE, "play", "Gapless flac", "--headless"], env=pulse.env(data),
                            capture_output=True, text=True, timeout=120)
    assert played.returncode == 0, played.stderr
    assert played.stderr == ""  # no "plays silently" note: a device was found and used
    tone = _heard_tone(pulse)
    assert longest_silence_s(tone) < 0.001  # no gap at the cut
    assert abs(tone.size / RATE - 6.0) < 0.005  # both files whole, the last one's tail included
    assert abs(dominant_frequency(tone[: RATE]) - 440) < 3


def test_a_thread_holding_the_gil_does_not_break_the_sound(tmp_path, pulse):
    """The device callback is Python: the device's 150 ms must ride out GIL holds of ~80 ms."""
    data = _scanned_cut_tone(tmp_path, "flac")
    played = subprocess.run([sys.executable, "-m", "tests.gil_hog_child", "play", "Gapless flac",
                             "--headless"], env=pulse.env(data), capture_output=True, text=True,
                            timeout=120, cwd=Path(__file__).parent.parent)
    assert played.returncode == 0, played.stderr
    tone = _heard_tone(pulse)
    assert longest_silence_s(tone) < 0.001
    assert abs(tone.size / RATE - 6.0) < 0.005


@pytest.mark.parametrize("device", ["pulse", "USB DAC that was unplugged"])
def test_the_chosen_device_plays_and_a_missing_one_falls_back(tmp_path, pulse, device):
    from app.paths import resolve_profile
    from app.playback.sound import OUTPUT_DEVICE_KEY
    from app.services import Services

    data = _scanned_cut_tone(tmp_path, "wav")
    with Services.open(resolve_profile(data)) as services:
        services.settings.set(OUTPUT_DEVICE_KEY, device)  # as the Settings dialog saves it
    played = subprocess.run([PRELUDE, "play", "wav part 1", "--headless", "--verbose"],
                            env=pulse.env(data), capture_output=True, text=True, timeout=120)
    assert played.returncode == 0, played.stderr
    fell_back = "is gone; playing on the default one" in played.stderr
    assert fell_back == (device != "pulse")  # found by its name, or said to be missing
    assert abs(_heard_tone(pulse).size / RATE - 3.0) < 0.005


def test_a_sound_server_that_dies_mid_song_is_said_in_words(tmp_path, pulse):
    data = _scanned_cut_tone(tmp_path, "flac")
    playing = subprocess.Popen([PRELUDE, "play", "Gapless flac", "--headless"],
                               env=pulse.env(data), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert playing.stdout.readline().startswith("▶")  # the first track started
    pulse.kill()
    out, err = playing.communicate(timeout=60)  # ends by itself, within bounds
    assert "Could not play “Gap Bench — flac part 1”: The sound device stopped playing" in err
    assert "Traceback" not in err
    history = run_prelude(data, "history", "--json")
    assert history.returncode == 0, history.stderr
    plays = {play["title"]: play for play in json.loads(history.stdout)}
    assert plays["flac part 1"]["end_reason"] == "error"  # recorded, not lost
