"""Prelude's own audio output: libvlc decodes into a PcmRing, a sound device plays from it.

libvlc's outputs drain the card at the end of every track and only then report it, so the next
track starts ~50-200 ms late (measured by `prelude bench gap`). Here libvlc gets no drain
callback: it reports the end as soon as the last chunk is decoded, the player loads the next
track at once, and its audio queues behind the tail of this one on the same device stream.
"""

from __future__ import annotations

import logging
import threading

from app.playback.pcm_ring import RATE, PcmRing

log = logging.getLogger(__name__)

AHEAD_S = 0.3  # queued audio: the time the next track has to open and start decoding


class GaplessOutput:
    def __init__(self, device, ahead_s: float = AHEAD_S):
        """device: a PortAudioDevice, or a SimulatedCard in tests and benchmarks."""
        self.device = device
        self.ring = PcmRing(ahead_s)
        self._running = False
        self._starts = 0  # a start after finish_then_stop() cancels that stop
        self._device_lock = threading.Lock()  # start, pause and that stop, one at a time

    # -- from libvlc's audio thread ---------------------------------------------------------
    def write(self, pcm: bytes, generation: int) -> None:
        self.ring.write(pcm, generation)

    def flushed(self) -> None:
        self.ring.flushed()

    # -- from the engine (the player thread) ------------------------------------------------
    def start(self) -> None:
        with self._device_lock:
            self._starts += 1
            self.ring.resume()
            self.device.start(self.ring.fill)
            self._running = True

    def finish_then_stop(self, wait: bool = False) -> None:
        """Let what is queued play out (the end of the last track), then release the device
        unless playback started again meanwhile. wait: return only once that is done."""
        starts = self._starts

        def stop_when_played():
            if not self.ring.wait_until_empty(timeout=5.0):
                return
            with self._device_lock:
                if self._starts == starts:
                    self.device.stop()
                    self._running = False

        if wait:
            stop_when_played()
        else:
            threading.Thread(target=stop_when_played, name="gapless-tail", daemon=True).start()

    def pause(self) -> None:
        with self._device_lock:
            self.ring.pause()
            self.device.stop()
            self._running = False

    def use_device(self, name: str | None) -> None:
        """Move to another device (None: the system's default), where the music left off."""
        with self._device_lock:
            self.device.close()
            self.device.device = name
            if self._running:
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
        self.device.close()


def system_gapless_output() -> GaplessOutput | None:
    """The gapless output on the system's default sound device, or None when PortAudio or a
    device is missing (then libvlc's own output plays, with its small gap between tracks)."""
    from app.playback.sound_devices import PortAudioDevice, has_default_output  # noqa: PLC0415

    if not has_default_output():
        return None
    return GaplessOutput(PortAudioDevice())
