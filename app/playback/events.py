"""What the player tells the rest of the app (published on the event bus)."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import RepeatMode, Track
from app.playback.engine import EngineState


@dataclass(frozen=True)
class PlayerStateChanged:
    state: EngineState
    track: Track | None


@dataclass(frozen=True)
class TrackStarted:
    track: Track
    queue_index: int
    audio_source: str


@dataclass(frozen=True)
class TransitionPlanned:
    """How the next track will come in after the current one (app/playback/transitions.py)."""
    track_id: int | None  # the next track (None: nothing follows)
    why: str  # one line, for the queue's tooltip


@dataclass(frozen=True)
class PositionChanged:
    position_ms: int
    duration_ms: int | None


@dataclass(frozen=True)
class QueueChanged:
    track_ids: tuple[int, ...]
    current_index: int | None
    shuffle: bool
    repeat: RepeatMode
    play_order: tuple[int, ...] = ()  # indexes into track_ids in the order they play
    reasons: tuple[tuple[int, str], ...] = ()  # (track id, why it is there): radio, autoplay


@dataclass(frozen=True)
class PlaybackFailed:
    message: str  # a complete sentence for the person
    track: Track | None


@dataclass(frozen=True)
class VolumeChanged:
    volume: int


@dataclass(frozen=True)
class QueueFinished:
    pass


@dataclass(frozen=True)
class TrackFinished:
    track: Track
    end_reason: str     # completed / skipped / stopped / error
    ms_played: int


@dataclass(frozen=True)
class PlanChanged:
    """The playing track and the ones that will play next on their own, in order."""

    track_ids: tuple[int, ...]
    playing: bool = True  # the first id is the playing track


@dataclass(frozen=True)
class AudioStarted:
    """The first decoded audio of a play (to libvlc's playing state with a sound device)."""

    track: Track
    startup_ms: float  # from loading the track
    audio_source: str
    at: float = 0.0    # time.monotonic() of the first audio
