"""Turning OpenSubsonic JSON into checked records.

Servers differ (ids of any shape, missing keys, `[]` or `{}` for empty lists, extra fields), and
a server can be wrong or hostile: every value is type-checked and bounded here, and anything that
is not a usable song is skipped rather than trusted. Nothing a server sends becomes a path.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from app.errors import CatalogError
from app.models import Loudness

MAX_TEXT = 1000         # longer names are cut (a 10 KB title is an attack or a bug)
MAX_ID = 200


@dataclass(frozen=True)
class RemoteSong:
    id: str
    title: str
    artist: str = ""
    album: str = ""
    album_artist: str = ""
    album_id: str = ""
    track_no: int | None = None
    disc_no: int | None = None
    year: int | None = None
    genre: str = ""
    duration_ms: int | None = None
    suffix: str | None = None
    bitrate_kbps: int | None = None
    size: int | None = None
    cover_art: str | None = None
    starred: bool = False
    rating: int | None = None
    play_count: int | None = None  # the server's count (for its user), when it says
    folder: str = ""  # the folder part of the server's `path`, as display text
    replay_gain: Loudness | None = None  # OpenSubsonic's replayGain, when the server sends it


def clean_text(value: Any, limit: int = MAX_TEXT) -> str:
    """A printable, bounded string: control characters dropped, whitespace folded."""
    if value is None:
        return ""
    text = str(value) if isinstance(value, (str, int, float)) else ""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())[:limit]


def clean_id(value: Any) -> str | None:
    """Ids are opaque strings of any shape; only their size and printability are checked."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value)
    if not text or len(text) > MAX_ID or any(unicodedata.category(ch)[0] == "C" for ch in text):
        return None
    return text


def _int(value: Any, low: int = 0, high: int = 10**12) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def as_list(value: Any) -> list:
    """Empty lists come as a missing key, [], {} or a single object, depending on the server."""
    if value is None or value == {}:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    raise CatalogError("The server sent a list of the wrong shape.")


class ServerRefused(CatalogError):
    """The server answered with a Subsonic error; code says which."""

    def __init__(self, message: str, code: int | None):
        super().__init__(message)
        self.code = code


def body(document: Any, key: str | None = None) -> Any:
    """The payload of a subsonic-response, or CatalogError in words."""
    if not isinstance(document, dict) or not isinstance(document.get("subsonic-response"), dict):
        raise CatalogError("The server's answer is not an OpenSubsonic response.")
    response = document["subsonic-response"]
    if response.get("status") != "ok":
        error = response.get("error") if isinstance(response.get("error"), dict) else {}
        code = _int(error.get("code"), 0, 1000)
        raise ServerRefused(error_message(code, error.get("message")), code)
    if key is None:
        return response
    if key not in response:  # never read as "nothing": an empty answer would empty the library
        raise CatalogError(f"The server's answer has no '{key}' in it (the wrong shape).")
    value = response[key]
    if value in ([], None):
        value = {}
    if not isinstance(value, dict):
        raise CatalogError(f"The server's '{key}' answer has the wrong shape.")
    return value


ERROR_TEXT = {
    10: "the server says a required parameter is missing",
    20: "the server is too old for this client",
    30: "the server is newer than this client understands",
    40: "wrong username or password",
    41: "this server does not accept token logins",
    42: "this server does not support this way of logging in",
    43: "the login details conflict",
    44: "the API key is not valid",
    50: "this user is not allowed to do that",
    60: "the server's trial period is over",
    70: "the server could not find that item",
}


def error_message(code: int | None, message: Any) -> str:
    text = ERROR_TEXT.get(code) if code is not None else None
    detail = clean_text(message, 200)
    if text and detail and detail.lower().rstrip(".") != text:
        return f"{text[0].upper()}{text[1:]} ({detail})."
    if text:
        return f"{text[0].upper()}{text[1:]}."
    return f"The server reported an error: {detail or 'no details'}."


def parse_song(raw: Any) -> RemoteSong | None:
    """A song object, or None when it lacks what playing it needs (an id and a title)."""
    if not isinstance(raw, dict) or raw.get("isDir") is True or raw.get("isVideo") is True:
        return None
    song_id = clean_id(raw.get("id"))
    title = clean_text(raw.get("title"))
    if song_id is None or not title:
        return None
    genres = raw.get("genres")
    genre = clean_text(raw.get("genre"))
    if isinstance(genres, list) and genres:  # OpenSubsonic: [{"name": "Rock"}, ...]
        names = [clean_text(g.get("name")) for g in genres if isinstance(g, dict)]
        genre = "; ".join(n for n in names if n) or genre
    duration = _int(raw.get("duration"), 0, 10**7)
    suffix = clean_text(raw.get("suffix"), 10).lower() or None
    return RemoteSong(
        id=song_id,
        title=title,
        artist=clean_text(raw.get("artist")),
        album=clean_text(raw.get("album")),
        album_artist=clean_text(raw.get("displayAlbumArtist") or raw.get("albumArtist")),
        album_id=clean_id(raw.get("albumId")) or "",
        track_no=_int(raw.get("track"), 0, 10_000),
        disc_no=_int(raw.get("discNumber"), 0, 1_000),
        year=_int(raw.get("year"), 0, 3000),
        genre=genre,
        duration_ms=duration * 1000 if duration is not None else None,
        suffix=suffix if suffix and suffix.isalnum() else None,
        bitrate_kbps=_int(raw.get("bitRate"), 0, 100_000),
        size=_int(raw.get("size")),
        cover_art=clean_id(raw.get("coverArt")),
        starred=isinstance(raw.get("starred"), str) and bool(raw.get("starred")),
        rating=_int(raw.get("userRating"), 0, 5),
        play_count=_int(raw.get("playCount"), 0, 10**9),
        folder=_folder(raw.get("path")),
        replay_gain=_replay_gain(raw.get("replayGain")),
    )


def _replay_gain(raw: Any) -> Loudness | None:
    """OpenSubsonic's replayGain object ({trackGain, trackPeak, albumGain, albumPeak}, dB and
    linear); None without a sane track gain."""
    if not isinstance(raw, dict):
        return None
    track_gain = _float(raw.get("trackGain"), -60, 60)
    if track_gain is None:
        return None
    return Loudness(track_gain, _float(raw.get("trackPeak"), 0.0, 20.0),
                    _float(raw.get("albumGain"), -60, 60),
                    _float(raw.get("albumPeak"), 0.0, 20.0), origin="server")


def _float(value: Any, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if low < value < high else None


def _folder(path: Any) -> str:
    """'Artist/Album' from 'Artist/Album/01 Song.mp3': text to browse by, with no empty, '.'
    or '..' parts (it is never used as a file path, but it is shown as one)."""
    parts = clean_text(path).replace("\\", "/").split("/")[:-1]
    return "/".join(part.strip() for part in parts if part.strip() not in ("", ".", ".."))


def parse_songs(raws: Any) -> list[RemoteSong]:
    return [song for song in map(parse_song, as_list(raws)) if song is not None]


@dataclass(frozen=True)
class RemotePlaylist:
    id: str
    name: str
    signature: str  # changes whenever the server's copy changes


def parse_playlists(raws: Any) -> list[RemotePlaylist]:
    playlists = []
    for raw in as_list(raws):
        if not isinstance(raw, dict):
            continue
        playlist_id, name = clean_id(raw.get("id")), clean_text(raw.get("name"))
        if playlist_id and name:
            signature = "|".join(clean_text(raw.get(k), 60) for k in ("changed", "songCount",
                                                                      "duration", "name"))
            playlists.append(RemotePlaylist(playlist_id, name, signature))
    return playlists
