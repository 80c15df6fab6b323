"""How one track gives way to the next: a gapless cut or a crossfade, chosen per transition.

Never a fade inside an album played in order (its tracks were made to run into each other).
With smart transitions, each track's measured ending decides: one that fades out by itself
overlaps the next by its own fade (only the next one rises), one that stops dead keeps a hard
cut, the rest get the crossfade set. A skip is immediate unless "fade on skip" is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models import ABRUPT, FADES, Loudness, Track
from app.playback.engine import Crossfade

SKIP_FADE_AT_MOST_MS = 3000  # a fade on skip: short, the listener asked for the next one


@dataclass(frozen=True)
class TransitionSettings:
    crossfade_ms: int = 0  # 0: off
    smart: bool = True
    fade_on_skip: bool = False
    trim_silence: bool = False


@dataclass(frozen=True)
class Transition:
    fade: Crossfade | None  # None: a gapless cut
    why: str  # one line, for the queue's tooltip


def follows_in_album(current: Track, following: Track) -> bool:
    """The next track of the same album, in order (the next number, or the first of the next
    disc): what a gapless album is."""
    if current.album_id is None or current.album_id != following.album_id:
        return False
    if current.track_no is None or following.track_no is None:
        return False
    same_disc = (current.disc_no or 1) == (following.disc_no or 1)
    if same_disc:
        return following.track_no == current.track_no + 1
    return (following.disc_no or 1) == (current.disc_no or 1) + 1 and following.track_no == 1


def choose(current: Track, following: Track, ending: Loudness | None,
           settings: TransitionSettings) -> Transition:
    """How `following` comes in after `current` plays to its end; `ending`: what is measured
    of how `current` ends (None: not measured yet)."""
    cut = "Straight into the next, silence trimmed" if settings.trim_silence \
        else "Straight into the next, with no gap"
    if settings.crossfade_ms <= 0:
        return Transition(None, cut)
    if follows_in_album(current, following):
        return Transition(None, "No crossfade: the next song of this album, played gaplessly")
    seconds = _seconds(settings.crossfade_ms)
    if settings.smart and ending is not None:
        if ending.end_kind == FADES and ending.fade_out_ms:
            overlap = min(ending.fade_out_ms, settings.crossfade_ms)
            return Transition(Crossfade(overlap, fade_out=False),
                              f"Into its own fade-out: the next starts {_seconds(overlap)} "
                              "before it ends")
        if ending.end_kind == ABRUPT:
            return Transition(None, "A hard cut: this song stops dead, so no crossfade")
    return Transition(Crossfade(settings.crossfade_ms), f"Crossfade, {seconds}")


def on_skip(settings: TransitionSettings) -> Crossfade | None:
    """How a track the listener skips to comes in: at once, or faded in over the one left."""
    if settings.crossfade_ms <= 0 or not settings.fade_on_skip:
        return None
    return Crossfade(min(settings.crossfade_ms, SKIP_FADE_AT_MOST_MS))


def _seconds(ms: int) -> str:
    value = ms / 1000
    return f"{value:.0f} s" if value == int(value) else f"{value:.1f} s"
