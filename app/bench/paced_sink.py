"""A simulated sound card for libvlc's audio callbacks: it plays in real time and drains.

libvlc decodes into callbacks as fast as it can, so a plain sink says nothing about gaps. This
one behaves like a device: it holds at most `buffer_s` of audio (the callback waits, as a device
write does), plays it at the sample rate, and `drain()` returns only once everything is played,
as libvlc expects at the end of a track. Each chunk is stamped with the time it starts playing;
a chunk that arrives after the card ran dry starts late, and that wait is silence a listener
hears. `timeline()` rebuilds what came out of the speaker, underruns included.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from app.bench.pcm_analysis import RATE


class PacedSink:
    def __init__(self, buffer_s: float = 0.1):
        self.buffer_s = buffer_s
        self._chunks: list[tuple[float, bytes]] = []  # (when it starts playing, S16 stereo)
        self._played_until: float | None = None
        self._lock = threading.Lock()

    def __call__(self, pcm: bytes) -> None:
        frames = len(pcm) // 4
        with self._lock:
            now = time.monotonic()
            start = now if self._played_until is None or self._played_until < now \
                else self._played_until
            self._chunks.append((start, pcm))
            self._played_until = start + frames / RATE
            wait = self._played_until - now - self.buffer_s
        if wait > 0:
            time.sleep(wait)  # a full device blocks the writer; this is libvlc's audio thread

    def drain(self) -> None:
        with self._lock:
            wait = 0.0 if self._played_until is None else self._played_until - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def timeline(self) -> tuple[float, np.ndarray]:
        """(speaker time of sample 0, mono samples in -1..1) with underruns as silence."""
        with self._lock:
            chunks = list(self._chunks)
        if not chunks:
            return 0.0, np.zeros(0)
        origin = chunks[0][0]
        last_start, last_pcm = chunks[-1]
        out = np.zeros(int(round((last_start - origin) * RATE)) + len(last_pcm) // 4)
        for start, pcm in chunks:
            samples = np.frombuffer(pcm[: len(pcm) // 4 * 4], dtype=np.int16)
            mono = samples.reshape(-1, 2).mean(axis=1) / 32768.0
            at = int(round((start - origin) * RATE))
            out[at: at + mono.size] = mono[: out.size - at]
        return origin, out

