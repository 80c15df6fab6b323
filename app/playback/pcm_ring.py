"""The audio between libvlc's decoder and the sound device, as one continuous stream.

libvlc writes decoded S16 stereo chunks (tagged with the load they belong to); the device takes
frames at its own pace. The next track's chunks queue behind the last ones of the track before,
so a track change is seamless as long as the next track starts decoding before this buffer runs
dry. The writer waits while `ahead_s` of audio is queued, the way a device write blocks, which
paces libvlc (it decodes as fast as it is allowed to).

Pause, volume and flush act here, on what is about to be heard, rather than `ahead_s` later.
A device that keeps audio of its own (PortAudioDevice's ring) takes pieces with `take` and, at
a pause, gives back what it never played with `give_back`, so nothing is lost or repeated.
A wait never lasts for ever: libvlc cannot stop a media while its audio thread is stuck in a
write, so a clear wakes every writer, and a device that stopped taking audio drops chunks
instead of hanging the decoder.
"""

from __future__ import annotations

import threading
import time
from collections import deque

import numpy as np

RATE = 44100
FRAME_BYTES = 4  # signed 16-bit, two channels
PAUSED_LIMIT_S = 10.0  # a paused device still accepts this much (libvlc pauses a moment later)
STUCK_DEVICE_S = 2.0  # a writer waiting longer than this (with the device playing) gives up
SEEK_FLUSH_WAIT_S = 2.0  # how long to drop chunks while waiting for libvlc's flush after a seek


