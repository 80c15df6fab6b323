"""Lyrics as lines with optional start times, and the LRC format that most of them come in.

LRC lines look like `[01:02.35]words`; a line may carry several stamps (a chorus sung twice),
`[offset:+250]` shifts every stamp (milliseconds, positive = earlier), and tags such as `[ar:...]`
are metadata, not lyrics.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MAX_LINES = 5000
MAX_LINE_CHARS = 500
_STAMP = re.compile(r"\[(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?\]")
_TAG = re.compile(r"^\[([a-zA-Z]+):(.*)\]\s*$")


@dataclass(frozen=True)
class LyricLine:
    start_ms: int | None
    text: str


@dataclass(frozen=True)
class Lyrics:
    lines: tuple[LyricLine, ...]
    source: str  # "file", or the server's name

    @property
    def synced(self) -> bool:
        return bool(self.lines) and all(line.start_ms is not None for line in self.lines)

    def line_at(self, position_ms: int) -> int | None:
        """The index of the line being sung at position_ms (None before the first)."""
        if not self.synced:
            return None
        starts = [line.start_ms for line in self.lines]
        index = bisect.bisect_right(starts, position_ms) - 1
        return index if index >= 0 else None


def parse_lrc(text: str, source: str = "file") -> Lyrics:
    offset_ms = 0
    timed: list[LyricLine] = []
    plain: list[str] = []
    for raw in text.splitlines()[:MAX_LINES]:
        line = raw.strip()
        tag = _TAG.match(line)
        if tag and not _STAMP.match(line):
            if tag.group(1).lower() == "offset":
                try:
                    offset_ms = int(tag.group(2).strip())
                except ValueError:
                    pass
            continue
        stamps = []
        while (stamp := _STAMP.match(line)) is not None:
            minutes, seconds, fraction = stamp.groups()
            fraction_ms = int((fraction or "0").ljust(3, "0")[:3])
            stamps.append((int(minutes) * 60 + int(seconds)) * 1000 + fraction_ms)
            line = line[stamp.end():]
        words = clean_line(line)
        if stamps:
            timed.extend(LyricLine(max(0, start - offset_ms), words) for start in stamps)
        elif words:
            plain.append(words)
    if timed:
        return Lyrics(tuple(sorted(timed, key=lambda line: line.start_ms)), source)
    return Lyrics(tuple(LyricLine(None, words) for words in plain), source)


def plain_lyrics(text: str, source: str) -> Lyrics:
    return Lyrics(tuple(LyricLine(None, clean_line(line)) for line in text.splitlines()[:MAX_LINES]),
                  source)


def clean_line(text: str) -> str:
    """Printable, bounded: control characters dropped (a server's text is not trusted)."""
    kept = "".join(char for char in text if char.isprintable())
    return kept.strip()[:MAX_LINE_CHARS]
