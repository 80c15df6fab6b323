"""What every playback engine provides, and the events it reports.

Engines are driven from the player's own thread only. They report through a listener that may be
called on any thread (libvlc calls back on its own threads), so a listener only hands the event on.
"""

from __future__ import annotations

import enum
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from app.errors import PlaybackError


class EngineState(enum.StrEnum):
    EMPTY = "empty"      # nothing loaded yet, or the queue ended
    IDLE = "idle"        # a track is loaded but stopped
    PLAYING = "playing"  # audio is (or is about to be) coming out
    PAUSED = "paused"    # loaded, position kept, no audio
    ERROR = "error"      # the last track failed; the player moves on


class EngineEventKind(enum.StrEnum):
    STATE = "state"              # value: EngineState
    POSITION = "position"        # value: milliseconds
    DURATION = "duration"        # value: milliseconds
    FIRST_AUDIO = "first_audio"  # the first decoded audio of this load
    ENDED = "ended"              # the track played to its end
    ERROR = "error"              # value: a readable message
    NOTICE = "notice"            # value: a readable message; playback goes on


@dataclass(frozen=True)
class EngineEvent:
    kind: EngineEventKind
    generation: int  # which load it belongs to; the player drops events of older loads
    value: object = None
    at: float = field(default_factory=time.monotonic)  # when it happened, not when handled


EngineListener = Callable[[EngineEvent], None]


@dataclass(frozen=True)
class Crossfade:
    """How a track comes in over the one before: mixed with it for `ms`, by equal-power curves;
    fade_out False: the one before fades out by itself, and only the new one rises."""
    ms: int
    fade_out: bool = True


def check_source(source: str) -> str:
    """Only local paths and http(s) URLs may reach an engine."""
    if "://" in source:
        scheme = urlsplit(source).scheme.lower()
        if scheme not in ("http", "https"):
            raise PlaybackError(f"Refusing to play a {scheme}:// address; only http(s) is allowed.")
    return source


class Engine(ABC):
    """The player backend interface; VlcEngine and NullEngine pass one contract test suite."""

    def __init__(self) -> None:
        self._listener: EngineListener = lambda event: None
        self.generation = 0
        self.state = EngineState.EMPTY
        self.equalizer = None
        self.output_device: str | None = None
        self.track_gains: dict[str, float] = {}  # source -> its loudness gain (linear)
        self.track_bounds: dict[str, tuple[int, int | None]] = {}  # source -> (start, stop) ms

    def set_listener(self, listener: EngineListener) -> None:
        self._listener = listener

    def _emit(self, kind: EngineEventKind, value: object = None, generation: int | None = None):
        self._listener(EngineEvent(kind, self.generation if generation is None else generation,
                                   value))

    def _set_state(self, state: EngineState) -> None:
        self.state = state
        self._emit(EngineEventKind.STATE, state)

    @abstractmethod
    def load(self, source: str, start_ms: int = 0, duration_hint_ms: int | None = None,
             continuing: bool = False, fade: Crossfade | None = None) -> None:
        """Start playing a local path or an http(s) URL from start_ms. continuing: it follows
        the track that just ended, so it may start seamlessly after that one's last sample.
        fade: mixed in over the playing track (its end when continuing, else from now), where
        the engine can; engines that cannot start it as without."""

    def set_next(self, source: str | None, duration_hint_ms: int | None = None,
                 fade: Crossfade | None = None) -> bool:
        """What follows the current track when it ends (a source it can open by itself), or
        None, and how it comes in. An engine that can starts it by itself (gaplessly, or its
        crossfade in time) however busy the caller is; the player's own load(continuing=True)
        of it then only adopts it. Whether it was taken: False from engines that cannot (the
        player resolves the next track when it plays), and when the track offered before has
        started already (the caller was late: that one is adopted)."""
        return False

    def fade_due(self, fade: Crossfade) -> bool:
        """The offered next track should start now for its crossfade to begin in time (engines
        that can crossfade say so; others start it at the end, without a fade)."""
        return False

    @abstractmethod
    def pause(self) -> None: ...

    @abstractmethod
    def resume(self) -> None: ...

    @abstractmethod
    def stop(self) -> None: ...

    @abstractmethod
    def seek(self, position_ms: int) -> None: ...

    @abstractmethod
    def set_volume(self, volume: int) -> None:
        """0-100."""

    def set_equalizer(self, equalizer) -> None:
        """An app.playback.sound.Equalizer, or None for none. Engines without one ignore it."""
        self.equalizer = equalizer

    def output_devices(self) -> list[tuple[str, str]]:
        """(id, description) of the sound devices the audio output offers; [] when none."""
        return []

    def set_output_device(self, device: str | None) -> None:
        """Play on this device (an id from output_devices), or None for the system's choice."""
        self.output_device = device

    def set_track_gain(self, source: str, gain: float) -> None:
        """The loudness gain (linear) of the track at `source`: to the playing track at once
        if it is that one, else from its load. Engines without an output of their own keep it
        only to say what they were told."""
        _keep(self.track_gains, source, gain)

    def set_track_bounds(self, source: str, start_ms: int, stop_ms: int | None) -> None:
        """Where the track at `source` is to start and stop (ms into it; silence trimming),
        from its next load: 0 and None for the whole of it."""
        _keep(self.track_bounds, source, (start_ms, stop_ms))

    @abstractmethod
    def position_ms(self) -> int: ...

    @abstractmethod
    def duration_ms(self) -> int | None: ...

    def close(self) -> None:
        self.stop()


def _keep(sources: dict, source: str, value) -> None:
    """What is said of a source, for the current track, the next, and a few behind."""
    if len(sources) > 16:
        del sources[next(iter(sources))]
    sources[source] = value