class PcmRing:
    def __init__(self, ahead_s: float = 0.3):
        self.ahead_frames = int(ahead_s * RATE)
        self._chunks: deque[tuple[int, bytes]] = deque()  # (generation, S16 stereo)
        self._head = 0  # bytes of the first chunk already played
        self._queued_frames = 0
        self._played: dict[int, int] = {}  # generation -> frames played since the last clear
        self._paused = False
        self._epoch = 0  # bumped by clear(): writers waiting from before drop their chunk
        self._discard_until = 0.0  # monotonic deadline while waiting for libvlc's flush
        self.gain = 1.0  # the volume
        self._track_gains: dict[int, float] = {}  # generation -> its track's loudness gain
        self.last_audio_at = 0.0  # monotonic time the device last took audio (not silence)
        self.on_new_generation = lambda generation: None  # the device took a track's first frame
        self._lock = threading.Condition()

    # -- the decoder's side (libvlc's audio thread) -----------------------------------------
    def write(self, pcm: bytes, generation: int) -> None:
        frames = len(pcm) // FRAME_BYTES
        if frames == 0:
            return
        with self._lock:
            if time.monotonic() < self._discard_until:
                return  # decoded before a seek; libvlc has not flushed it yet
            epoch, waited_since = self._epoch, time.monotonic()
            while self._queued_frames >= self._limit_frames():
                if time.monotonic() - waited_since > STUCK_DEVICE_S and not self._paused:
                    return  # the device stopped taking audio; keep libvlc moving
                self._lock.wait(0.1)
                if self._epoch != epoch:
                    return  # cleared while waiting: this chunk belongs to what was dropped
            self._chunks.append((generation, pcm[: frames * FRAME_BYTES]))
            self._queued_frames += frames

    def flushed(self) -> None:
        """libvlc flushed its audio. After a seek, what comes next is from the new place. libvlc
        also flushes when a media stops, even one that ended: that must not drop the tail of a
        finished track queued before the next one, so other flushes are left to the engine."""
        with self._lock:
            if self._discard_until:
                self._drop_all()
                self._discard_until = 0.0

    def _limit_frames(self) -> int:
        return int(PAUSED_LIMIT_S * RATE) if self._paused else self.ahead_frames

    # -- the device's side ------------------------------------------------------------------
    def fill(self, out) -> None:
        """Fill a writable buffer (a whole number of frames) with what plays next, silence
        where there is nothing (paused, idle or an underrun). For devices that pull."""
        view = memoryview(out).cast("B")
        done = 0
        for generation, pcm in self.take(len(view) // FRAME_BYTES):
            view[done: done + len(pcm)] = self.scaled(pcm, generation)
            done += len(pcm)
        view[done:] = bytes(len(view) - done)

    def take(self, max_frames: int) -> list[tuple[int, bytes]]:
        """Up to max_frames of what plays next, as (generation, S16 pcm) pieces in order;
        nothing while paused. The first piece of a generation is announced to
        `on_new_generation` (outside the lock) before it is returned."""
        pieces: list[tuple[int, bytes]] = []
        wanted = max_frames * FRAME_BYTES
        announce = []
        with self._lock:
            if not self._paused:
                while wanted and self._chunks:
                    generation, pcm = self._chunks[0]
                    take = min(wanted, len(pcm) - self._head)
                    pieces.append((generation, pcm[self._head: self._head + take]))
                    wanted -= take
                    self._head += take
                    if generation not in self._played:
                        announce.append(generation)
                    self._count_played(generation, take // FRAME_BYTES)
                    if self._head == len(pcm):
                        self._chunks.popleft()
                        self._head = 0
                if pieces:
                    self._queued_frames -= sum(len(pcm) for _, pcm in pieces) // FRAME_BYTES
                    self.last_audio_at = time.monotonic()
            self._lock.notify_all()
        for generation in announce:
            self.on_new_generation(generation)
        return pieces

    def give_back(self, pieces: list[tuple[int, bytes]]) -> None:
        """Pieces taken but never played (the device let them go at a pause) go back in front,
        in order, and count as not played."""
        if not pieces:
            return
        with self._lock:
            if self._head:
                generation, pcm = self._chunks[0]
                self._chunks[0] = (generation, pcm[self._head:])
                self._head = 0
            for generation, pcm in reversed(pieces):
                frames = len(pcm) // FRAME_BYTES
                self._chunks.appendleft((generation, pcm))
                self._queued_frames += frames
                if generation in self._played:
                    self._played[generation] = max(0, self._played[generation] - frames)
            self._lock.notify_all()

    def _count_played(self, generation: int, frames: int) -> None:
        if generation not in self._played:
            for old in [g for g in self._played if g < generation - 2]:
                del self._played[old]  # a long gapless run would otherwise keep every track
        self._played[generation] = self._played.get(generation, 0) + frames

    def set_track_gain(self, generation: int, gain: float) -> None:
        """The loudness gain of the track this generation plays (1.0: as it is)."""
        with self._lock:
            for old in [g for g in self._track_gains if g < generation - 4]:
                del self._track_gains[old]
            self._track_gains[generation] = gain

    def gain_of(self, generation: int) -> float:
        """What a sample of this generation is multiplied by: the volume and its loudness."""
        return self.gain * self._track_gains.get(generation, 1.0)

    def scaled(self, pcm: bytes, generation: int) -> bytes:
        gain = self.gain_of(generation)
        if gain == 1.0:
            return pcm
        samples = np.clip(np.frombuffer(pcm, dtype=np.int16) * gain, -32768, 32767)
        return samples.astype(np.int16).tobytes()

    # -- the engine's controls --------------------------------------------------------------
    def pause(self) -> None:
        with self._lock:
            self._paused = True
            self._lock.notify_all()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            self._lock.notify_all()

    def clear(self) -> None:
        """Drop everything queued, and take what libvlc writes from now on."""
        with self._lock:
            self._drop_all()
            self._discard_until = 0.0

    def drop_until_flush(self) -> None:
        """Drop everything queued and what libvlc still hands over until it flushes (after a
        seek) or the engine clears (once the old media is stopped): audio it decoded before."""
        with self._lock:
            self._drop_all()
            self._discard_until = time.monotonic() + SEEK_FLUSH_WAIT_S

    def _drop_all(self) -> None:
        self._chunks.clear()
        self._head = 0
        self._queued_frames = 0
        self._played.clear()
        self._epoch += 1
        self._lock.notify_all()

    @property
    def paused(self) -> bool:
        return self._paused

    def played_frames(self, generation: int) -> int:
        with self._lock:
            return self._played.get(generation, 0)

    def queued_s(self) -> float:
        with self._lock:
            return self._queued_frames / RATE

    def wait_until_empty(self, timeout: float) -> bool:
        """True once everything queued has gone to the device."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._queued_frames > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True
