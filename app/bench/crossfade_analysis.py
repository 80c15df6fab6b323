"""A crossfade as heard: two tones (440 Hz out, 660 Hz in) played through the output, and what
a sound server's sink received, taken apart. Each tone's level is followed sample by sample; in
an equal-power fade the angle atan2(incoming, outgoing) rises in a straight line from 0 to a
quarter turn, so a line fitted to it gives the fade's real start and length to the sample."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 44100
OUT_HZ, IN_HZ = 440.0, 660.0
AMPLITUDE = 0.25  # -12 dBFS: room for the two tones summed
SMOOTH = RATE // 20  # 50 ms: whole periods of both tones, their sum and their difference


def write_fade_pair(folder: Path, seconds: float, label: str) -> tuple[Path, Path]:
    """Two FLACs of steady tones, of different albums (so a crossfade is allowed)."""
    import soundfile  # noqa: PLC0415

    from app.library.tags import write_tags  # noqa: PLC0415

    paths = []
    for number, hz in ((1, OUT_HZ), (2, IN_HZ)):
        t = np.arange(int(seconds * RATE)) / RATE
        tone = AMPLITUDE * np.sin(2 * np.pi * hz * t)
        path = folder / f"{label} {number}.flac"
        soundfile.write(path, np.stack([tone, tone], axis=1), RATE, format="FLAC",
                        subtype="PCM_16")
        write_tags(path, title=f"{label} {number}", artist="Bench",
                   album=f"{label} album {number}", tracknumber="1")
        paths.append(path)
    return paths[0], paths[1]


def _level(mono: np.ndarray, hz: float) -> np.ndarray:
    """The amplitude of the `hz` tone at every sample (a 50 ms moving average)."""
    t = np.arange(mono.shape[0]) / RATE
    product = mono * np.exp(-2j * np.pi * hz * t)
    kernel = np.ones(SMOOTH) / SMOOTH
    return 2 * np.abs(np.convolve(product, kernel, mode="same"))


@dataclass(frozen=True)
class HeardFade:
    overlap_ms: float  # how long the two were heard together (the fitted fade)
    outgoing_ms: float  # how long the outgoing tone was heard, from its first sample to its end
    level_dev_db: float  # the largest step of the summed level through the fade


def heard_fade(stereo: np.ndarray) -> HeardFade:
    """stereo: what the sink played (float, full scale 1.0), the outgoing tone first."""
    mono = stereo.mean(axis=1)
    first = int(np.flatnonzero(np.abs(mono) > AMPLITUDE / 10)[0])
    out, into = _level(mono, OUT_HZ), _level(mono, IN_HZ)
    angle = np.arctan2(into, out)
    both = np.flatnonzero((out > AMPLITUDE * 0.15) & (into > AMPLITUDE * 0.15))
    if both.size < RATE // 10:
        raise RuntimeError("no crossfade was heard: the tracks did not overlap")
    middle = both[(angle[both] > 0.2) & (angle[both] < np.pi / 2 - 0.2)]
    slope, intercept = np.polyfit(middle / RATE, angle[middle], 1)
    start_s = -intercept / slope
    length_s = (np.pi / 2) / slope
    inside = middle[SMOOTH:-SMOOTH] if middle.size > 4 * SMOOTH else middle
    summed = np.sqrt(out[inside] ** 2 + into[inside] ** 2) / AMPLITUDE
    return HeardFade(round(length_s * 1000, 2), round((start_s + length_s - first / RATE)
                                                      * 1000, 2),
                     round(float(np.abs(20 * np.log10(summed)).max()), 2))
