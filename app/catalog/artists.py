"""A server's own record of an artist, found by name (Prelude keeps artists by name): its id,
for the calls that take one, and its picture (`coverArt`, fetched through the server cover
cache like an album's)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from app.catalog.cover_cache import CoverCache
from app.errors import PreludeError
from app.models import LOCAL_SOURCE

log = logging.getLogger(__name__)


def find_artist(client, name: str) -> dict | None:
    """The server's artist of exactly this name (case aside), from search3; None if none."""
    found = client.call("search3", "searchResult3", query=name, artistCount=10, albumCount=0,
                        songCount=0)
    artists = found.get("artist") if isinstance(found.get("artist"), list) else []
    for candidate in artists:
        if isinstance(candidate, dict) and str(candidate.get("name", "")).casefold() == name.casefold():
            return candidate
    return None


class ServerArtists:
    """The servers' records of artists, found by name once per server and name while Prelude
    runs: an artist's page wants both their picture and their id (for their top songs)."""

    def __init__(self, client_for: Callable[[str], object]):
        self.client_for = client_for  # server name -> SubsonicClient (raises when unknown)
        self._lock = threading.Lock()
        self._found: dict[tuple[str, str], dict] = {}  # (server, artist) -> record, {} if none
        self._asking: dict[tuple[str, str], threading.Lock] = {}  # one question per artist

    def find(self, source: str, name: str) -> dict | None:
        """Raises (PreludeError) when the server cannot be asked; an answer is remembered. Asked
        from two workers at once (a page's picture and its top songs), it is asked once."""
        key = (source, name)
        with self._lock:
            asking = self._asking.setdefault(key, threading.Lock())
        with asking:
            with self._lock:
                known = self._found.get(key)
            if known is None:
                known = find_artist(self.client_for(source), name) or {}
                with self._lock:
                    self._found[key] = known
        return known or None


class ArtistPictures:
    def __init__(self, artists: ServerArtists, covers: CoverCache):
        self.artists = artists
        self.covers = covers

    def picture(self, artist: str, sources: Iterable[str]) -> str | None:
        """The file of the artist's picture from the first of their servers that has one
        (blocking: call it from a worker); None where none has (or none can be reached). A
        server's `artistImageUrl` is not followed: it may point anywhere on the internet."""
        for source in sources:
            if source == LOCAL_SOURCE:
                continue
            try:
                cover_id = str((self.artists.find(source, artist) or {}).get("coverArt") or "")
                if cover_id:
                    return str(self.covers.get(self.artists.client_for(source), cover_id))
            except PreludeError as error:
                log.info("no picture of %s from %s: %s", artist, source, error)
        return None
