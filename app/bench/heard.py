"""Finding, in what a sound server's sink played, where each generated track was heard.

The benchmarks play noise tracks made from a seed, so every millisecond of a track is unlike
any other millisecond anywhere: a piece of a track is found in the sink's audio by
correlation, and from there the sink is followed window by window (1.5 ms) against the track.
That tells when a track's first sample was heard, where a seek landed, and every place the sound
broke (silence, or audio skipped or repeated) while the file has none. Following re-aligns by a
few samples as it goes, because libvlc's own outputs resample a little to keep their clock.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

RATE = 44100
LEVEL = 13000  # the noise's peak, in 16-bit steps, with headroom for libvlc's float path
BAND_HZ = 4000
SILENT = 16  # a frame this quiet in both channels is silence
WINDOW = 64  # frames compared at a time (1.45 ms): the resolution of every figure here
SEARCH = 4  # frames of drift looked for around the last alignment
QUIET_RMS = 48.0  # a window of the track this quiet (16-bit steps) is compared by level
MATCH = 0.6  # the correlation above which a window is the track (unrelated noise: ~0 +- 0.13)
BREAK_MS = 2.0  # a jump in the sound this long or longer is a break a listener hears
PROBE_FRAMES = 2048  # the piece of a track looked for first (46 ms)
LOCATE_TRIES = 5  # correlation peaks checked before a probe counts as not heard


def noise_track(seed: int, seconds: float) -> np.ndarray:
    """A track's samples: int16, shape (frames, 2). Noise below BAND_HZ: libvlc's outputs
    resample by fractions of a sample to keep their clock, and band-limited noise still
    correlates across such a shift where white noise would not."""
    rng = np.random.default_rng(seed)
    frames = int(seconds * RATE)
    spectrum = np.fft.rfft(rng.standard_normal((frames, 2)), axis=0)
    spectrum[int(BAND_HZ * frames / RATE):] = 0
    noise = np.fft.irfft(spectrum, n=frames, axis=0)
    noise *= LEVEL / (4 * noise.std())  # peaks near LEVEL, none clipped below
    return np.clip(noise, -32767, 32767).astype(np.int16)


def write_flac(path: Path, samples: np.ndarray, **tags: str) -> None:
    import soundfile  # noqa: PLC0415

    from app.library.tags import write_tags  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, samples, RATE, format="FLAC", subtype="PCM_16")
    write_tags(path, **tags)


def mono(samples: np.ndarray) -> np.ndarray:
    """What is compared: the left channel, differenced. Not a mix, since a track may carry its
    noise as left-minus-right, which a mix cancels; differenced, since a tune repeats and the
    noise under it does not, and differencing takes most of the tune's weight away."""
    left = samples[:, 0].astype(np.float32)
    return np.diff(left, prepend=left[:1])


def _correlations(heard: np.ndarray, track: np.ndarray) -> np.ndarray:
    """Normalised correlation of each WINDOW of two equally long mono signals."""
    count = min(heard.size, track.size) // WINDOW
    a = heard[: count * WINDOW].reshape(count, WINDOW)
    b = track[: count * WINDOW].reshape(count, WINDOW)
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    scale = np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))
    return np.divide((a * b).sum(axis=1), scale, out=np.zeros(count, np.float32), where=scale > 0)


def _window_rms(signal: np.ndarray, count: int) -> np.ndarray:
    windows = signal[: count * WINDOW].reshape(count, WINDOW)
    return np.sqrt((windows * windows).mean(axis=1))


def _same(heard: np.ndarray, track: np.ndarray) -> np.ndarray:
    """Per WINDOW: is the sink playing this part of the track? Where the track is nearly
    silent, rounding on the way to the sink outweighs the signal: there both must be quiet."""
    count = min(heard.size, track.size) // WINDOW
    quiet = _window_rms(track, count) < QUIET_RMS
    loud_enough = _correlations(heard, track) >= MATCH
    return np.where(quiet, _window_rms(heard, count) < 2 * QUIET_RMS, loud_enough)


def _realign(heard: np.ndarray, track: np.ndarray, here: int, there: int) -> int | None:
    """The shift (-SEARCH..SEARCH) of the track that matches the sink's window at `here`."""
    best, shift = MATCH, None
    for candidate in range(-SEARCH, SEARCH + 1):
        start = there + candidate
        if start < 0 or start + WINDOW > track.size or here + WINDOW > heard.size:
            continue
        score = _correlations(heard[here: here + WINDOW], track[start: start + WINDOW])[0]
        if score > best:
            best, shift = score, candidate
    return shift


