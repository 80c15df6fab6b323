"""Reading the export formats into plain records, line by line, reporting what cannot be read.

- Spotify "Extended streaming history" (Streaming_History_Audio_*.json): a JSON array; `ts` is
  when the stream ended (UTC), `ms_played`, `master_metadata_*` names (null for podcasts),
  `reason_end` ("trackdone" = played through, "fwdbtn" = skipped...) and `skipped`.
- Spotify basic (StreamingHistory*.json): `endTime` "YYYY-MM-DD HH:MM" (UTC), `artistName`,
  `trackName`, `msPlayed`.
- ListenBrainz (listens/*.jsonl, one listen per line): `listened_at` (when it started, Unix
  seconds) and `track_metadata` (`artist_name`, `track_name`, `release_name`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from app.errors import UsageError


@dataclass(frozen=True)
class ExportedPlay:
    origin: str  # spotify / listenbrainz
    artist: str
    title: str
    album: str
    started_at: float | None  # what the export says; one of the two is always known
    ended_at: float | None
    ms_played: int | None  # None: the export does not say (ListenBrainz)
    end_reason: str | None  # completed / skipped / stopped, or None to judge from the duration


@dataclass(frozen=True)
class Unreadable:
    where: str  # "file:line" or "file: entry N"
    why: str


def detect_format(name: str, text: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".jsonl"):
        return "listenbrainz"
    head = text.lstrip()[:4000]
    if '"master_metadata_track_name"' in head or '"ms_played"' in head:
        return "spotify-extended"
    if '"endTime"' in head or '"msPlayed"' in head:
        return "spotify-basic"
    if '"listened_at"' in head:
        return "listenbrainz"
    raise UsageError(f"{name}: not a Spotify or ListenBrainz history export")


def read_export(name: str, text: str) -> Iterator[ExportedPlay | Unreadable]:
    kind = detect_format(name, text)
    if kind == "listenbrainz":
        yield from _listenbrainz(name, text)
        return
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as error:
        yield Unreadable(f"{name}:{error.lineno}", f"not valid JSON ({error.msg})")
        return
    if not isinstance(entries, list):
        yield Unreadable(name, "expected a JSON array of plays")
        return
    parse = _spotify_extended if kind == "spotify-extended" else _spotify_basic
    for number, entry in enumerate(entries, start=1):
        try:
            play = parse(entry)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            yield Unreadable(f"{name}: entry {number}", _why(error))
            continue
        if play is not None:
            yield play


def _spotify_extended(entry: dict) -> ExportedPlay | None:
    title = entry["master_metadata_track_name"]
    if not title:
        return None  # a podcast episode or an audiobook, not a song
    ended = _iso_time(entry["ts"])
    ms_played = int(entry["ms_played"])
    if ms_played < 0:
        raise ValueError("negative ms_played")
    if entry.get("skipped") or entry.get("reason_end") == "fwdbtn":
        reason = "skipped"
    elif entry.get("reason_end") == "trackdone":
        reason = "completed"
    else:
        reason = "stopped"
    return ExportedPlay("spotify", _text(entry.get("master_metadata_album_artist_name")), _text(title),
                        _text(entry.get("master_metadata_album_album_name")),
                        ended - ms_played / 1000, ended, ms_played, reason)


def _spotify_basic(entry: dict) -> ExportedPlay:
    ended = datetime.strptime(entry["endTime"], "%Y-%m-%d %H:%M").replace(tzinfo=UTC).timestamp()
    ms_played = int(entry["msPlayed"])
    if ms_played < 0:
        raise ValueError("negative msPlayed")
    title = _text(entry["trackName"])
    if not title:
        raise ValueError("no track name")
    return ExportedPlay("spotify", _text(entry["artistName"]), title, "", ended - ms_played / 1000,
                        ended, ms_played, None)


def _listenbrainz(name: str, text: str) -> Iterator[ExportedPlay | Unreadable]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            metadata = entry["track_metadata"]
            started = float(entry["listened_at"])
            title = _text(metadata["track_name"])
            if not title:
                raise ValueError("no track name")
            yield ExportedPlay("listenbrainz", _text(metadata.get("artist_name")), title,
                               _text(metadata.get("release_name")), started, None, None, "completed")
        except json.JSONDecodeError as error:
            yield Unreadable(f"{name}:{number}", f"not valid JSON ({error.msg})")
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            yield Unreadable(f"{name}:{number}", _why(error))


def _iso_time(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _text(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("a name is not text")
    return " ".join(value.split())[:1000]


def _why(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing field {error.args[0]!r}"
    return str(error) or type(error).__name__
