"""Sound settings shared by every engine: a 10-band equaliser and ReplayGain.

The equaliser's bands and presets are libvlc's (60 Hz to 16 kHz); gains are in dB, -20 to +20.
ReplayGain reads the files' REPLAYGAIN_* tags: `track` evens out single tracks, `album` keeps an
album's own dynamics, `off` plays files as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BANDS_HZ = (60, 170, 310, 600, 1000, 3000, 6000, 12000, 14000, 16000)
GAIN_LIMIT_DB = 20.0
PREAMP_RANGE_DB = (-20.0, 8.0)  # 0 = as loud as with no equaliser (libvlc's own range, shifted)


@dataclass(frozen=True)
class Equalizer:
    preamp_db: float = 0.0
    gains_db: tuple[float, ...] = field(default=(0.0,) * len(BANDS_HZ))
    preset: str = ""  # the preset it came from, if any (shown in the window)

    def __post_init__(self):
        if len(self.gains_db) != len(BANDS_HZ):
            raise ValueError(f"an equaliser has {len(BANDS_HZ)} bands")

    def clamped(self) -> Equalizer:
        clamp = lambda value: max(-GAIN_LIMIT_DB, min(GAIN_LIMIT_DB, float(value)))  # noqa: E731
        low, high = PREAMP_RANGE_DB
        return Equalizer(max(low, min(high, float(self.preamp_db))), tuple(clamp(g) for g in self.gains_db),
                         self.preset)

    def to_setting(self) -> dict:
        return {"preamp_db": self.preamp_db, "gains_db": list(self.gains_db), "preset": self.preset}

    @classmethod
    def from_setting(cls, value) -> Equalizer | None:
        """None (off) for a missing or malformed setting: a bad file never breaks playback."""
        if not isinstance(value, dict):
            return None
        try:
            return cls(float(value.get("preamp_db", 0.0)),
                       tuple(float(g) for g in value.get("gains_db", ())),
                       str(value.get("preset", ""))).clamped()
        except (TypeError, ValueError):
            return None