def follow(heard: np.ndarray, track: np.ndarray, here: int, there: int, end: int,
           step: int = WINDOW) -> tuple[int, int]:
    """From an aligned place (sink frame `here` = track frame `there`), follow the sink along
    the track (step > 0) or back (step < 0) while it matches; where it stops matching, as
    (sink frame, track frame). `end` is the track frame not to pass."""
    while True:
        if step > 0:
            count = min((end - there) // WINDOW, (heard.size - here) // WINDOW, 256)
            if count <= 0:
                return here, there
            same = _same(heard[here: here + count * WINDOW], track[there: there + count * WINDOW])
        else:
            count = min((there - end) // WINDOW, here // WINDOW, 256)
            if count <= 0:
                return here, there
            same = _same(heard[here - count * WINDOW: here],
                         track[there - count * WINDOW: there])[::-1]
        bad = np.flatnonzero(~same)
        good = count if bad.size == 0 else int(bad[0])
        here, there = here + np.sign(step) * good * WINDOW, there + np.sign(step) * good * WINDOW
        if bad.size == 0:
            continue
        probe = here if step > 0 else here - WINDOW
        shift = _realign(heard, track, probe, there if step > 0 else there - WINDOW)
        if not shift:  # 0 would have matched already: the sink left the track here
            return here, there
        there += shift


def locate(heard: np.ndarray, probe: np.ndarray) -> int | None:
    """Where in the sink (mono) the probe (mono) was played, or None."""
    from scipy.signal import correlate  # noqa: PLC0415

    if heard.size < probe.size:
        return None
    # The best few places by correlation are checked window by window.
    score = correlate(heard, probe, mode="valid", method="fft")
    for index in np.argsort(score)[::-1][:LOCATE_TRIES]:
        index = int(index)
        if _same(heard[index: index + probe.size], probe).mean() >= 0.9:
            return index
    return None


def onset(heard: np.ndarray, track: np.ndarray, near: int, lead_s: float = 0.3) -> tuple[int, int] | None:
    """Where a play of `track` from about frame `near` begins in the sink: (sink frame, track
    frame there). Mono signals; found from a probe `lead_s` in, then followed back."""
    for lead in (lead_s, 2 * lead_s, 4 * lead_s):
        at = min(max(0, near + int(lead * RATE)), track.size - PROBE_FRAMES)
        found = locate(heard, track[at: at + PROBE_FRAMES])
        if found is not None:
            here, there = follow(heard, track, found, at, 0, step=-WINDOW)
            if there < WINDOW and here >= there:  # within a window of the track's first frame
                here, there = here - there, 0
            return here, there
    return None


def silence_onset(heard: np.ndarray, min_frames: int = RATE // 100) -> int | None:
    """The first frame of the first silence at least `min_frames` long (10 ms); stereo int16."""
    quiet = np.abs(heard.astype(np.int32)).max(axis=1) <= SILENT
    edges = np.flatnonzero(np.diff(np.concatenate(([False], quiet, [False])).astype(np.int8)))
    for first, end in zip(edges[0::2], edges[1::2], strict=True):
        if end - first >= min_frames:
            return int(first)
    return None


def sound_onset(heard: np.ndarray) -> int | None:
    loud = np.flatnonzero(np.abs(heard.astype(np.int32)).max(axis=1) > SILENT)
    return int(loud[0]) if loud.size else None


def breaks(heard: np.ndarray, track: np.ndarray, here: int, there: int,
           end: int | None = None, resync_s: float = 5.0) -> list[dict]:
    """Every place a continuous play of `track` (mono; sink frame `here` = track frame
    `there`) broke before track frame `end`: silence inserted, audio skipped or repeated. Each
    is {"at_s": seconds into the track, "ms": how long the sink strayed (None: not found
    again)}."""
    end = track.size if end is None else end
    found: list[dict] = []
    while True:
        here, there = follow(heard, track, here, there, end)
        if end - there < WINDOW or heard.size - here < WINDOW:
            return found
        window = heard[here: here + int(resync_s * RATE)]
        again = onset(window, track, there, lead_s=0.05)
        if again is None or again[1] < there - RATE:
            found.append({"at_s": round(there / RATE, 3), "ms": None})
            return found
        strayed = (again[0] - (again[1] - there)) * 1000 / RATE
        if abs(strayed) >= BREAK_MS:  # less: the follower lost a window, the sound did not
            found.append({"at_s": round(there / RATE, 3), "ms": round(strayed, 1)})
        here, there = here + max(again[0], WINDOW), again[1] + max(0, WINDOW - again[0])
