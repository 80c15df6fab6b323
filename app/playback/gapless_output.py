"""Prelude's own audio output: libvlc decodes into a PcmRing, a sound device plays from it.

libvlc's outputs drain the card at the end of every track and only then report it, so the next
track starts ~50-200 ms late (measured by `prelude bench gap`). Here libvlc gets no drain
callback: it reports the end as soon as the last chunk is decoded, the player loads the next
track at once, and its audio queues behind the tail of this one on the same device stream.

Skips, seeks and pauses act on what the listener is about to hear, down to the device: the
queued audio is dropped here and the device drops what it was fed (a pause keeps it, to play
it on resume). Positions and a track's start are reported as heard, not as decoded.
"""

from __future__ import annotations

import threading

from app.playback.pcm_ring import RATE, PcmRing

# Decoded audio queued in front of the speaker, here and in the device together: the time the
# next track has to open and start decoding (a server track over HTTP on a busy machine), and
# how long libvlc's audio thread may wait for the GIL without a hole. A skip, seek or pause
# drops it all at once, so it costs nothing in responsiveness. libvlc drops audio it hands over
# more than its caching late, or 3 s early: this plus that caching stays under 3 s.
RUNWAY_S = 1.5
RING_AT_LEAST_S = 0.3  # what this ring holds even in front of a device that holds the rest
IDLE_RELEASE_S = 5.0  # a paused or finished output gives its device back after this long


class GaplessOutput:
    def __init__(self, device):
        """device: a PortAudioDevice, or a SimulatedCard in tests and benchmarks; it holds
        `lead_s` of audio of its own, this ring the rest of the runway."""
        self.device = device
        self.ring = PcmRing(max(RING_AT_LEAST_S, RUNWAY_S - device.lead_s))
        device.on_failure = self._device_failed  # called on the device's own thread
        self.on_failure = lambda message: None
        # A track's first frame reaches the listener in `delay_s` (what the device still holds).
        self.on_heard = lambda generation, delay_s: None
        self.ring.on_new_generation = self._new_generation
        self._starts = 0  # each start cancels the release planned before it
        self._device_lock = threading.Lock()  # the device is started and released one at a time

    # -- from libvlc's audio thread ---------------------------------------------------------
    def write(self, pcm: bytes, generation: int) -> None:
        self.ring.write(pcm, generation)
        self.device.wake()

    def flushed(self) -> None:
        self.ring.flushed()

    def _new_generation(self, generation: int) -> None:
        """The device is taking a track's first frame (on its feeding thread)."""
        self.on_heard(generation, self.device.held_frames() / RATE)

    def _device_failed(self, message: str) -> None:
        self.ring.clear()  # libvlc must not wait for room that will never come
        self.on_failure(message)

    # -- from the engine (the player thread) ------------------------------------------------
    def start(self) -> None:
        with self._device_lock:
            self._starts += 1
            self.ring.resume()
            self.device.start(self.ring)  # nothing to do when it is still running

    def pause(self) -> None:
        """Silent at once (the device plays silence); the device itself is let go later, so a
        quick resume neither waits for it nor loses what it held."""
        self.ring.pause()
        self.ring.give_back(self.device.hand_back())  # silent now; played again on resume
        self._release_later()

    def finish(self) -> None:
        """The queue ended: the tail queued here still plays; then the device is let go."""
        self._release_later()

    def finish_and_wait(self) -> None:
        """Closing after the end: return once the tail has reached the speaker."""
        if self.ring.wait_until_empty(timeout=5.0):
            self.device.drain(timeout=5.0)

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
            self.ring.give_back(self.device.hand_back())
            self.device.close()
            self.device.device = name
            if running:
                self.device.start(self.ring)

    def clear(self) -> None:
        self.ring.clear()
        self.device.discard()

    def drop_until_flush(self) -> None:
        self.ring.drop_until_flush()
        self.device.discard()

    def set_gain(self, gain: float) -> None:
        """The volume."""
        self.ring.gain = gain
        self.device.regain()  # what the device was already fed, too

    def set_track_gain(self, generation: int, gain: float) -> None:
        """The loudness gain of one load's track (its generation)."""
        self.ring.set_track_gain(generation, gain)
        self.device.regain()

    def played_ms(self, generation: int) -> int:
        """What the listener has heard of this load: what the device took, less what it holds
        (the newest audio, so it belongs to the newest load)."""
        heard = self.ring.played_frames(generation) - self.device.held_frames()
        return max(0, heard) * 1000 // RATE

    def close(self) -> None:
        self.ring.clear()
        self.device.discard()
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
