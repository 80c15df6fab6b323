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

# What the device itself holds (PortAudio's buffer, down to the sound server). A skip, seek or
# pause aborts and closes the stream, which drops all of it (ALSA's pulse plugin flushes the
# server's copy), so its size costs nothing in responsiveness; it is what keeps the sound going
# when the machine is busy. At 30 ms a loaded 2-core CI machine heard a hole in one run in two.
# (A new stream, not a restarted one: PortAudio's start hangs for good if the sound server
# died meanwhile, while an open says so at once; an open costs ~2 ms.)
DEVICE_LATENCY_S = 0.05
# A new stream starts primed (PortAudio fills its whole buffer from the callback first), once
# the ring holds that and LOW_S more (the ring then rides out a thread holding the GIL), or once
# no more audio has come for PRIME_WAIT_S (a track's last moments, a slow network).
PRIME_WAIT_S = 0.2
START_TIMEOUT_S = 2.0
SOUND_SERVER_S = 0.1  # what a sound server may hold beyond the device's buffer, at most
# What waits in the C ring buffer in front of the device: Python only has to top it up now and
# then, so a thread that holds the GIL for a few hundred ms cannot make the device run dry.
# A skip, seek or pause drops it at once, so it costs nothing in responsiveness.
C_RING_AHEAD_S = 1.2
C_RING_FRAMES = 1 << 16  # the ring buffer's size (a power of two): 1.49 s
REGAIN_AHEAD_S = 0.04  # a volume change rewrites the ring from this far in front of the device
# The feeder needs the GIL each time it runs: it runs when the ring is down to LOW_S (or
# a track starts there, so a skip is heard at once), not for every chunk libvlc decodes.
LOW_S = 0.3
FEED_AT_MOST_EVERY_S = 0.1

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
    A skip, seek or pause aborts and closes the stream (dropping what the device and the sound
    server hold); a new one starts, primed, once the new audio is in the ring.
    """

    lead_s = C_RING_AHEAD_S  # audio it holds in front of the speaker, at most

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
        self._failed = False  # the stream ended by itself
        self._wanted = False  # playing is wanted: the stream runs, or starts once primed
        self._priming = False  # playing is wanted, and the stream waits for audio to start
        self._new_ring()

    def _new_ring(self) -> None:
        self._ring_data = np.zeros((C_RING_FRAMES, 2), dtype=np.float32)
        self._ring = rtmixer.RingBuffer(FRAME_BYTES_FLOAT, buffer=self._ring_data)
        self._action = None
        self._written = 0  # frames written to this ring
        self._fed: deque[tuple[int, bytes]] = deque()  # S16 pieces written, oldest first
        self._fed_frames = 0
        self._primed_frames = 0  # what the ring held when the audio last grew, before a start
        self._grew_at = 0.0

    @property
    def running(self) -> bool:
        """Playing is wanted (the stream may be waiting for audio to start primed)."""
        return self._wanted

    @staticmethod
    def outputs() -> list[tuple[str, str]]:
        return portaudio_outputs()

    # -- the engine's side -------------------------------------------------------------------
    def start(self, source) -> None:
        """Play from source (a PcmRing): the stream starts once its audio is there."""
        with self._lock:
            self._source = source
            if self._failed:
                self.close()  # it ended by itself (the device failed): open it afresh
            if self._mixer is None:
                self._mixer = self._open()  # here, so a device that cannot open is said at once
            self._wanted = True
            self._priming = not self._playing()
            if self._feeder is None:  # one feeder while the stream is open
                self._feeder = threading.Thread(target=self._feed_loop, name="sound-feeder",
                                                daemon=True)
                self._feeder.start()
        self._wake.set()  # feed (and start) now: a start or a resume

    def wake(self) -> None:
        """Audio arrived: feed now if a stream waits for it or the ring is nearly empty (a start,
        skip or seek), else at the feeder's next look."""
        if self._priming or self._ring.read_available < LOW_S * RATE:
            self._wake.set()

    def discard(self) -> None:
        """Drop everything fed and not yet played, down to the sound server: a skip or a seek
        is heard at once. The stream starts again with the next audio."""
        with self._lock:
            if self._action is None and self._written == 0:
                return  # nothing was fed since the last fresh ring (a load discards twice)
            self._drop_stream()
            self._new_ring()
            self._priming = self._wanted

    def hand_back(self) -> list[tuple[int, bytes]]:
        """Stop playing what was fed (a pause), down to the sound server, and return the
        pieces never heard, in order."""
        with self._lock:
            self._wanted = self._priming = False
            in_device = self._unheard_in_device()
            self._drop_stream()
            unplayed = self._ring.read_available + in_device
            pieces, frames = [], 0
            while self._fed and frames < unplayed:
                generation, pcm = self._fed.pop()
                frames += len(pcm) // FRAME_BYTES
                pieces.append((generation, pcm))
            if frames > unplayed and pieces:  # the oldest of them was partly heard
                generation, pcm = pieces[-1]
                pieces[-1] = (generation, pcm[(frames - unplayed) * FRAME_BYTES:])
            self._new_ring()
            return list(reversed(pieces))

    def regain(self) -> None:
        """A new volume or loudness gain for what the ring already holds, from REGAIN_AHEAD_S
        in front of the device on (the callback never reads that far at once): heard within
        that, seamlessly."""
        with self._lock:
            state = self._ring._ptr
            read = state.readIndex
            unread = (state.writeIndex - read) & state.bigMask
            ahead = int(REGAIN_AHEAD_S * RATE)
            if unread <= ahead or self._source is None or not self._fed:
                return
            gain_of = self._source.gain_of
            fed = np.concatenate([_as_float(pcm, gain_of(generation))
                                  for generation, pcm in self._fed])
            samples = fed[-unread * 2:][ahead * 2:].reshape(-1, 2)
            first = (read + ahead) & state.smallMask
            fits = min(samples.shape[0], C_RING_FRAMES - first)
            self._ring_data[first: first + fits] = samples[:fits]
            self._ring_data[: samples.shape[0] - fits] = samples[fits:]

    def held_frames(self) -> int:
        """Frames fed that the listener has not heard yet: in the ring, and in the device."""
        with self._lock:
            return self._ring.read_available + self._unheard_in_device()

    def _unheard_in_device(self) -> int:
        """Frames the callback took that the device has not played yet. rtmixer notes when the
        current action's first frame reaches the speaker (PortAudio's DAC time) and how many it
        took; without that, PortAudio's figure for the buffer stands in."""
        if not self._playing():
            return 0
        taken = self._written - self._ring.read_available
        buffered = int(self._mixer.latency * RATE)
        action = self._action
        if action is not None and action.actual_time > 0:
            played = (self._mixer.time - action.actual_time) * RATE
            return max(0, min(int(action.done_frames - played), buffered, taken))
        return max(0, min(buffered, taken))

    # -- the feeder thread --------------------------------------------------------------------
    def _feed_loop(self) -> None:
        pause_s = 0.0
        while True:
            self._wake.wait(pause_s)
            self._wake.clear()
            with self._lock:
                wanted = self._wanted and not self._failed
                if not wanted and self._mixer is None:
                    self._feeder = None  # start() starts another
                    return
                took = self._feed_once() if wanted else 0
                if wanted and not self._playing():
                    self._start_when_primed()
                priming = self._priming = wanted and not self._playing()
                queued_s = self._ring.read_available / RATE
            if not wanted:
                pause_s = 1.0  # stopped or paused: start() wakes it
            elif priming:  # write() wakes it as the new audio arrives; this notices it stopping
                pause_s = PRIME_WAIT_S / 4
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
                for generation, pcm in pieces:
                    ring.write(_as_float(pcm, source.gain_of(generation)))
                    self._fed.append((generation, pcm))
                    frames = len(pcm) // FRAME_BYTES
                    self._written += frames
                    self._fed_frames += frames
                    took += frames
        # Keep only what may still be handed back: the pieces not yet heard.
        unheard = ring.read_available + self._unheard_in_device()
        while self._fed and self._fed_frames - len(self._fed[0][1]) // FRAME_BYTES >= unheard:
            self._fed_frames -= len(self._fed.popleft()[1]) // FRAME_BYTES
        if self._playing():
            playing = self._action is not None and self._action in self._mixer.actions
            if not playing and ring.read_available:
                # The ring ran empty (a slow network): rtmixer then ends the action.
                self._action = self._mixer.play_ringbuffer(ring)
        return took

    def _playing(self) -> bool:
        return self._mixer is not None and self._mixer.active

    def _start_when_primed(self) -> None:
        """Start a stream once the ring can fill the device's buffer and keep LOW_S besides, or
        once no more audio has come for PRIME_WAIT_S."""
        have = self._ring.read_available
        now = time.monotonic()
        if have > self._primed_frames:
            self._primed_frames, self._grew_at = have, now
        enough = (DEVICE_LATENCY_S + LOW_S) * RATE
        if have == 0 or (have < enough and now - self._grew_at < PRIME_WAIT_S):
            return
        try:
            if self._mixer is None:
                self._mixer = self._open()
            self._action = self._mixer.play_ringbuffer(self._ring)
            self._stopping = False
            self._start_or_give_up(self._mixer)
        except Exception as error:  # noqa: BLE001 - PlaybackError, PortAudioError and friends
            self._failed = True
            self.on_failure(str(error) if isinstance(error, PlaybackError)
                            else f"The sound device could not be started: {error}")

    def _start_or_give_up(self, mixer) -> None:
        """PortAudio's start never returns when the sound server dies at that moment (its
        thread ends without telling the caller): wait for it in a helper thread, within bounds,
        and give that stream up if it hangs."""
        started = threading.Thread(target=mixer.start, name="sound-start", daemon=True)
        started.start()
        started.join(START_TIMEOUT_S)
        if started.is_alive():
            self._mixer = None  # never touched again: PortAudio holds it
            raise PlaybackError("The sound device did not start (did the sound server stop?).")

    def _drop_stream(self) -> None:
        """Stop at once, dropping what the device holds (PortAudio's abort; ALSA's pulse plugin
        flushes the sound server's copy too), and let the stream go."""
        self._action = None
        if self._mixer is not None:
            self._stopping = True
            self._mixer.abort()
            self._mixer.close()
            self._mixer = None

    def _open(self):
        """A new stream (not started); PlaybackError when the device cannot be opened."""
        def finished():  # PortAudio's thread: only say it, the player decides what to do
            if not self._stopping:
                self._failed = True
                self.on_failure("The sound device stopped playing (was it unplugged, or did "
                                "the sound server stop?).")

        indexes = {device["name"]: device["index"] for device in _output_devices()}
        device = indexes.get(self.device) if self.device else None
        if self.device and device is None:
            log.warning("sound device %r is gone; playing on the default one", self.device)
        try:
            return rtmixer.Mixer(samplerate=RATE, channels=2, device=device,
                                 latency=DEVICE_LATENCY_S, dither_off=True,
                                 prime_output_buffers_using_stream_callback=True,
                                 finished_callback=finished)
        except Exception as error:  # noqa: BLE001 - PortAudioError and friends
            log.info("PortAudio could not open the device: %s", error)
            raise PlaybackError("The sound device could not be opened (is the sound server "
                                "running, and the device plugged in?).") from error

    def drain(self, timeout: float) -> None:
        """Return once everything fed has been played, and let the stream go. (PortAudio's own
        stop does not wait for ALSA's pulse plugin: it cut ~100 ms off the end.)"""
        deadline = time.monotonic() + timeout
        while self._ring.read_available and time.monotonic() < deadline:
            time.sleep(0.01)  # the C callback empties the ring; nothing to wait on
        with self._lock:
            buffered_s = self._mixer.latency if self._playing() else 0.0
        time.sleep(buffered_s + SOUND_SERVER_S)  # the device plays silence behind the tail
        self.stop()

    def stop(self) -> None:
        """Let the device go once what it holds has played (the queue ended, or a long pause)."""
        with self._lock:
            self._wanted = False
            if self._mixer is not None:
                self._stopping = True
                self._mixer.stop()  # PortAudio's stop plays out what the device holds
                self._mixer.close()
                self._mixer = None
            self._new_ring()

    def close(self) -> None:
        with self._lock:
            self._wanted = False
            self._drop_stream()
            self._failed = False
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
