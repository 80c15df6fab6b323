"""Small frozen records passed between the store, the library, playback and the window."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

LOCAL_SOURCE = "local"


# How a track's music ends (Loudness.end_kind; measured by app/loudness/track_ends.py).
FADES, ABRUPT, PLAIN = "fades", "abrupt", "plain"


@dataclass(frozen=True)
class Loudness:
    """How loud a track is, as ReplayGain 2.0 states it: the gain (dB) that brings it, or its
    album, to -18 LUFS, and the peaks (linear, 1.0 = full scale; true peaks when measured
    here). From the file's tags, the server, or measured on this machine (`origin`)."""

    track_gain_db: float
    track_peak: float | None = None
    album_gain_db: float | None = None
    album_peak: float | None = None
    origin: str = "tags"  # "tags", "server" or "measured"
    # Where the music starts and ends (ms into the file) with the silence around it left out;
    # measured here, for every track (a tagged one too).
    music_start_ms: int | None = None
    music_end_ms: int | None = None
    # How its music ends (app/loudness/track_ends.py): "fades" (over fade_out_ms), "abrupt"
    # or "plain"; measured here with its ends.
    end_kind: str | None = None
    fade_out_ms: int | None = None


@dataclass(frozen=True)
class TrackTags:
    """What a scanner reads from one file, before it has a database id."""

    location: str
    title: str
    artist: str = ""
    album: str = ""
    album_artist: str = ""
    track_no: int | None = None
    disc_no: int | None = None
    year: int | None = None
    genres: tuple[str, ...] = ()
    duration_ms: int | None = None
    codec: str | None = None
    bitrate_kbps: int | None = None
    size: int | None = None
    mtime: float | None = None
    cover_path: str | None = None
    source: str = LOCAL_SOURCE
    remote_folder: str | None = None  # server tracks: the server's folder for it, as text
    loudness: Loudness | None = None  # from ReplayGain / R128 tags, when the file has them


@dataclass(frozen=True)
class Track:
    id: int
    source: str  # "local" or a server name
    location: str  # a file path for local tracks, the server's opaque id otherwise
    title: str
    artist: str = ""
    album: str = ""
    album_artist: str = ""
    track_no: int | None = None
    disc_no: int | None = None
    year: int | None = None
    genre: str = ""
    duration_ms: int | None = None
    codec: str | None = None
    bitrate_kbps: int | None = None
    size: int | None = None
    cover_path: str | None = None  # a local image, or a server's cover art id
    album_id: int | None = None
    starred: int = 0
    rating: int | None = None

    @property
    def is_local(self) -> bool:
        return self.source == LOCAL_SOURCE

    @property
    def display_name(self) -> str:
        return f"{self.artist} — {self.title}" if self.artist else self.title


class EndReason(enum.StrEnum):
    COMPLETED = "completed"
    SKIPPED = "skipped"
    STOPPED = "stopped"
    ERROR = "error"


class AudioSource(enum.StrEnum):
    LOCAL = "local"
    CACHE = "cache"
    PARTIAL_CACHE = "partial_cache"
    STREAM = "stream"


class RepeatMode(enum.StrEnum):
    OFF = "off"
    ALL = "all"
    ONE = "one"


@dataclass(frozen=True)
class PlayEvent:
    id: int
    track_id: int | None
    title: str
    artist: str
    started_at: float
    ended_at: float | None
    ms_played: int
    end_reason: str | None
    context: str
    audio_source: str | None  # None: imported from another service
    startup_ms: float | None


@dataclass(frozen=True)
class ScanReport:
    files_seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    unreadable: tuple[tuple[str, str], ...] = field(default=())

    @property
    def files_per_s(self) -> float:
        return self.files_seen / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        text = (
            f"Scanned {self.files_seen} files in {self.seconds:.2g} s: {self.added} new, "
            f"{self.updated} changed, {self.unchanged} unchanged, {self.removed} removed."
        )
        if self.unreadable:
            shown = ", ".join(f"{path} ({why})" for path, why in self.unreadable[:5])
            more = f" and {len(self.unreadable) - 5} more" if len(self.unreadable) > 5 else ""
            noun = "file" if len(self.unreadable) == 1 else "files"
            text += f"\n{len(self.unreadable)} {noun} could not be read: {shown}{more}"
        return text
