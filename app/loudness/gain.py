"""The gain a track plays at: its ReplayGain (track or album), the pre-amp, and a ceiling so
that its peak stays at -1 dBTP (a quiet track is never raised into clipping)."""

from __future__ import annotations

from app.models import Loudness

REFERENCE_LUFS = -18.0  # ReplayGain 2.0's level: a gain of 0 dB plays a track at this
PEAK_CEILING = 10 ** (-1 / 20)  # -1 dBTP, the headroom EBU R128 asks of a stream
MODES = ("off", "track", "album")


def playback_gain(loudness: Loudness | None, mode: str, preamp_db: float = 0.0) -> float:
    """The linear gain for a track; 1.0 (as it is) when levelling is off or its loudness is
    not known yet. Album mode uses the album's gain where there is one, the track's otherwise."""
    if mode == "off" or loudness is None or loudness.origin == "unreadable":
        return 1.0
    if mode == "album" and loudness.album_gain_db is not None:
        gain_db, peak = loudness.album_gain_db, loudness.album_peak or loudness.track_peak
    else:
        gain_db, peak = loudness.track_gain_db, loudness.track_peak
    gain = 10 ** ((gain_db + preamp_db) / 20)
    if peak:
        gain = min(gain, PEAK_CEILING / peak)
    return gain


def gain_for_loudness(integrated_lufs: float) -> float:
    """ReplayGain 2.0's gain (dB) for a measured integrated loudness."""
    return REFERENCE_LUFS - integrated_lufs
