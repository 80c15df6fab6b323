"""Finding the library track an exported play was of, by normalised artist + title (+ album).

Names are compared after case folding, removing accents, "feat." credits, bracketed or dashed
version notes ("Remastered 2011", "Radio Edit") and punctuation, and a leading "The".
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from app.store.database import Database
from app.store.tracks import TrackStore

_VERSION_NOTE = re.compile(
    r"\s*(\(|\[|- )[^)\]]*(remaster|edit|version|mix|live|mono|stereo|deluxe|bonus|feat)[^)\]]*(\)|\]|$)",
    re.IGNORECASE)
_FEATURING = re.compile(r"\s+(feat\.?|ft\.?|featuring)\s.*$", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = _VERSION_NOTE.sub("", text)
    text = _FEATURING.sub("", text)
    text = _PUNCTUATION.sub(" ", text.replace("&", " and "))
    words = text.split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return " ".join(words)


class LibraryMatcher:
    def __init__(self, db: Database):
        self._index: dict[tuple[str, str], list[tuple[int, str, int | None]]] = defaultdict(list)
        for row in TrackStore(db).identities():
            title = normalise(row["title"])
            album = normalise(row["album"])
            for artist in {normalise(row["artist"]), normalise(row["album_artist"])} - {""}:
                self._index[(artist, title)].append((row["id"], album, row["duration_ms"]))

    def match(self, artist: str, title: str, album: str = "") -> tuple[int, int | None] | None:
        """(track id, duration ms) of the best match, or None."""
        found = self._index.get((normalise(artist), normalise(title)))
        if not found:
            return None
        wanted = normalise(album)
        for track_id, track_album, duration in found:
            if wanted and track_album == wanted:
                return track_id, duration
        track_id, _, duration = min(found)  # the same song on several albums: the first added
        return track_id, duration
