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


class ArtistPictures:
    def __init__(self, client_for: Callable[[str], object], covers: CoverCache):
        self.client_for = client_for
        self.covers = covers
        self._lock = threading.Lock()
        self._cover_ids: dict[tuple[str, str], str] = {}  # (server, artist) -> cover id or ""

    def picture(self, artist: str, sources: Iterable[str]) -> str | None:
        """The file of the artist's picture from the first of their servers that has one
        (blocking: call it from a worker); None where none has (or none can be reached). A
        server's `artistImageUrl` is not followed: it may point anywhere on the internet."""
        for source in sources:
            if source == LOCAL_SOURCE:
                continue
            try:
                client = self.client_for(source)
                with self._lock:
                    cover_id = self._cover_ids.get((source, artist))
                if cover_id is None:
                    found = find_artist(client, artist) or {}
                    cover_id = str(found.get("coverArt") or "")
                    with self._lock:
                        self._cover_ids[(source, artist)] = cover_id
                if cover_id:
                    return str(self.covers.get(client, cover_id))
            except PreludeError as error:
                log.info("no picture of %s from %s: %s", artist, source, error)
        return None
