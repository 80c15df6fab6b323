"""How a track's music ends, from its level envelope: it fades out by itself (and over how
long), it stops abruptly at full level, or neither. Smart crossfades (app/playback/transitions.py)
let a track that fades out overlap the next, and keep a hard cut where the music stops dead."""

from __future__ import annotations

import numpy as np

from app.models import ABRUPT, FADES, PLAIN

WINDOW_S = 0.1  # the envelope's step
LOOK_BACK_S = 20.0  # the stretch before the music's end whose loudest part is the reference
NEAR_REFERENCE_DB = 3.0  # within this of the reference, the music is still "at full level"
FADES_AT_LEAST_MS = 1500  # a decline shorter than this is a song's last note, not a fade-out
FADED_BY_DB = 12.0  # ...and a fade-out ends at least this far under the reference
ABRUPT_WITHIN_MS = 300  # full level this close to the end: the music stops dead


class LevelEnvelope:
    """The level (dB, mean square over channels) of each WINDOW_S of a track, fed block by
    block while the track is decoded for measuring."""

    def __init__(self):
        self._levels: list[float] = []
        self._rest = np.zeros(0)
        self._window = 0

    def add(self, block: np.ndarray, rate: int) -> None:
        self._window = max(1, int(rate * WINDOW_S))
        power = np.concatenate([self._rest, np.mean(np.square(block), axis=1)])
        whole = power.shape[0] // self._window * self._window
        if whole:
            means = power[:whole].reshape(-1, self._window).mean(axis=1)
            self._levels.extend((10 * np.log10(np.maximum(means, 1e-12))).tolist())
        self._rest = power[whole:]

    def ending(self, music_end_ms: int) -> tuple[str, int]:
        """(FADES, ABRUPT or PLAIN; the fade-out's length in ms, 0 unless it fades)."""
        step_ms = int(WINDOW_S * 1000)
        end = min(len(self._levels), -(-music_end_ms // step_ms))
        levels = np.array(self._levels[max(0, end - int(LOOK_BACK_S / WINDOW_S)): end])
        if levels.size < 5:
            return PLAIN, 0
        reference = float(np.percentile(levels, 90))
        loud = np.flatnonzero(levels >= reference - NEAR_REFERENCE_DB)
        decline_ms = (levels.size - 1 - int(loud[-1])) * step_ms
        last_half_second = float(np.mean(levels[-5:]))
        if decline_ms >= FADES_AT_LEAST_MS and last_half_second <= reference - FADED_BY_DB:
            return FADES, decline_ms
        if decline_ms <= ABRUPT_WITHIN_MS:
            return ABRUPT, 0
        return PLAIN, 0
