"""Finding a track's lyrics: an .lrc (or .txt) file beside a local track, else the server's."""

from __future__ import annotations

import logging
from pathlib import Path

from app.errors import CatalogError
from app.lyrics.lyrics import LyricLine, Lyrics, clean_line, parse_lrc, plain_lyrics
from app.models import Track

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 512 * 1024


def local_lyrics(track: Track) -> Lyrics | None:
    audio = Path(track.location)
    for suffix in (".lrc", ".txt"):
        candidate = audio.with_suffix(suffix)
        try:
            if candidate.is_file() and candidate.stat().st_size <= MAX_FILE_BYTES:
                data = candidate.read_bytes()
            else:
                continue
        except OSError:
            continue
        text = _decode(data)
        lyrics = parse_lrc(text) if suffix == ".lrc" else plain_lyrics(text, "file")
        if lyrics.lines:
            return lyrics
    return None


def server_lyrics(client, track: Track) -> Lyrics | None:
    """OpenSubsonic `getLyricsBySongId` (synced where the server has it), else `getLyrics`."""
    try:
        listed = client.call("getLyricsBySongId", "lyricsList", id=track.location)
        found = _structured(listed, client.name)
        if found is not None:
            return found
    except CatalogError as error:  # servers without the songLyrics extension say so
        log.debug("no getLyricsBySongId on %s: %s", client.name, error)
    try:
        answer = client.call("getLyrics", "lyrics", artist=track.artist, title=track.title)
    except CatalogError as error:
        log.debug("no getLyrics on %s: %s", client.name, error)
        return None
    value = answer.get("value") if isinstance(answer, dict) else None
    if isinstance(value, str) and value.strip():
        return plain_lyrics(value, client.name)
    return None


def _structured(listed, source: str) -> Lyrics | None:
    entries = listed.get("structuredLyrics") if isinstance(listed, dict) else None
    if not isinstance(entries, list):
        return None
    entries = [entry for entry in entries if isinstance(entry, dict)]
    entries.sort(key=lambda entry: entry.get("synced") is not True)  # synced ones first
    for entry in entries:
        lines = entry.get("line")
        if not isinstance(lines, list):
            continue
        offset = entry.get("offset") if isinstance(entry.get("offset"), int) else 0
        synced = entry.get("synced") is True
        parsed = []
        for line in lines[:5000]:
            if not isinstance(line, dict) or not isinstance(line.get("value"), str):
                continue
            start = line.get("start")
            start_ms = max(0, start - offset) if synced and isinstance(start, int) else None
            parsed.append(LyricLine(start_ms, clean_line(line["value"])))
        if parsed:
            if synced:
                parsed.sort(key=lambda line: line.start_ms if line.start_ms is not None else -1)
            return Lyrics(tuple(parsed), source)
    return None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
