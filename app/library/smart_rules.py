"""Smart playlists: rules such as `genre is Jazz` or `last_played not_in_last 90d` over the whole
library (local files and every server's tracks), read from text and checked here. The store
turns them into SQL (app/store/smart_playlists.py), so a list is evaluated by SQLite at
100,000 tracks, and always from the library and history as they are now.

A rule is `FIELD OPERATOR VALUE`; the value is the rest of the text (`genre is Hip Hop`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from app.errors import UsageError

TEXT, NUMBER, DURATION, DATE, BOOL = "text", "number", "duration", "date", "bool"

# field -> (kind, what it is: said in the window's editor and in the CLI's errors)
FIELDS: dict[str, tuple[str, str]] = {
    "title": (TEXT, "the song's title"),
    "artist": (TEXT, "the song's artist"),
    "album": (TEXT, "the album's title"),
    "album_artist": (TEXT, "the album's artist"),
    "genre": (TEXT, "one of the song's genres"),
    "source": (TEXT, "'local' or a server's name"),
    "year": (NUMBER, "the release year"),
    "rating": (NUMBER, "stars, 0 to 5"),
    "play_count": (NUMBER, "plays heard here (whole, or 30 s at least)"),
    "skip_count": (NUMBER, "plays skipped"),
    "skip_rate": (NUMBER, "skips among the plays that ended, in %"),
    "duration": (DURATION, "the length: 210, 3:30, 4m"),
    "added": (DATE, "when it came into the library"),
    "last_played": (DATE, "when it last played"),
    "favourite": (BOOL, "loved (a heart)"),
    "cached": (BOOL, "playable offline: a local file, or a server track kept whole here"),
}
ALIASES = {"favorite": "favourite", "loved": "favourite", "offline": "cached",
           "albumartist": "album_artist", "plays": "play_count", "skips": "skip_count",
           "length": "duration", "date_added": "added"}

OPERATORS: dict[str, tuple[str, ...]] = {
    TEXT: ("is", "is_not", "contains", "not_contains", "starts_with"),
    NUMBER: ("is", "is_not", "gt", "lt", "at_least", "at_most", "between"),
    DURATION: ("gt", "lt", "at_least", "at_most", "between"),
    DATE: ("in_last", "not_in_last", "before", "after", "between"),
    BOOL: ("is",),
}
OPERATOR_ALIASES = {"=": "is", "==": "is", "!=": "is_not", "isnt": "is_not", ">": "gt",
                    "<": "lt", ">=": "at_least", "<=": "at_most", "has": "contains",
                    "within_last": "in_last", "not_within_last": "not_in_last"}

SORT_FIELDS = (*FIELDS, "random")
_UNITS_S = {"d": 86400, "w": 7 * 86400, "m": 30 * 86400, "y": 365 * 86400, "h": 3600}
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


@dataclass(frozen=True)
class Rule:
    field: str
    operator: str
    value: object  # str, float, (low, high), seconds for in_last, a date's epoch, or a bool
    text: str  # as written, normalised: what is stored and shown

    @property
    def kind(self) -> str:
        return FIELDS[self.field][0]


@dataclass(frozen=True)
class SmartPlaylist:
    name: str
    rules: tuple[Rule, ...]
    match_any: bool = False  # any rule (OR) instead of all of them (AND)
    sort: str | None = None  # a field; None: library order
    descending: bool = False
    limit: int | None = None
    built_in: bool = False
    about: str = field(default="", compare=False)
    ref: int = field(default=0, compare=False)  # its id in the store (built-in: -1 to -4)

    def describe(self) -> str:
        joined = (" or " if self.match_any else " and ").join(r.text for r in self.rules)
        parts = [joined or "every song"]
        if self.sort:
            parts.append(f"sorted by {self.sort}{' (highest first)' if self.descending else ''}")
        if self.limit:
            parts.append(f"at most {self.limit}")
        return ", ".join(parts)


def parse_rule(text: str) -> Rule:
    """One rule from its text; UsageError (one line, what to write instead) when it is wrong."""
    words = text.strip().split(None, 2)
    if len(words) < 3:
        raise UsageError(f"a rule is 'FIELD OPERATOR VALUE', as 'genre is Jazz': not “{text}”")
    name, operator, raw = words[0].lower(), words[1].lower(), words[2].strip()
    name = ALIASES.get(name, name)
    if name not in FIELDS:
        raise UsageError(f"unknown field “{words[0]}” in “{text}”: fields are "
                         + ", ".join(FIELDS))
    kind = FIELDS[name][0]
    operator = OPERATOR_ALIASES.get(operator, operator)
    if operator not in OPERATORS[kind]:
        raise UsageError(f"“{words[1]}” does not apply to {name} in “{text}”: use "
                         + ", ".join(OPERATORS[kind]))
    value = _value(name, kind, operator, raw, text)
    return Rule(name, operator, value, f"{name} {operator} {raw}")


def parse_sort(text: str | None) -> tuple[str | None, bool]:
    """`FIELD`, `FIELD desc` or `-FIELD` (highest, newest, longest first); None: library order."""
    if not text:
        return None, False
    words = text.strip().lower().split()
    name, descending = words[0], len(words) > 1 and words[1] in ("desc", "descending")
    if name.startswith("-"):
        name, descending = name[1:], True
    name = ALIASES.get(name, name)
    if name not in SORT_FIELDS or (len(words) > 1 and words[1] not in ("asc", "desc",
                                                                         "ascending", "descending")):
        raise UsageError(f"cannot sort by “{text}”: use a field ({', '.join(SORT_FIELDS)}), "
                         "optionally followed by desc")
    return name, descending


def smart_playlist(name: str, rule_texts: list[str], match_any: bool = False,
                   sort: str | None = None, limit: int | None = None) -> SmartPlaylist:
    """A smart playlist checked whole: every rule, the sort and the limit."""
    name = name.strip()
    if not name:
        raise UsageError("a smart playlist needs a name")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    rules = tuple(parse_rule(text) for text in rule_texts)
    sort_field, descending = parse_sort(sort)
    return SmartPlaylist(name, rules, match_any, sort_field, descending, limit)


def _value(name: str, kind: str, operator: str, raw: str, text: str):
    def bad(expected: str) -> UsageError:
        return UsageError(f"“{raw}” is not {expected} in “{text}”")

    if operator == "between":
        parts = [p for p in re.split(r"\s*(?:\.\.|\band\b|\s)\s*", raw) if p]
        if len(parts) != 2:
            raise bad("two values, as '1990..1999' or '1990 and 1999'")
        low, high = (_value(name, kind, "is", part, text) for part in parts)
        if low > high:
            raise bad("a range from low to high")
        return (low, high)
    if kind == TEXT:
        return raw
    if kind == BOOL:
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise bad("true or false")
    if kind == NUMBER:
        try:
            number = float(raw.rstrip("%"))
        except ValueError:
            raise bad("a number") from None
        if not math.isfinite(number):
            raise bad("a number")
        if name == "rating" and not 0 <= number <= 5:
            raise bad("a rating from 0 to 5")
        if name == "skip_rate" and not 0 <= number <= 100:
            raise bad("a percentage from 0 to 100")
        return number
    if kind == DURATION:
        return _seconds_of_length(raw, bad)
    # DATE
    if operator in ("in_last", "not_in_last"):
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([dwmyh]?)", raw.lower())
        if not match or float(match.group(1)) <= 0:
            raise bad("a span such as 30d, 2w, 6m or 1y")
        return float(match.group(1)) * _UNITS_S[match.group(2) or "d"]
    try:
        return datetime.combine(date.fromisoformat(raw), datetime.min.time()).timestamp()
    except ValueError:
        raise bad("a date as YYYY-MM-DD") from None


def _seconds_of_length(raw: str, bad) -> float:
    value = raw.lower().strip()
    try:
        if ":" in value:
            minutes, seconds = value.split(":", 1)
            return int(minutes) * 60 + float(seconds)
        if value.endswith("m"):
            return float(value[:-1]) * 60
        return float(value.removesuffix("s"))
    except ValueError:
        raise bad("a length such as 210, 210s, 3:30 or 4m") from None


# The built-in set: always there, never removed, evaluated like any other.
BUILT_IN = (
    SmartPlaylist("Recently added", (parse_rule("added in_last 30d"),), sort="added",
                  descending=True, built_in=True, about="songs added in the last 30 days", ref=-1),
    SmartPlaylist("Never played", (parse_rule("play_count is 0"),), sort="added",
                  descending=True, built_in=True, about="songs you have not heard here yet",
                  ref=-2),
    SmartPlaylist("Most skipped", (parse_rule("skip_count at_least 2"),), sort="skip_count",
                  descending=True, limit=100, built_in=True,
                  about="the songs you skip most often", ref=-3),
    SmartPlaylist("Forgotten favourites", (parse_rule("favourite is true"),
                                           parse_rule("last_played not_in_last 90d")),
                  sort="last_played", built_in=True,
                  about="loved, but not played in 90 days", ref=-4),
)
