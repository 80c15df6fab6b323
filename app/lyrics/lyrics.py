"""Lyrics as lines with optional start times (and, word-synced, a time for each word), and the
LRC format that most of them come in.

LRC lines look like `[01:02.35]words`; a line may carry several stamps (a chorus sung twice),
`[offset:+250]` shifts every stamp (milliseconds, positive = earlier), and tags such as `[ar:...]`
are metadata, not lyrics. Enhanced LRC times each word inside a line:
`[00:12.00]<00:12.00>Some <00:12.40>words`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MAX_LINES = 5000
MAX_LINE_CHARS = 500
_STAMP = re.compile(r"\[(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?\]")
_TAG = re.compile(r"^\[([a-zA-Z]+):(.*)\]\s*$")
_WORD_STAMP = re.compile(r"<(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?>")


@dataclass(frozen=True)
class Cue:
    """One word (or syllable) in time: its characters are text[begin:end] of its line."""

    start_ms: int
    end_ms: int | None
    begin: int
    end: int


@dataclass(frozen=True)
class LyricLine:
    start_ms: int | None
    text: str
    cues: tuple[Cue, ...] = ()  # word-synced lyrics only, in order, never overlapping

    def sung_through(self, position_ms: int) -> int:
        """How many of the line's characters have been sung at position_ms: through the end
        of the last word that has begun (0 before the first, the whole line without cues)."""
        if not self.cues:
            return len(self.text)
        started = [cue for cue in self.cues if cue.start_ms <= position_ms]
        return started[-1].end if started else 0


@dataclass(frozen=True)
class Lyrics:
    lines: tuple[LyricLine, ...]
    source: str  # "file", or the server's name

    @property
    def synced(self) -> bool:
        return bool(self.lines) and all(line.start_ms is not None for line in self.lines)

    @property
    def word_synced(self) -> bool:
        return self.synced and any(line.cues for line in self.lines)

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
            stamps.append(_stamp_ms(stamp))
            line = line[stamp.end():]
        if stamps and _WORD_STAMP.search(line):
            words, cues = _enhanced_line(line, offset_ms)
        else:
            words, cues = clean_line(_WORD_STAMP.sub("", line)), ()
        if stamps:
            timed.extend(LyricLine(max(0, start - offset_ms), words, cues if start == stamps[0] else ())
                         for start in stamps)
        elif words:
            plain.append(words)
    if timed:
        return Lyrics(tuple(sorted(timed, key=lambda line: line.start_ms)), source)
    return Lyrics(tuple(LyricLine(None, words) for words in plain), source)


def _stamp_ms(stamp: re.Match) -> int:
    minutes, seconds, fraction = stamp.groups()
    return (int(minutes) * 60 + int(seconds)) * 1000 + int((fraction or "0").ljust(3, "0")[:3])


def _enhanced_line(line: str, offset_ms: int) -> tuple[str, tuple[Cue, ...]]:
    """`<mm:ss.xx>word <mm:ss.xx>word <mm:ss.xx>`: each stamp starts the text after it, and
    ends the word before it (a last stamp with no text after it ends the line's last word)."""
    stamps = list(_WORD_STAMP.finditer(line))
    pieces: list[tuple[int | None, int | None, str]] = [(None, None, line[:stamps[0].start()])]
    for number, stamp in enumerate(stamps):
        after = stamps[number + 1] if number + 1 < len(stamps) else None
        text = line[stamp.end():after.start() if after else len(line)]
        start = max(0, _stamp_ms(stamp) - offset_ms)
        end = max(start, _stamp_ms(after) - offset_ms) if after else None
        pieces.append((start, end, text))
    return timed_text(pieces)


def timed_text(pieces: list[tuple[int | None, int | None, str]]) -> tuple[str, tuple[Cue, ...]]:
    """A line made of pieces, each a timed word (start, end or None, text) or untimed text
    (None, None, text), cleaned as clean_line cleans a line, with each word's place in it."""
    text, spans = "", []
    for start, end, piece in pieces:
        kept = "".join(char for char in piece if char.isprintable())
        core = kept.strip()
        if start is not None and core:  # a word's place excludes the spaces around it
            begin = len(text) + (len(kept) - len(kept.lstrip()))
            spans.append((start, end, begin, begin + len(core)))
        text += kept
    lead = len(text) - len(text.lstrip())
    text = text.strip()[:MAX_LINE_CHARS]
    cues, last_end = [], -1
    for start, end, begin, stop in sorted(spans, key=lambda span: span[0]):
        begin, stop = begin - lead, min(stop - lead, len(text))
        if begin < 0 or begin >= stop or begin < last_end:
            continue  # cut off with the line, or out of order in the text
        cues.append(Cue(start, end, begin, stop))
        last_end = stop
    return text, tuple(cues)


def plain_lyrics(text: str, source: str) -> Lyrics:
    return Lyrics(tuple(LyricLine(None, clean_line(line)) for line in text.splitlines()[:MAX_LINES]),
                  source)


def clean_line(text: str) -> str:
    """Printable, bounded: control characters dropped (a server's text is not trusted)."""
    kept = "".join(char for char in text if char.isprintable())
    return kept.strip()[:MAX_LINE_CHARS]
