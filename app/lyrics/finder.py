"""Finding a track's lyrics: an .lrc (or .txt) file beside a local track, else the server's."""

from __future__ import annotations

import logging
from pathlib import Path

from app.errors import CatalogError
from app.lyrics.lyrics import LyricLine, Lyrics, clean_line, parse_lrc, plain_lyrics, timed_text
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
    """OpenSubsonic `getLyricsBySongId` (synced where the server has it, word by word where it
    offers songLyrics version 2), else `getLyrics`."""
    try:
        enhanced = {"enhanced": "true"} if client.offers("songLyrics", 2) else {}
        listed = client.call("getLyricsBySongId", "lyricsList", id=track.location, **enhanced)
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
    # The sung words only (not a translation or a pronunciation), synced ones first.
    entries = [entry for entry in entries if isinstance(entry, dict)
               and entry.get("kind", "main") == "main"]
    entries.sort(key=lambda entry: entry.get("synced") is not True)
    for entry in entries:
        lines = entry.get("line")
        if not isinstance(lines, list):
            continue
        offset = _int(entry.get("offset")) or 0
        synced = entry.get("synced") is True
        words = _cue_lines(entry, offset) if synced else {}
        parsed = []
        for index, line in enumerate(lines[:5000]):
            if not isinstance(line, dict) or not isinstance(line.get("value"), str):
                continue
            start = _int(line.get("start"))
            start_ms = max(0, start - offset) if synced and start is not None else None
            if start_ms is not None and index in words:
                parsed.append(LyricLine(start_ms, *words[index]))
            else:
                parsed.append(LyricLine(start_ms, clean_line(line["value"])))
        if parsed:
            if synced:
                parsed.sort(key=lambda line: line.start_ms if line.start_ms is not None else -1)
            return Lyrics(tuple(parsed), source)
    return None


def _cue_lines(entry: dict, offset: int) -> dict[int, tuple]:
    """songLyrics v2's `cueLine`s: line index -> (text, cues). Where several singers share a
    line, the main one's comes first and is the one shown; cue offsets are inclusive byte
    offsets into the UTF-8 of the cueLine's value."""
    found: dict[int, tuple] = {}
    cue_lines = entry.get("cueLine")
    for cue_line in cue_lines[:5000] if isinstance(cue_lines, list) else ():
        if not isinstance(cue_line, dict):
            continue
        index, value, cues = _int(cue_line.get("index")), cue_line.get("value"), cue_line.get("cue")
        if index is None or index in found or not isinstance(value, str) or not isinstance(cues, list):
            continue
        data = value.encode("utf-8")
        timed = []
        for cue in cues[:1000]:
            if not isinstance(cue, dict):
                continue
            first, last, start = _int(cue.get("byteStart")), _int(cue.get("byteEnd")), _int(cue.get("start"))
            if None in (first, last, start) or not 0 <= first <= last < len(data):
                continue
            end = _int(cue.get("end"))
            end_ms = None if end is None else max(0, end - offset)
            timed.append((first, last + 1, max(0, start - offset), end_ms))
        timed.sort()
        pieces, at = [], 0
        for first, stop, start, end in timed:
            if first < at:
                continue  # overlaps the word before: the server broke the rule, drop it
            pieces.append((None, None, data[at:first].decode("utf-8", "ignore")))
            pieces.append((start, end, data[first:stop].decode("utf-8", "ignore")))
            at = stop
        pieces.append((None, None, data[at:].decode("utf-8", "ignore")))
        found[index] = timed_text(pieces)
    return found


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
