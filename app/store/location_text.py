"""File locations as database text, for every file name a disk can hold.

SQLite text is UTF-8, but a POSIX file name is bytes: a name from an old system or a USB stick
may not be UTF-8 (Python holds it with surrogate escapes). Such a location is stored as its
bytes in hex behind a NUL mark (NUL never appears in a path) and turned back into the same path
when the file is opened. Every other location is stored as it is.
"""

from __future__ import annotations

import os

MARK = "\x00bytes:"


def to_text(location: str) -> str:
    try:
        location.encode("utf-8")
        return location
    except UnicodeEncodeError:
        return MARK + os.fsencode(location).hex()


def to_path(text: str) -> str:
    if text.startswith(MARK):
        return os.fsdecode(bytes.fromhex(text[len(MARK):]))
    return text


def readable(name: str) -> str:
    """A name for people: undecodable bytes shown as �."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
