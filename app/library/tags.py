"""Reading tags, stream info and embedded art from one audio file. mutagen lives here only."""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass, replace
from pathlib import Path

import mutagen
from mutagen.easymp4 import EasyMP4
from mutagen.flac import FLAC, Picture
from mutagen.id3 import ID3
from mutagen.mp3 import EasyMP3
from mutagen.mp4 import MP4, MP4Tags

from app.models import Loudness, TrackTags
from app.store.location_text import readable, to_text

AUDIO_EXTENSIONS = frozenset({".mp3", ".ogg", ".oga", ".opus", ".flac", ".m4a", ".mp4", ".wav"})


class UnreadableFile(Exception):
    """The file is not audio mutagen understands, or its tags are broken."""


@dataclass(frozen=True)
class EmbeddedArt:
    data: bytes
    mime: str


def _first(values) -> str:
    if values is None:
        return ""
    if isinstance(values, (list, tuple)):
        values = values[0] if values else ""
    return str(values).strip()


def _number(text: str) -> int | None:
    """'3', '3/12', '03' -> 3; anything else -> None."""
    match = re.match(r"\s*(\d+)", text or "")
    return int(match.group(1)) if match else None


def _year(text: str) -> int | None:
    match = re.search(r"(\d{4})", text or "")
    return int(match.group(1)) if match else None


def _genres(values) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, (list, tuple)):
        values = [values]
    found: list[str] = []
    for value in values:
        for part in re.split(r"[;/]", str(value)):
            part = part.strip()
            if part and part not in found:
                found.append(part)
    return tuple(found)


def read_bare(path: Path):
    """The file as mutagen reads its tags, and nothing more: `bench scan`'s baseline, the
    least a scan must do."""
    return mutagen.File(path, easy=True)


def read_tags(path: Path) -> tuple[TrackTags, EmbeddedArt | None]:
    """Tags of one file; raises UnreadableFile with a short reason."""
    try:
        stat = path.stat()
        audio = mutagen.File(path, easy=True)
    except (mutagen.MutagenError, OSError, ValueError, EOFError) as error:
        raise UnreadableFile(str(error) or type(error).__name__) from error
    if audio is None or audio.info is None:
        raise UnreadableFile("not a recognised audio file")
    tags = audio.tags or {}
    if not tags and path.suffix.lower() == ".wav":
        tags = _riff_info(path)  # mutagen reads ID3 in WAV, not the more common RIFF INFO
    info = audio.info
    get = tags.get if hasattr(tags, "get") else (lambda key: None)
    duration = getattr(info, "length", None)
    if not duration or duration <= 0:
        raise UnreadableFile("no audio stream (zero length)")
    bitrate = getattr(info, "bitrate", None)
    track = TrackTags(
        location=to_text(str(path)),
        title=_first(get("title")) or readable(path.stem),
        artist=_first(get("artist")),
        album=_first(get("album")),
        album_artist=_first(get("albumartist")),
        track_no=_number(_first(get("tracknumber"))),
        disc_no=_number(_first(get("discnumber"))),
        year=_year(_first(get("date")) or _first(get("year"))),
        genres=_genres(get("genre")),
        duration_ms=int(duration * 1000),
        codec=_codec_name(audio, path),
        bitrate_kbps=int(bitrate / 1000) if bitrate else None,
        size=stat.st_size,
        mtime=stat.st_mtime,
    )
    # MP3's and MP4's easy views hide pictures and ReplayGain's frames: only those files are
    # read a second time (the first scan read every file twice, half its time).
    try:
        full = mutagen.File(path) if isinstance(audio, (EasyMP3, EasyMP4)) else audio
    except (mutagen.MutagenError, OSError, ValueError, EOFError):
        full = None
    if full is None:
        return track, None
    return replace(track, loudness=_loudness(full)), _embedded_art(full)


_RIFF_INFO_KEYS = {b"INAM": "title", b"IART": "artist", b"IPRD": "album", b"IGNR": "genre",
                   b"ICRD": "date", b"ITRK": "tracknumber", b"IPRT": "tracknumber"}


def _riff_info(path: Path) -> dict[str, str]:
    """Tags from a WAV file's LIST/INFO chunk (what ffmpeg, Windows and most rippers write)."""
    found: dict[str, str] = {}
    try:
        with open(path, "rb") as handle:
            header = handle.read(12)
            if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
                return found
            while len(chunk_header := handle.read(8)) == 8:
                chunk_id, size = chunk_header[:4], struct.unpack("<I", chunk_header[4:])[0]
                if chunk_id != b"LIST" or size > 1 << 20:
                    handle.seek(size + (size & 1), os.SEEK_CUR)
                    continue
                body = handle.read(size)
                if body[:4] != b"INFO":
                    continue
                offset = 4
                while offset + 8 <= len(body):
                    key, length = body[offset:offset + 4], struct.unpack(
                        "<I", body[offset + 4:offset + 8])[0]
                    value = body[offset + 8:offset + 8 + length].split(b"\0", 1)[0]
                    if key in _RIFF_INFO_KEYS:
                        found.setdefault(_RIFF_INFO_KEYS[key], value.decode("utf-8", "replace"))
                    offset += 8 + length + (length & 1)
    except OSError:
        return {}
    return found


