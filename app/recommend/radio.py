"""Radio, autoplay, a path from one song to another, and an artist's top songs: the on-device
recommender's picks blended with what the person's server knows where it offers it (its sonic
neighbours, its sonic paths, its most played songs). Each pick carries the reason shown beside
it; without those server calls the same lists come from the device alone, so the window looks
the same either way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from app.catalog.server_similarity import ServerSimilarity
from app.models import Track
from app.recommend.recommender import Recommendation, Recommendations, Recommender
from app.store.browse import top_tracks_by, tracks_of
from app.store.database import Database
from app.store.tracks import TrackStore

log = logging.getLogger(__name__)

SIMILAR_ASKED = 30  # sonic neighbours asked of the server for a radio


@dataclass(frozen=True)
class TopSongs:
    track_ids: list[int]
    source: str  # a server's name, or "your plays" when the device ranked them


class Radio:
    def __init__(self, db: Database, recommender: Recommender, similarity: ServerSimilarity | None):
        self.db = db
        self.recommender = recommender
        self.similarity = similarity
        self._ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prelude-sonic")

    def from_track(self, track_id: int, limit: int = 50) -> Recommendations:
        """The seed's radio: the recommender's picks, every other one the server's sonic
        neighbour of the seed where it has them."""
        own = self.recommender.radio(track_id, limit=limit)
        seed = TrackStore(self.db).get(track_id)
        server = self._similar(seed, SIMILAR_ASKED) if seed is not None else []
        return self._blend(own, server, seed, {track_id}, limit)

    def from_artist(self, artist: str, limit: int = 50) -> Recommendations:
        own = self.recommender.radio(artist=artist, limit=limit)
        top = top_tracks_by(self.db, artist, 1) or tracks_of(self.db, "artists", artist)[:1]
        seed = TrackStore(self.db).get(top[0]) if top else None
        server = self._similar(seed, SIMILAR_ASKED) if seed is not None else []
        return self._blend(own, server, seed, set(), limit)

    def autoplay(self, queue: Sequence[int], count: int) -> list[tuple[int, str]]:
        """What plays when the queue runs out, with why. On the player's thread: the server's
        neighbours only as far as they were asked for already (look_ahead), never waited for."""
        own = [Recommendation(t, "") for t in self.recommender.autoplay(queue, count)]
        last = TrackStore(self.db).get(queue[-1]) if queue else None
        if last is not None:
            own = [Recommendation(item.track_id, f"Autoplay, after {_name(last)}") for item in own]
        server = self.similarity.known_similar(last.id) if last and self.similarity else []
        blended = self._blend(Recommendations(own, True), server, last, set(queue), count)
        return [(item.track_id, item.reason) for item in blended.items]

    def look_ahead(self, track: Track) -> Future | None:
        """Ask the track's server for its sonic neighbours now, in the background, so autoplay
        has them when the queue runs out (the future: for the tests)."""
        if self.similarity is None or track.is_local:
            return None
        return self._ahead.submit(self._ask_ahead, track)

    def path(self, start_id: int, end_id: int, count: int = 12) -> Recommendations:
        """A queue from one song to the other: the server's sonic path where both are on a
        server that offers it, else the device's own way between them."""
        tracks = TrackStore(self.db)
        start, end = tracks.get(start_id), tracks.get(end_id)
        if start is None or end is None:
            return Recommendations([], False, "Those songs are no longer in the library.")
        found = self.similarity.path(start, end, count) if self.similarity is not None else None
        if found is not None and len(found) > 2:
            reason = f"{start.source}'s sonic path from {_name(start)} to {_name(end)}"
        else:
            found = self.recommender.path(start_id, end_id, count)
            reason = f"On the way from {_name(start)} to {_name(end)}"
        return Recommendations([Recommendation(t, reason) for t in found], True)

    def top_songs(self, artist: str, sources: Iterable[str], count: int = 10) -> TopSongs:
        """The artist's most played songs by their server, else by this person's plays."""
        if self.similarity is not None:
            found, server = self.similarity.top_songs(artist, sources, count)
            if found:
                return TopSongs(found, server)
        return TopSongs(top_tracks_by(self.db, artist, count), "your plays")

    def close(self) -> None:
        self._ahead.shutdown(wait=False, cancel_futures=True)

    # -- the parts ------------------------------------------------------------------------------
    def _similar(self, seed: Track, count: int) -> list[int]:
        return self.similarity.similar(seed, count) if self.similarity is not None else []

    def _ask_ahead(self, track: Track) -> bool:
        """True when the server named neighbours that autoplay did not know before."""
        try:
            if self.similarity.known_similar(track.id):
                return False
            return bool(self.similarity.similar(track))
        except Exception:  # noqa: BLE001 - a look-ahead that fails only leaves autoplay as it was
            log.exception("could not ask for %s's sonic neighbours", track.title)
            return False
        finally:
            self.db.close_thread()

    @staticmethod
    def _blend(own: Recommendations, server: list[int], seed: Track | None, exclude: set[int],
               limit: int) -> Recommendations:
        """Every other pick the server's, while it has any; the device's fill the rest."""
        server_reason = f"Sounds like {_name(seed)} (by {seed.source})" if seed is not None else ""
        from_server = iter([t for t in server if t not in exclude])
        mine = iter(own.items)
        items, seen = [], set(exclude)
        while len(items) < limit:
            turn = next(from_server, None) if len(items) % 2 == 0 else None
            if turn is not None:
                if turn not in seen:
                    items.append(Recommendation(turn, server_reason))
                    seen.add(turn)
                continue
            item = next(mine, None)
            if item is None:  # the device has no more: the server's rest, if any
                rest = [t for t in from_server if t not in seen]
                items += [Recommendation(t, server_reason) for t in rest[:limit - len(items)]]
                break
            if item.track_id not in seen:
                items.append(item)
                seen.add(item.track_id)
        note = own.note if not server else ""
        return Recommendations(items, own.personalised or bool(server), note)


def _name(track: Track) -> str:
    return f"{track.artist} — {track.title}" if track.artist else track.title
