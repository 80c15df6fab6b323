"""Sound devices Prelude plays on itself, through PortAudio (the `sounddevice` package).

Only the gapless output uses these; libvlc's own outputs are the fallback when PortAudio or a
device is missing. PortAudio calls `fill` on its own thread for every period of the device.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.errors import PlaybackError
from app.playback.pcm_ring import RATE

log = logging.getLogger(__name__)

Fill = Callable[[object], None]  # fills a writable buffer of S16 stereo frames
# What the device holds ahead. The fill callback is Python, so it needs the GIL: a thread that
# holds the GIL longer than this (a long C call) would make the device run dry. 150 ms rides
# out the app's own stalls (the GUI tests measure < 40 ms) while pause, volume and skips still
# take effect within 150 ms.
DEVICE_LATENCY_S = 0.15

try:
    import sounddevice
except (ImportError, OSError):  # OSError: the PortAudio library itself is not installed
    sounddevice = None


def _output_devices() -> list[dict]:
    if sounddevice is None:
        return []
    try:
        return [device for device in sounddevice.query_devices()
                if device["max_output_channels"] >= 2]
    except Exception as error:  # noqa: BLE001 - PortAudio reports a broken host in many ways
        log.warning("PortAudio could not list sound devices: %s", error)
        return []


def portaudio_outputs() -> list[tuple[str, str]]:
    """(id, description) of the devices PortAudio can play stereo on; the id is the name."""
    return [(device["name"], device["name"]) for device in _output_devices()]


def portaudio_summary() -> str:
    """One phrase for the self-test: which output the player will use, and why."""
    if sounddevice is None:
        return "no PortAudio, so libvlc's own output (a short gap between tracks)"
    version = sounddevice.get_portaudio_version()[1].split(",")[0]
    if has_default_output():
        return f"gapless output through {version}"
    return f"{version} found no sound device, so libvlc's own output"


def has_default_output() -> bool:
    if sounddevice is None:
        return False
    try:
        return sounddevice.query_devices(kind="output")["max_output_channels"] >= 2
    except Exception:  # noqa: BLE001 - "no default output device" among others
        return False


class PortAudioDevice:
    """A stereo 44.1 kHz S16 stream on one device (None: the system's default)."""

    playout_s = 0.5  # after the last write, what PortAudio and a sound server may still hold

    def __init__(self, device: str | None = None):
        if sounddevice is None:
            raise PlaybackError("PortAudio is not installed (Debian: apt-get install libportaudio2).")
        self.device = device
        self.on_failure: Callable[[str], None] = lambda message: None
        self._stream = None
        self._stopping = False  # a stream that ends while this is False ended by itself

    @property
    def running(self) -> bool:
        return self._stream is not None and self._stream.active

    @staticmethod
    def outputs() -> list[tuple[str, str]]:
        return portaudio_outputs()

    def start(self, fill: Fill) -> None:
        if self.running:
            return
        if self._stream is not None and not self._stream.stopped:
            self.close()  # it ended by itself (the device failed): open it afresh
        if self._stream is None:
            self._stream = self._open(fill)
        self._stopping = False
        try:
            self._stream.start()
        except Exception as error:  # noqa: BLE001 - PortAudioError and friends
            self.close()
            raise PlaybackError(f"The sound device could not be started: {error}") from error

    def _open(self, fill: Fill):
        def callback(outdata, frames, time_info, status):
            fill(outdata)

        def finished():  # PortAudio's thread: only say it, the player decides what to do
            if not self._stopping:
                self.on_failure("The sound device stopped playing (was it unplugged, or did "
                                "the sound server stop?).")

        indexes = {device["name"]: device["index"] for device in _output_devices()}
        device = indexes.get(self.device) if self.device else None
        if self.device and device is None:
            log.warning("sound device %r is gone; playing on the default one", self.device)
        try:
            return sounddevice.RawOutputStream(
                samplerate=RATE, channels=2, dtype="int16", device=device,
                latency=DEVICE_LATENCY_S, callback=callback, finished_callback=finished)
        except Exception as error:  # noqa: BLE001 - PortAudioError and friends
            raise PlaybackError(f"The sound device could not be opened: {error}") from error

    def stop(self) -> None:
        if self.running:
            self._stopping = True
            self._stream.stop()

    def close(self) -> None:
        if self._stream is not None:
            self._stopping = True
            self._stream.abort()
            self._stream.close()
            self._stream = None
