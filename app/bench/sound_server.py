"""A private PulseAudio for measuring what a listener hears: its only sink plays in real time
into a pipe, and a reader in another process keeps every sample with the time it was played.

Used by `prelude bench responsiveness`, `prelude bench playback` and the sound-server tests.
The sink (module-pipe-sink on the system clock) hands out one block of audio when that block's
time comes, so sample n of the sink is heard at `t0 + n / RATE`; `t0` is found from the reads
(a read is never early, so the earliest ones tell; the first half second is left out, where
the sink may hand out a burst before it keeps time).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

RATE = 44100
FRAME_BYTES = 4
START_S = 30.0
SETTLE_S = 0.5  # the sink's first half second is not used to find its clock
CLOCK_S = 3.0  # then this long is read to find it


_CLIENT_KEYS = ("PULSE_SERVER", "PRELUDE_AUDIO_OUTPUT")


class SoundServerError(RuntimeError):
    pass


def _rescan_devices() -> None:
    from app.playback import sound_devices  # noqa: PLC0415

    sound_devices.rescan()


class PrivatePulse:
    """pulseaudio on a socket of its own, with its sink captured; `env()` points clients at it."""

    def __init__(self, folder: Path):
        daemon = shutil.which("pulseaudio")
        if daemon is None:
            raise SoundServerError("PulseAudio is not installed (Debian: apt-get install pulseaudio "
                                   "libasound2-plugins), so nothing can be measured at a sink.")
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        # Set by a measurement that knows when audio was made: the sink may hand audio out a
        # little ahead of its clock, and nothing is heard before it exists (see measure_floor).
        self.clock_shift_s = 0.0
        self._start_time: float | None = None
        self._saved_env: dict[str, str | None] | None = None
        self.socket, fifo = folder / "native", folder / "capture.fifo"
        self._audio_path, self._times_path = folder / "sink.raw", folder / "sink.times"
        script = folder / "default.pa"
        script.write_text(
            f"load-module module-native-protocol-unix socket={self.socket} auth-anonymous=1\n"
            f"load-module module-pipe-sink sink_name=capture file={fifo} format=s16le "
            f"rate={RATE} channels=2 use_system_clock_for_timing=yes\n"
            "set-default-sink capture\n")
        env = {**os.environ, "HOME": str(folder), "XDG_RUNTIME_DIR": str(folder)}
        self._process = subprocess.Popen(
            [daemon, "-n", "-F", str(script), "--daemonize=no", "--exit-idle-time=-1",
             "--disallow-exit", "--use-pid-file=no", "--log-target=stderr", "--log-level=info",
             "--realtime=no", "--high-priority=no"],
            env=env, stderr=subprocess.PIPE, text=True)
        self._ready = threading.Event()
        self.log: list[str] = []
        threading.Thread(target=self._read_log, daemon=True).start()
        if not self._ready.wait(START_S):
            self.close()
            raise SoundServerError("PulseAudio did not start: " + "".join(self.log[-5:]))
        self._reader = subprocess.Popen(
            [sys.executable, "-m", "app.bench.sink_reader", str(fifo), str(self._audio_path),
             str(self._times_path)], cwd=Path(__file__).resolve().parent.parent.parent)

    def _read_log(self):
        for line in self._process.stderr:
            self.log.append(line)
            if "Daemon startup complete" in line:
                self._ready.set()

    # -- what the sink played -------------------------------------------------------------
    def frames_so_far(self) -> int:
        try:
            return self._audio_path.stat().st_size // FRAME_BYTES
        except FileNotFoundError:
            return 0

    def captured_stereo(self) -> np.ndarray:
        """Every frame the sink played so far, int16, shape (frames, 2)."""
        data = self._audio_path.read_bytes() if self._audio_path.exists() else b""
        return np.frombuffer(data[: len(data) // FRAME_BYTES * FRAME_BYTES],
                             dtype=np.int16).reshape(-1, 2)

    def segment(self, first: int, end: int) -> np.ndarray:
        """Frames first..end-1 the sink played (fewer if it has not played them yet)."""
        first = max(0, first)
        with open(self._audio_path, "rb") as audio:
            audio.seek(first * FRAME_BYTES)
            data = audio.read(max(0, end - first) * FRAME_BYTES)
        return np.frombuffer(data[: len(data) // FRAME_BYTES * FRAME_BYTES],
                             dtype=np.int16).reshape(-1, 2)

    def captured(self) -> np.ndarray:
        """Mono float samples in [-1, 1), as the older checks read them."""
        stereo = self.captured_stereo().astype(np.float64)
        return stereo.mean(axis=1) / 32768.0

    def start_time(self) -> float:
        """time.monotonic() at which the sink played its frame 0, by its first seconds."""
        if self._start_time is None:
            self.wait_for_frames(int((SETTLE_S + CLOCK_S) * RATE))
            self._start_time = self._offset_near(int((SETTLE_S + CLOCK_S / 2) * RATE))
        return self._start_time + self.clock_shift_s

    def _offset_near(self, frame: int) -> float:
        """The sink's clock around `frame`: the time it played frame 0, were it to keep this
        pace from the start. Worked out from the reads within CLOCK_S of that frame, because
        the sink's pace is not exactly 44.1 kHz by the system clock (it rounds each block's
        length in microseconds: 13 ms over 100 s here).

        The sink writes a block when its time comes, so a read returning at T is when the first
        frame of what it returned was heard (or a little later): frame 0 was heard at T minus
        the frames before that read. The block's length is not a constant: the sink takes the
        latency its streams ask for (23 ms blocks idle, 12.5 ms with Prelude's output, 2.5 ms
        with a 10 ms stream), so it is read off each read, never a median over a window that
        may span two of them (which put heard times up to ~10 ms off)."""
        raw = np.fromfile(self._times_path, dtype="<f8").reshape(-1, 2)
        frames = raw[:, 1] / FRAME_BYTES
        before = np.concatenate(([0.0], frames[:-1]))  # frames the sink had played before each read
        near = (before > SETTLE_S * RATE) & (np.abs(frames - frame) < CLOCK_S * RATE)
        if near.sum() < 10:
            raise SoundServerError("the sink has played too little yet")
        return float(np.percentile(raw[near, 0] - before[near] / RATE, 2))

    def frame_at(self, moment: float) -> int:
        """The sink's frame that was being heard at time.monotonic() == moment."""
        guess = int(round((moment - self.start_time()) * RATE))
        offset = self._offset_near(guess) if guess > (SETTLE_S + CLOCK_S) * RATE else None
        if offset is None:
            return guess
        return int(round((moment - offset - self.clock_shift_s) * RATE))

    def time_of(self, frame: int) -> float:
        if frame <= (SETTLE_S + CLOCK_S) * RATE:
            return self.start_time() + frame / RATE
        return self._offset_near(frame) + self.clock_shift_s + frame / RATE

    def wait_for_frames(self, frames: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self.frames_so_far() < frames:
            if time.monotonic() > deadline or self._reader.poll() is not None:
                raise SoundServerError("the sink stopped delivering audio")
            time.sleep(0.02)  # polling a file another process writes; nothing to wait on

    def wait_until_played(self, moment: float, timeout: float = 30.0) -> None:
        """Return once the sink has played everything up to `moment` (monotonic), and a
        little beyond, so that its clock there can be read."""
        guess = int(round((moment - self.start_time()) * RATE))
        ahead = max(0.0, moment - time.monotonic())  # the sink plays in real time
        self.wait_for_frames(guess + int(0.5 * RATE), ahead + timeout + 0.5)

    # -- clients ------------------------------------------------------------------------------
    @staticmethod
    def client_env() -> dict:
        """This environment, less what would keep a child from Prelude's default output."""
        return {key: value for key, value in os.environ.items() if key != "PRELUDE_AUDIO_OUTPUT"}

    def env(self, data_dir=None) -> dict:
        env = self.client_env()
        env["PULSE_SERVER"] = f"unix:{self.socket}"
        if data_dir is not None:
            env["PRELUDE_DATA_DIR"] = str(data_dir)
        return env

    def use_in_this_process(self) -> None:
        """Point this process's PortAudio (through ALSA's pulse plugin) and libvlc at it, until
        close() puts the environment back."""
        if self._saved_env is None:
            self._saved_env = {key: os.environ.get(key) for key in _CLIENT_KEYS}
        os.environ["PULSE_SERVER"] = f"unix:{self.socket}"
        os.environ.pop("PRELUDE_AUDIO_OUTPUT", None)
        _rescan_devices()

    def kill(self):
        self._process.kill()
        self._process.wait(START_S)

    def close(self):
        if self._saved_env is not None:
            for key, value in self._saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            self._saved_env = None
            _rescan_devices()
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(START_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
        reader = getattr(self, "_reader", None)
        if reader is not None:
            try:
                reader.wait(5)
            except subprocess.TimeoutExpired:
                reader.kill()
