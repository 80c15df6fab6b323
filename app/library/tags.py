"""Reading tags, stream info and embedded art from one audio file. mutagen lives here only."""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import mutagen
from mutagen.easymp4 import EasyMP4
from mutagen.flac import FLAC, Picture
from mutagen.id3 import ID3
from mutagen.mp3 import EasyMP3
from mutagen.mp4 import MP4

from app.models import TrackTags
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
    return track, _embedded_art(path, audio)


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


def _embedded_art(path: Path, audio) -> EmbeddedArt | None:
    """The front cover stored inside the file, if any. Broken art is ignored, not fatal.

    `audio` is the file as read for its tags: only MP3's and MP4's easy views hide their
    pictures, so only those files are read a second time (the first scan read every file twice,
    half its time)."""
    try:
        full = mutagen.File(path) if isinstance(audio, (EasyMP3, EasyMP4)) else audio
        if full is None:
            return None
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
