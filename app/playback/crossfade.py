"""A crossfade inside Prelude's output: the incoming track's audio waits in a queue of its own
beside the outgoing track's, and the two are mixed sample by sample where the fade begins.

The PcmRing decides when (by the outgoing track's frames heard) and this module how: the
equal-power curves (cos and sin of a quarter turn, so two unrelated songs keep their summed
power through the fade: at the middle each is at -3 dB), or, for an outgoing track that fades
out by itself, only the incoming one rises (a second fade would make its own fade fall early).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

FRAME_BYTES = 4  # signed 16-bit, two channels
# Two loud tracks summed can pass full scale mid-fade (two in-phase signals at -3 dB each sum to
# +3 dB): a limiter holds the mix under -1 dBFS, closing in over 2 ms and opening over 200 ms,
# so it never clips and never clicks. Outside a fade the loudness gains' own ceiling holds.
CEILING = 32767 * 10 ** (-1 / 20)
ATTACK_PER_FRAME = 1 / (0.002 * 44100)
RELEASE_PER_FRAME = 1 / (0.2 * 44100)
SHORTEST_FRAMES = 44100 // 5  # a fade left shorter than 0.2 s is no fade: the next one follows


@dataclass
class Fade:
    incoming: int  # the generation fading in
    outgoing: int  # the generation fading out
    at: int | None  # the outgoing's frames heard where the fade begins; None: once the
    #                 incoming has audio (a fade on skip)
    frames: int  # the fade's length
    fade_out: bool = True  # the outgoing is faded too (False: it fades out by itself)
    chunks: deque = field(default_factory=deque)  # the incoming's (generation, S16) chunks
    queued: int = 0  # frames in chunks
    done: int = 0  # frames of the fade heard so far
    mixing: bool = False
    late: bool = False  # the incoming came too late for a fade: it follows the outgoing's end
    limit: float = 1.0  # the limiter's gain at the end of the last stretch

    def due(self, outgoing_heard: int) -> bool:
        if self.at is None:
            return self.queued > 0
        return outgoing_heard >= self.at

    def begin(self, outgoing_heard: int) -> None:
        """The incoming has audio and the fade is due: mix from here. Where its audio came
        after the fade was due, the fade is shortened so it still ends where it was to."""
        if self.at is not None and outgoing_heard > self.at:
            self.frames -= outgoing_heard - self.at
            if self.frames < SHORTEST_FRAMES:
                self.late = True  # it follows the outgoing's end instead, without a fade
                return
        self.mixing = True

    def take_incoming(self, frames: int) -> bytes:
        """Up to `frames` of the incoming's audio, in order."""
        wanted, parts = frames * FRAME_BYTES, []
        while wanted and self.chunks:
            generation, pcm = self.chunks[0]
            parts.append(pcm[:wanted])
            if len(pcm) > wanted:
                self.chunks[0] = (generation, pcm[wanted:])
                wanted = 0
            else:
                self.chunks.popleft()
                wanted -= len(pcm)
        taken = b"".join(parts)
        self.queued -= len(taken) // FRAME_BYTES
        return taken

    def mix(self, outgoing: bytes, incoming: bytes, gain_out: float, gain_in: float) -> bytes:
        """The next stretch of the fade: both S16 stereo (the shorter padded with silence),
        each with its track's loudness gain, summed as S16 stereo."""
        frames = max(len(outgoing), len(incoming)) // FRAME_BYTES
        position = (self.done + np.arange(frames)) / self.frames
        rising = np.sin(position * (np.pi / 2))[:, None]
        falling = np.cos(position * (np.pi / 2))[:, None] if self.fade_out else 1.0
        mixed = (_stereo(outgoing, frames) * (gain_out * falling)
                 + _stereo(incoming, frames) * (gain_in * rising))
        self.done += frames
        mixed *= self._limiter(np.abs(mixed).max(axis=1))[:, None]
        return np.clip(mixed, -32768, 32767).astype(np.int16).tobytes()

    def _limiter(self, peaks: np.ndarray) -> np.ndarray:
        """The gain of each frame: at most what keeps it under the ceiling, changing no faster
        than the attack before a peak and the release after it (min-plus, in numpy)."""
        needed = np.minimum(1.0, CEILING / np.maximum(peaks, 1.0))
        steps = np.arange(needed.shape[0])
        after = steps * RELEASE_PER_FRAME + np.minimum.accumulate(
            needed - steps * RELEASE_PER_FRAME)
        after = np.minimum(after, self.limit + (steps + 1) * RELEASE_PER_FRAME)
        before = np.minimum.accumulate((needed + steps * ATTACK_PER_FRAME)[::-1])[::-1] \
            - steps * ATTACK_PER_FRAME
        gain = np.minimum(np.minimum(after, before), 1.0)
        self.limit = float(gain[-1])
        return gain

    @property
    def finished(self) -> bool:
        return self.done >= self.frames


def _stereo(pcm: bytes, frames: int) -> np.ndarray:
    samples = np.zeros((frames, 2))
    have = np.frombuffer(pcm, dtype=np.int16).reshape(-1, 2)
    samples[: have.shape[0]] = have
    return samples
