"""What a music server knows that the device does not: which tracks sound alike (OpenSubsonic's
`sonicSimilarity`: `getSonicSimilarTracks`, `findSonicPath`) and an artist's most played songs
(`getTopSongs`, by the artist's id where the server offers `topSongsByArtistId`), each answer
mapped onto the library's own tracks. A server without the call, or one that cannot be reached,
gives nothing, and the caller goes on with the on-device recommender alone.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable

from app.catalog.artists import ServerArtists
from app.errors import CatalogError, PreludeError
from app.models import LOCAL_SOURCE, Track
from app.store.tracks import TrackStore

log = logging.getLogger(__name__)

SONIC = "sonicSimilarity"
TOP_BY_ID = "topSongsByArtistId"
REMEMBERED = 200  # tracks whose sonic neighbours are kept for autoplay
MOST_READ = 500  # of a list a server sends, however long (it was asked for far fewer)


class ServerSimilarity:
    def __init__(self, tracks: TrackStore, artists: ServerArtists):
        self.tracks = tracks
        self.artists = artists  # found by name, shared with the artists' pictures
        self.client_for = artists.client_for  # server name -> SubsonicClient (raises when unknown)
        self._lock = threading.Lock()
        self._neighbours: OrderedDict[int, list[int]] = OrderedDict()
        self._top: OrderedDict[tuple[str, str], list[int]] = OrderedDict()  # (server, artist)

    # -- sounds like ----------------------------------------------------------------------------
    def similar(self, track: Track, count: int = 20) -> list[int]:
        """Library tracks that sound like this one, most alike first, by its server's analysis
        (asked once per track; [] where the server has none)."""
        with self._lock:
            if track.id in self._neighbours:
                self._neighbours.move_to_end(track.id)
                return list(self._neighbours[track.id])
        client = self._client(track.source, SONIC)
        if client is None:
            return []
        try:
            answer = client.call("getSonicSimilarTracks", id=track.location, count=count)
        except CatalogError as error:
            log.info("%s could not say what sounds like %s: %s", track.source, track.title, error)
            return []
        found = [t for t in self._library_ids(track.source, _matches(answer)) if t != track.id]
        with self._lock:
            self._neighbours[track.id] = found
            while len(self._neighbours) > REMEMBERED:
                self._neighbours.popitem(last=False)
        return list(found)

    def known_similar(self, track_id: int) -> list[int]:
        """What similar() found for that track before, without asking (autoplay chooses on the
        player's thread, which never waits for a network)."""
        with self._lock:
            return list(self._neighbours.get(track_id, ()))

    def path(self, start: Track, end: Track, count: int = 25) -> list[int] | None:
        """A path of tracks from start to end through the server's sound space, start and end
        included; None when both are not on one server that offers it."""
        if start.source != end.source:
            return None
        client = self._client(start.source, SONIC)
        if client is None:
            return None
        try:
            answer = client.call("findSonicPath", startSongId=start.location,
                                 endSongId=end.location, count=count)
        except CatalogError as error:
            log.info("%s could not find a path: %s", start.source, error)
            return None
        found = [t for t in self._library_ids(start.source, _matches(answer))
                 if t not in (start.id, end.id)]
        return [start.id, *found, end.id]

    # -- played most ----------------------------------------------------------------------------
    def top_songs(self, artist: str, sources: Iterable[str], count: int = 10) -> tuple[list[int], str]:
        """The artist's most played songs by the first of their servers that knows them, and
        that server's name; ([], "") where none does."""
        for source in sources:
            if source == LOCAL_SOURCE:
                continue
            found = self._top_of(source, artist, count)
            if found:
                return found[:count], source
        return [], ""

    def _top_of(self, source: str, artist: str, count: int) -> list[int]:
        with self._lock:  # asked once per artist while the app runs: it changes slowly
            if (source, artist) in self._top:
                return list(self._top[(source, artist)])
        client = self._client(source, None)
        if client is None:
            return []
        try:
            params = {"artist": artist, "count": count}
            if client.offers(TOP_BY_ID) and (found := self.artists.find(source, artist)) \
                    and found.get("id"):
                params["id"] = str(found["id"])  # names are ambiguous; the id is not
            answer = client.call("getTopSongs", "topSongs", **params)
        except CatalogError as error:  # not offered (or not reachable): the device's instead
            log.info("%s has no top songs for %s: %s", source, artist, error)
            return []
        songs = answer.get("song") if isinstance(answer.get("song"), list) else []
        found = self._library_ids(source, [s.get("id") for s in songs[:MOST_READ] if isinstance(s, dict)])
        with self._lock:
            self._top[(source, artist)] = found
            while len(self._top) > REMEMBERED:
                self._top.popitem(last=False)
        return found

    # -- the parts ------------------------------------------------------------------------------
    def _client(self, source: str, extension: str | None):
        if source == LOCAL_SOURCE:
            return None
        try:
            client = self.client_for(source)
            if client is None or (extension is not None and not client.offers(extension)):
                return None
        except PreludeError as error:  # unknown, locked away or unreachable: nothing from it
            log.info("%s cannot be asked: %s", source, error)
            return None
        return client

    def _library_ids(self, source: str, song_ids: list) -> list[int]:
        # ids are strings by the reference; a number from a looser server means the same
        wanted = [str(s) for s in song_ids
                  if isinstance(s, (str, int)) and not isinstance(s, bool) and s != ""]
        known = self.tracks.ids_by_location(source, wanted)
        ordered, seen = [], set()
        for song_id in wanted:  # the server's order; songs not synced yet are left out
            track_id = known.get(song_id)
            if track_id is not None and track_id not in seen:
                seen.add(track_id)
                ordered.append(track_id)
        return ordered


def _matches(response: dict) -> list:
    """The song ids of a sonicMatch list: top level as the reference has it, or one level down
    (some servers wrap it); each match is {entry: Child, similarity}, or the Child itself."""
    matches = response.get("sonicMatch")
    if not isinstance(matches, list):
        wrapped = [v.get("sonicMatch") for v in response.values() if isinstance(v, dict)]
        matches = next((m for m in wrapped if isinstance(m, list)), [])
    ids = []
    for match in matches[:MOST_READ]:
        if isinstance(match, dict):
            entry = match.get("entry") if isinstance(match.get("entry"), dict) else match
            ids.append(entry.get("id"))
    return ids
