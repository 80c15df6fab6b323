"""Sound devices Prelude plays on itself, through PortAudio (the `sounddevice` package).

Only the gapless output uses these; libvlc's own outputs are the fallback when PortAudio or a
device is missing. PortAudio plays through rtmixer's C callback, which needs no Python, from a
ring buffer a feeder thread keeps topped up.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

import numpy as np

from app.errors import PlaybackError
from app.playback.pcm_ring import FRAME_BYTES, RATE

log = logging.getLogger(__name__)

# What the device itself holds (PortAudio's buffer, down to the sound server). The device is
# fed by C code (rtmixer) that never needs Python's GIL, so this can be small: it is what a skip,
# seek or pause still lets through. On the 2-core test machine 10 ms underran under load, and
# 20 ms missed one period (5 ms) in each of two 2-minute runs; 30 ms is kept as margin.
DEVICE_LATENCY_S = 0.03
# What waits in the C ring buffer in front of the device: Python only has to top it up now and
# then, so a thread that holds the GIL for a few hundred ms cannot make the device run dry.
# A skip, seek or pause drops it at once, so it costs nothing in responsiveness.
C_RING_AHEAD_S = 0.5
C_RING_FRAMES = 1 << 15  # the ring buffer's size (a power of two): 743 ms
REGAIN_AHEAD_S = 0.04  # a volume change rewrites the ring from this far in front of the device
# The feeder needs the GIL each time it runs: it runs when the ring is down to LOW_S (or
# a track starts there, so a skip is heard at once), not for every chunk libvlc decodes.
LOW_S = 0.3
FEED_AT_MOST_EVERY_S = 0.1
CANCEL_WAIT_S = 0.25  # how long a pause waits for the device to let go of the ring

try:
    import sounddevice
except (ImportError, OSError):  # OSError: the PortAudio library itself is not installed
    sounddevice = None
try:
    import rtmixer  # PortAudio's callback in C, fed through a lock-free ring buffer
except (ImportError, OSError):
    rtmixer = None


def rescan() -> None:
    """Let PortAudio list the devices afresh (a sound server that started after it did)."""
    if sounddevice is not None:
        sounddevice._terminate()
        sounddevice._initialize()


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
    if sounddevice is None or rtmixer is None:
        return "no PortAudio, so libvlc's own output (a short gap between tracks)"
    version = sounddevice.get_portaudio_version()[1].split(",")[0]
    if has_default_output():
        return f"gapless output through {version}"
    return f"{version} found no sound device, so libvlc's own output"


def has_default_output() -> bool:
    if sounddevice is None or rtmixer is None:
        return False
    try:
        return sounddevice.query_devices(kind="output")["max_output_channels"] >= 2
    except Exception:  # noqa: BLE001 - "no default output device" among others
        return False


class PortAudioDevice:
    """A stereo 44.1 kHz stream on one device (None: the system's default).

    PortAudio calls rtmixer's C callback, which plays from a C ring buffer without Python. A
    feeder thread here tops that ring up from the PcmRing, `C_RING_AHEAD_S` ahead. Everything
    written to the ring and not yet played is kept here too, so a pause can hand it back.
    """

    playout_s = 0.5  # after the last write, what PortAudio and a sound server may still hold

    def __init__(self, device: str | None = None):
        if sounddevice is None or rtmixer is None:
            raise PlaybackError("PortAudio is not installed (Debian: apt-get install libportaudio2).")
        self.device = device
        self.on_failure: Callable[[str], None] = lambda message: None
        self._mixer = None
        self._source = None  # the PcmRing it plays from
        self._lock = threading.RLock()  # the mixer, the ring and what was fed, one at a time
        self._wake = threading.Event()
        self._feeder: threading.Thread | None = None
        self._stopping = False  # a stream that ends while this is False ended by itself
        self._new_ring()

    def _new_ring(self) -> None:
        self._ring_data = np.zeros((C_RING_FRAMES, 2), dtype=np.float32)
        self._ring = rtmixer.RingBuffer(FRAME_BYTES_FLOAT, buffer=self._ring_data)
        self._action = None
        self._written = 0  # frames written to this ring
        self._fed: deque[tuple[int, bytes]] = deque()  # S16 pieces written, oldest first
        self._fed_frames = 0

    @property
    def running(self) -> bool:
        return self._mixer is not None and self._mixer.active

    @staticmethod
    def outputs() -> list[tuple[str, str]]:
        return portaudio_outputs()

    # -- the engine's side -------------------------------------------------------------------
    def start(self, source) -> None:
        with self._lock:
            self._source = source
            if self.running:
                self._wake.set()  # a resume: feed what the pause gave back, now
                return
            if self._mixer is not None and not self._mixer.stopped:
                self.close()  # it ended by itself (the device failed): open it afresh
            if self._mixer is None:
                self._mixer = self._open()
                self._new_ring()
            self._stopping = False
            try:
                self._mixer.start()
            except Exception as error:  # noqa: BLE001 - PortAudioError and friends
                self.close()
                raise PlaybackError(f"The sound device could not be started: {error}") from error
            if self._feeder is None:  # one feeder while the stream is open
                self._feeder = threading.Thread(target=self._feed_loop, name="sound-feeder",
                                                daemon=True)
                self._feeder.start()
        self._wake.set()

    def wake(self) -> None:
        """Audio arrived: feed now if the ring is nearly empty (a start, skip or seek), else at
        the feeder's next look."""
        if self._ring.read_available < LOW_S * RATE:
            self._wake.set()

    def discard(self) -> None:
        """Drop everything fed and not yet played: a skip or a seek is heard at once."""
        with self._lock:
            if self._action is None and self._written == 0:
                return  # nothing was fed since the last fresh ring (a load discards twice)
            self._cancel()
            self._new_ring()

    def hand_back(self) -> list[tuple[int, bytes]]:
        """Stop playing what was fed (a pause) and return the pieces never played, in order."""
        with self._lock:
            cancel = self._cancel()
            if cancel is not None and self.running:
                deadline = time.monotonic() + CANCEL_WAIT_S
                while cancel in self._mixer.actions and time.monotonic() < deadline:
                    time.sleep(0.001)  # the callback takes the cancel at its next period
            unplayed = self._ring.read_available
            pieces, frames = [], 0
            while self._fed and frames < unplayed:
                generation, pcm = self._fed.pop()
                frames += len(pcm) // FRAME_BYTES
                pieces.append((generation, pcm))
            if frames > unplayed and pieces:  # the oldest of them was partly played
                generation, pcm = pieces[-1]
                pieces[-1] = (generation, pcm[(frames - unplayed) * FRAME_BYTES:])
            self._new_ring()
            return list(reversed(pieces))

    def regain(self, gain: float) -> None:
        """A new volume for what the ring already holds, from REGAIN_AHEAD_S in front of the
        device on (the callback never reads that far at once): heard within that, seamlessly."""
        with self._lock:
            state = self._ring._ptr
            read = state.readIndex
            unread = (state.writeIndex - read) & state.bigMask
            ahead = int(REGAIN_AHEAD_S * RATE)
            if unread <= ahead:
                return
            tail = b"".join(pcm for _, pcm in self._fed)[-unread * FRAME_BYTES:]
            samples = _as_float(tail[ahead * FRAME_BYTES:], gain).reshape(-1, 2)
            first = (read + ahead) & state.smallMask
            fits = min(samples.shape[0], C_RING_FRAMES - first)
            self._ring_data[first: first + fits] = samples[:fits]
            self._ring_data[: samples.shape[0] - fits] = samples[fits:]

    def held_frames(self) -> int:
        """Frames fed that the listener has not heard yet: in the ring, and in the device."""
        with self._lock:
            if self._mixer is None:
                return 0
            in_ring = self._ring.read_available
            in_device = 0
            if self.running and self._written > in_ring:
                in_device = int(self._mixer.latency * RATE)
            return in_ring + min(in_device, self._written - in_ring)

    # -- the feeder thread --------------------------------------------------------------------
    def _feed_loop(self) -> None:
        pause_s = 0.0
        while True:
            self._wake.wait(pause_s)
            self._wake.clear()
            with self._lock:
                if self._mixer is None:
                    self._feeder = None
                    return
                active = self._mixer.active
                took = self._feed_once() if active else 0
                queued_s = self._ring.read_available / RATE
            if not active:
                pause_s = 1.0  # stopped: start() wakes it
            elif queued_s > LOW_S:
                pause_s = min(FEED_AT_MOST_EVERY_S, queued_s - LOW_S)
            else:  # nearly empty: keep up while audio comes, else wait for write() to wake it
                pause_s = 0.005 if took else FEED_AT_MOST_EVERY_S

    def _feed_once(self) -> int:
        """Top the ring up from the source; the frames it took."""
        ring, source = self._ring, self._source
        room = min(ring.write_available, int(C_RING_AHEAD_S * RATE) - ring.read_available)
        took = 0
        if room > 0 and source is not None:
            pieces = source.take(room)
            if pieces:
                gain = source.gain
                for generation, pcm in pieces:
                    ring.write(_as_float(pcm, gain))
                    self._fed.append((generation, pcm))
                    frames = len(pcm) // FRAME_BYTES
                    self._written += frames
                    self._fed_frames += frames
                    took += frames
        # Keep only what may still be handed back: the pieces not yet played.
        unplayed = ring.read_available
        while self._fed and self._fed_frames - len(self._fed[0][1]) // FRAME_BYTES >= unplayed:
            self._fed_frames -= len(self._fed.popleft()[1]) // FRAME_BYTES
        playing = self._action is not None and self._action in self._mixer.actions
        if not playing and unplayed:
            # The first audio, or after the ring ran empty (rtmixer then ends the action).
            self._action = self._mixer.play_ringbuffer(ring)
        return took

    def _cancel(self):
        if self._action is None or self._mixer is None:
            return None
        action, self._action = self._action, None
        if action not in self._mixer.actions:
            return None
        return self._mixer.cancel(action)

    def _open(self):
        def finished():  # PortAudio's thread: only say it, the player decides what to do
            if not self._stopping:
                self.on_failure("The sound device stopped playing (was it unplugged, or did "
                                "the sound server stop?).")

        indexes = {device["name"]: device["index"] for device in _output_devices()}
        device = indexes.get(self.device) if self.device else None
        if self.device and device is None:
            log.warning("sound device %r is gone; playing on the default one", self.device)
        try:
            return rtmixer.Mixer(samplerate=RATE, channels=2, device=device,
                                 latency=DEVICE_LATENCY_S, dither_off=True,
                                 finished_callback=finished)
        except Exception as error:  # noqa: BLE001 - PortAudioError and friends
            raise PlaybackError(f"The sound device could not be opened: {error}") from error

    def stop(self) -> None:
        with self._lock:
            if self.running:
                self._stopping = True
                self._cancel()
                self._mixer.stop()
                self._new_ring()

    def close(self) -> None:
        with self._lock:
            if self._mixer is not None:
                self._stopping = True
                self._mixer.abort()
                self._mixer.close()
                self._mixer = None
            self._new_ring()


FRAME_BYTES_FLOAT = 8  # rtmixer plays float32, two channels


def _as_float(pcm: bytes, gain: float):
    """S16 stereo to the float32 rtmixer plays. PortAudio turns it back into 16 bits by
    multiplying by 32767 and truncating: the half-step offset makes that give the same sample."""
    samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float32)
    if gain != 1.0:
        samples *= gain
    samples += np.copysign(0.5, samples)
    samples /= 32767.0
    return samples
