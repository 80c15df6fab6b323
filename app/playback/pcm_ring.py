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

A crossfade (app/playback/crossfade.py) queues the incoming track beside the outgoing one, from
a second decoder, and mixes the two from the outgoing track's frame where the fade begins; the
mixed audio is tagged `-generation` of the incoming track (its loudness gains already applied).
"""

from __future__ import annotations

import threading
import time
from collections import deque

import numpy as np

from app.playback.crossfade import Fade

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
        self.on_fade_done = lambda outgoing: None  # a crossfade ended: the outgoing's decoder idles
        self._fade: Fade | None = None
        self._ended: set[int] = set()  # generations decoded to their end
        self._retired: set[int] = set()  # generations faded out: what they still write is dropped
        self._lock = threading.Condition()

    # -- the decoder's side (libvlc's audio thread) -----------------------------------------
    def write(self, pcm: bytes, generation: int) -> None:
        frames = len(pcm) // FRAME_BYTES
        if frames == 0:
            return
        with self._lock:
            if time.monotonic() < self._discard_until or generation in self._retired:
                return  # decoded before a seek (libvlc has not flushed it yet), or faded out
            epoch, waited_since = self._epoch, time.monotonic()
            while self._queued_for(generation) >= self._limit_frames():
                if time.monotonic() - waited_since > STUCK_DEVICE_S and not self._paused \
                        and not self._incoming(generation):  # the incoming waits for its fade
                    return  # the device stopped taking audio; keep libvlc moving
                self._lock.wait(0.1)
                if self._epoch != epoch:
                    return  # cleared while waiting: this chunk belongs to what was dropped
            chunk = (generation, pcm[: frames * FRAME_BYTES])
            if self._incoming(generation):
                self._fade.chunks.append(chunk)
                self._fade.queued += frames
            else:
                self._chunks.append(chunk)
                self._queued_frames += frames

    def _incoming(self, generation: int) -> bool:
        return self._fade is not None and self._fade.incoming == generation

    def _queued_for(self, generation: int) -> int:
        return self._fade.queued if self._incoming(generation) else self._queued_frames

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
        wanted = max_frames
        announce: list[int] = []
        faded: list[int] = []
        with self._lock:
            if not self._paused:
                while wanted:
                    piece = self._next_piece(wanted, faded)
                    if piece is None:
                        break
                    generation, pcm = piece
                    track = abs(generation)
                    if track not in self._played:
                        announce.append(track)
                    self._count_played(track, len(pcm) // FRAME_BYTES)
                    pieces.append(piece)
                    wanted -= len(pcm) // FRAME_BYTES
                if pieces:
                    self.last_audio_at = time.monotonic()
            self._lock.notify_all()
        for generation in announce:
            self.on_new_generation(generation)
        for generation in faded:
            self.on_fade_done(generation)
        return pieces

    def _next_piece(self, wanted: int, faded: list[int]) -> tuple[int, bytes] | None:
        """The next piece of at most `wanted` frames, or None when nothing is there to play."""
        fade = self._fade
        if fade is None or (self._chunks and self._chunks[0][0] < 0):
            return self._take_queued(wanted)  # no fade; or mixed audio given back at a pause
        heard = self._played.get(fade.outgoing, 0)
        if not fade.mixing and not fade.late and fade.due(heard) and fade.queued:
            fade.begin(heard)  # shortened if its audio came late; none if too late
        if not fade.mixing:
            # Up to where the fade begins; past it while the incoming has no audio yet.
            waiting = fade.at is None or fade.late or heard >= fade.at
            until = wanted if waiting else min(wanted, fade.at - heard)
            piece = self._take_queued(until, fade.outgoing)
            if piece is None and fade.outgoing in self._ended:
                self._end_fade(fade, faded)  # the outgoing ended before its fade: a plain cut
                return self._take_queued(wanted)
            return piece
        stretch = min(wanted, fade.frames - fade.done)
        outgoing = self._take_queued(stretch, fade.outgoing)
        if outgoing is not None:  # the incoming to match it (silence where it is late)
            incoming = fade.take_incoming(len(outgoing[1]) // FRAME_BYTES)
        elif fade.outgoing in self._ended:  # it ended inside its fade: silence in its place
            incoming = fade.take_incoming(stretch)
            if not incoming:
                return None
        else:
            return None  # its decoder is late: an underrun, as without a fade
        mixed = fade.mix(outgoing[1] if outgoing else b"", incoming,
                         self._track_gains.get(fade.outgoing, 1.0),
                         self._track_gains.get(fade.incoming, 1.0))
        if fade.finished:
            self._end_fade(fade, faded)
        return -fade.incoming, mixed

    def _take_queued(self, wanted: int, generation: int | None = None) -> tuple[int, bytes] | None:
        """The front of the main queue, up to `wanted` frames (only of `generation` if given)."""
        if wanted <= 0 or not self._chunks:
            return None
        front, pcm = self._chunks[0]
        if generation is not None and front != generation:
            return None
        take = min(wanted * FRAME_BYTES, len(pcm) - self._head)
        piece = (front, pcm[self._head: self._head + take])
        self._head += take
        self._queued_frames -= take // FRAME_BYTES
        if self._head == len(pcm):
            self._chunks.popleft()
            self._head = 0
        return piece

    def _end_fade(self, fade: Fade, faded: list[int]) -> None:
        """The incoming track takes over: what is left of the outgoing one is dropped, and what
        its decoder still writes too."""
        while self._chunks and self._chunks[0][0] == fade.outgoing:
            self._queued_frames -= (len(self._chunks.popleft()[1]) - self._head) // FRAME_BYTES
            self._head = 0
        self._retired = {g for g in self._retired if g > fade.outgoing - 4} | {fade.outgoing}
        self._chunks.extendleft(reversed(fade.chunks))
        self._queued_frames += fade.queued
        self._fade = None
        faded.append(fade.outgoing)

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
                track = abs(generation)  # mixed audio of a crossfade counts as the incoming's
                if track in self._played:
                    self._played[track] = max(0, self._played[track] - frames)
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
        """What a sample of this generation is multiplied by: the volume and its loudness
        (mixed audio of a crossfade has its loudness gains already)."""
        if generation < 0:
            return self.gain
        return self.gain * self._track_gains.get(generation, 1.0)

    def scaled(self, pcm: bytes, generation: int) -> bytes:
        gain = self.gain_of(generation)
        if gain == 1.0:
            return pcm
        samples = np.clip(np.frombuffer(pcm, dtype=np.int16) * gain, -32768, 32767)
        return samples.astype(np.int16).tobytes()

    # -- the engine's controls --------------------------------------------------------------
    def crossfade(self, incoming: int, outgoing: int, at_ms: int | None, fade_ms: int,
                  fade_out: bool = True) -> None:
        """From now on `incoming` queues beside `outgoing` and the two are mixed over fade_ms,
        beginning when at_ms of the outgoing has been heard (None: as soon as the incoming has
        audio). at_ms past the outgoing's end is found exactly when its decoder ends."""
        with self._lock:
            if at_ms is not None and at_ms < 0:  # less of the outgoing is left than the fade
                fade_ms, at_ms = fade_ms + at_ms, 0  # (a seek near its end): a shorter one
            at = None if at_ms is None else at_ms * RATE // 1000
            frames = max(1, fade_ms * RATE // 1000)
            self._fade = Fade(incoming, outgoing, at, frames, fade_out)
            if outgoing in self._ended:
                self._fade_at_the_end(self._fade)
            self._lock.notify_all()

    def decoded_to_end(self, generation: int) -> None:
        """The decoder of this generation has handed over its last audio."""
        with self._lock:
            self._ended = {g for g in self._ended if g > generation - 4} | {generation}
            fade = self._fade
            if fade is not None and fade.outgoing == generation:
                self._fade_at_the_end(fade)
            self._lock.notify_all()

    def _fade_at_the_end(self, fade: Fade) -> None:
        """The outgoing's length is known now: the fade ends where it ends, to the frame."""
        if fade.at is None or fade.mixing:
            return
        queued = sum(len(pcm) for g, pcm in self._chunks if g == fade.outgoing) // FRAME_BYTES
        if self._chunks and self._chunks[0][0] == fade.outgoing:
            queued -= self._head // FRAME_BYTES
        end = self._played.get(fade.outgoing, 0) + queued
        fade.frames = min(fade.frames, end)
        fade.at = end - fade.frames

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
        self._fade = None  # a crossfade under way goes with the rest
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
            return self._queued_all() / RATE

    def _queued_all(self) -> int:
        return self._queued_frames + (self._fade.queued if self._fade is not None else 0)

    def wait_until_empty(self, timeout: float) -> bool:
        """True once everything queued has gone to the device."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._queued_all() > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True
