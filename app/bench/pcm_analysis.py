"""Checking decoded audio: the PCM sink's S16 stereo bytes as samples, their pitch and length.
Used by `prelude --self-test` and by the tests."""

from __future__ import annotations

import numpy as np

RATE = 44100


def pcm_to_mono(pcm: bytes) -> np.ndarray:
    """S16 interleaved stereo bytes -> float mono samples."""
    samples = np.frombuffer(pcm[: len(pcm) // 4 * 4], dtype=np.int16).astype(np.float64)
    return samples.reshape(-1, 2).mean(axis=1) / 32768.0


def dominant_frequency(samples: np.ndarray, rate: int = RATE) -> float:
    windowed = samples * np.hanning(samples.size)
    spectrum = np.abs(np.fft.rfft(windowed))
    spectrum[:5] = 0  # ignore DC
    return float(np.fft.rfftfreq(samples.size, 1 / rate)[int(np.argmax(spectrum))])


def audible_seconds(samples: np.ndarray, rate: int = RATE, threshold: float = 0.05) -> float:
    """Length of the part that is not silence (VLC may pad the ends)."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    return 0.0 if loud.size == 0 else (loud[-1] - loud[0] + 1) / rate


def longest_silence_s(samples: np.ndarray, threshold: float = 0.02,
                      rate: int = RATE) -> float:
    """The longest run below threshold strictly between the first and last loud sample: the
    gap a listener hears inside what was played."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size < 2:
        return 0.0
    return float(np.diff(loud).max() - 1) / rate