def _codec_name(audio, path: Path) -> str:
    name = type(audio).__name__.lower().replace("easy", "")
    return {"mp3": "mp3", "flac": "flac", "oggvorbis": "vorbis", "oggopus": "opus",
            "mp4": "aac", "wave": "pcm"}.get(name, name or path.suffix.lstrip("."))


def _loudness(full) -> Loudness | None:
    """ReplayGain from the tags as each format keeps them: TXXX frames (or RVA2) in ID3,
    Vorbis comments in FLAC and Ogg, R128_* gains in Opus (Q7.8 dB against -23 LUFS, so 5 dB
    more in ReplayGain's -18 LUFS terms), iTunes freeform atoms in MP4. None without a track
    gain; a broken value is ignored, never fatal."""
    try:
        values = _gain_tags(full.tags)
        if "track_gain" not in values and "r128_track_gain" in values:
            values["track_gain"] = values["r128_track_gain"] / 256 + 5
            if "r128_album_gain" in values:
                values["album_gain"] = values["r128_album_gain"] / 256 + 5
        if "track_gain" not in values or not -60 < values["track_gain"] < 60:
            return None
        album = values.get("album_gain")
        return Loudness(values["track_gain"], _peak(values.get("track_peak")),
                        album if album is not None and -60 < album < 60 else None,
                        _peak(values.get("album_peak")))
    except Exception:  # noqa: BLE001 - loudness is optional; a broken tag never fails a scan
        return None


_GAIN_KEYS = {"replaygain_track_gain": "track_gain", "replaygain_track_peak": "track_peak",
              "replaygain_album_gain": "album_gain", "replaygain_album_peak": "album_peak",
              "r128_track_gain": "r128_track_gain", "r128_album_gain": "r128_album_gain"}
_NUMBER = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)")


def _gain_tags(tags) -> dict[str, float]:
    found: dict[str, float] = {}

    def note(key: str, value) -> None:
        name = _GAIN_KEYS.get(key.lower())
        if isinstance(value, (list, tuple)):
            value = value[0] if value else ""
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        match = _NUMBER.match(str(value))
        if name and match and name not in found:
            found[name] = float(match.group(1))

    if tags is None:
        return found
    if isinstance(tags, ID3):
        for frame in tags.getall("TXXX"):
            note(frame.desc, frame.text)
        for frame in tags.getall("RVA2"):  # the older ID3 way: one frame per track / album
            kind = frame.desc.lower()
            if kind in ("track", "album") and frame.channel == 1:
                found.setdefault(f"{kind}_gain", frame.gain)
                found.setdefault(f"{kind}_peak", frame.peak)
    elif isinstance(tags, MP4Tags):
        for key, value in tags.items():
            if key.startswith("----:com.apple.iTunes:"):
                note(key.rsplit(":", 1)[1], value)
    elif hasattr(tags, "items"):  # Vorbis comments: FLAC, Ogg Vorbis, Opus
        for key, value in tags.items():
            note(key, value)
    return found


def _peak(value: float | None) -> float | None:
    return value if value is not None and 0 < value < 20 else None


def _embedded_art(full) -> EmbeddedArt | None:
    """The front cover stored inside the file, if any. Broken art is ignored, not fatal."""
    try:
        if isinstance(full, FLAC) and full.pictures:
            picture = full.pictures[0]
            return EmbeddedArt(picture.data, picture.mime or "image/jpeg")
        tags = full.tags
        if isinstance(tags, ID3):
            for frame in tags.getall("APIC"):
                return EmbeddedArt(frame.data, frame.mime or "image/jpeg")
        if isinstance(full, MP4) and tags and "covr" in tags and tags["covr"]:
            cover = tags["covr"][0]
            mime = "image/png" if cover.imageformat == cover.FORMAT_PNG else "image/jpeg"
            return EmbeddedArt(bytes(cover), mime)
        if tags is not None and hasattr(tags, "get"):  # Ogg: base64 METADATA_BLOCK_PICTURE
            blocks = tags.get("metadata_block_picture") or []
            if blocks:
                import base64
                picture = Picture(base64.b64decode(blocks[0]))
                return EmbeddedArt(picture.data, picture.mime or "image/jpeg")
    except Exception:  # noqa: BLE001 - art is optional; a broken picture never fails a scan
        return None
    return None


def write_tags(path: Path, **values: str) -> None:
    """Write simple text tags (title, artist, album, genre, ...) with mutagen's easy interface."""
    audio = mutagen.File(path, easy=True)
    if audio is None:
        raise UnreadableFile(f"{path} is not a recognised audio file")
    if audio.tags is None:
        audio.add_tags()
    for key, value in values.items():
        audio[key] = value
    audio.save()


def is_audio_file(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in AUDIO_EXTENSIONS
