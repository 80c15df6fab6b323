"""Prelude's own audio output: libvlc decodes into a PcmRing, a sound device plays from it.

libvlc's outputs drain the card at the end of every track and only then report it, so the next
track starts ~50-200 ms late (measured by `prelude bench gap`). Here libvlc gets no drain
callback: it reports the end as soon as the last chunk is decoded, the player loads the next
track at once, and its audio queues behind the tail of this one on the same device stream.
"""

from __future__ import annotations

import threading
import time

from app.playback.pcm_ring import RATE, PcmRing

AHEAD_S = 0.3  # queued audio: the time the next track has to open and start decoding
IDLE_RELEASE_S = 5.0  # a paused or finished output gives its device back after this long


class GaplessOutput:
    def __init__(self, device, ahead_s: float = AHEAD_S):
        """device: a PortAudioDevice, or a SimulatedCard in tests and benchmarks."""
        self.device = device
        self.ring = PcmRing(ahead_s)
        device.on_failure = self._device_failed  # called on the device's own thread
        self.on_failure = lambda message: None
        self._starts = 0  # each start cancels the release planned before it
        self._device_lock = threading.Lock()  # the device is started and released one at a time

    # -- from libvlc's audio thread ---------------------------------------------------------
    def write(self, pcm: bytes, generation: int) -> None:
        self.ring.write(pcm, generation)

    def flushed(self) -> None:
        self.ring.flushed()

    def _device_failed(self, message: str) -> None:
        self.ring.clear()  # libvlc must not wait for room that will never come
        self.on_failure(message)

    # -- from the engine (the player thread) ------------------------------------------------
    def start(self) -> None:
        with self._device_lock:
            self._starts += 1
            self.ring.resume()
            self.device.start(self.ring.fill)  # nothing to do when it is still running

    def pause(self) -> None:
        """Silent at once (the device plays silence); the device itself is let go later, so a
        quick resume neither waits for it nor loses what it held."""
        self.ring.pause()
        self._release_later()

    def finish(self) -> None:
        """The queue ended: the tail queued here still plays; then the device is let go."""
        self._release_later()

    def finish_and_wait(self) -> None:
        """Closing after the end: return once the tail has reached the speaker."""
        if self.ring.wait_until_empty(timeout=5.0):
            # What the device itself still holds (nothing, once the tail is long gone).
            holding = self.device.playout_s - (time.monotonic() - self.ring.last_audio_at)
            if holding > 0:
                threading.Event().wait(holding)

    def _release_later(self) -> None:
        timer = threading.Timer(IDLE_RELEASE_S, self._release_if_idle, args=(self._starts,))
        timer.daemon = True
        timer.start()

    def _release_if_idle(self, starts: int) -> None:
        with self._device_lock:
            if self._starts == starts and (self.ring.paused or self.ring.queued_s() == 0):
                self.device.stop()

    def use_device(self, name: str | None) -> None:
        """Move to another device (None: the system's default), where the music left off."""
        with self._device_lock:
            running = self.device.running
            self.device.close()
            self.device.device = name
            if running:
                self.device.start(self.ring.fill)

    def clear(self) -> None:
        self.ring.clear()

    def drop_until_flush(self) -> None:
        self.ring.drop_until_flush()

    def set_gain(self, gain: float) -> None:
        self.ring.gain = gain

    def played_ms(self, generation: int) -> int:
        return self.ring.played_frames(generation) * 1000 // RATE

    def close(self) -> None:
        self.ring.clear()
        with self._device_lock:
            self._starts += 1
            self.device.close()


def system_gapless_output() -> GaplessOutput | None:
    """The gapless output on the system's default sound device, or None when PortAudio or a
    device is missing (then libvlc's own output plays, with its small gap between tracks)."""
    from app.playback.sound_devices import PortAudioDevice, has_default_output  # noqa: PLC0415

    if not has_default_output():
        return None
    return GaplessOutput(PortAudioDevice())
