"""Recommendations for this person, each with a short reason: For you, radio, autoplay, skips.

Until the model is trained (or with fewer than MIN_LIKED liked tracks) the lists fall back to
metadata similarity with what was played, else to what the server says is played most (its
`playCount`), else to what is newest in the library, and say so (`note`).
"""

from __future__ import annotations

import heapq
import logging
import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from app.recommend.catalog_features import CatalogFeatures, read_catalog_features
from app.recommend.content import normalise_rows, tfidf
from app.recommend.model_file import ModelDamaged, ModelOutdated, TrainedModel, load_model
from app.recommend.signals import read_signals
from app.recommend.skips import SkipPredictor
from app.store.database import Database
from app.store.recommender_inputs import artist_track_ids, recently_played, taste_version
from app.store.tracks import TrackStore

log = logging.getLogger(__name__)

MIN_LIKED = 5  # tracks this person liked (played through, starred...) before lists are personal
RECENT_PLAYS = 50  # never recommend one of the last this many plays...
RECENT_S = 24 * 3600  # ...or anything played in the last day
SEED_SHARE = 0.85  # radio: the seed leads; the person's taste breaks near-ties
REASON_FROM = 30  # reasons name one of the person's this many most liked tracks
COLD_NOTE = "Listen to a few songs to personalise this."


@dataclass(frozen=True)
class Recommendation:
    track_id: int
    reason: str


@dataclass(frozen=True)
class Recommendations:
    items: list[Recommendation]
    personalised: bool
    note: str = ""

    @property
    def track_ids(self) -> list[int]:
        return [item.track_id for item in self.items]


class Recommender:
    def __init__(self, db: Database, model_path: Path):
        self.db = db
        self.model_path = model_path
        self.problem: str | None = None  # said in the window when the model had to be dropped
        self._lock = threading.RLock()
        self._model: TrainedModel | None = None
        self._loaded = False
        self._catalog: CatalogFeatures | None = None
        self._content: sparse.csr_matrix | None = None
        self._artist_of: dict[int, str] = {}
        self._person_cache: dict[int, float] = {}
        self._person_version: tuple | None = None

    # -- the model ----------------------------------------------------------------------------
    def model(self) -> TrainedModel | None:
        with self._lock:
            if not self._loaded:
                self._loaded = True
                if self.model_path.exists():
                    try:
                        self._model = load_model(self.model_path)
                    except ModelDamaged as error:
                        self.problem = (
                            "The recommendation model is from an older Prelude; relearning your "
                            "taste from your history." if isinstance(error, ModelOutdated) else
                            f"The recommendation model was damaged ({error}); retraining.")
                        log.warning("%s", self.problem)
                        self.model_path.unlink(missing_ok=True)
            return self._model

    def warm_up(self) -> None:
        """Load the model and the catalog's features now (about a second at 100,000 tracks),
        so the first autoplay pick on the player thread does not pay for it."""
        self.model()
        self._catalog_features()
        self._person()

    def install(self, model: TrainedModel) -> None:
        with self._lock:
            self._model, self._loaded, self.problem = model, True, None
            self._catalog = self._content = None

    # -- lists --------------------------------------------------------------------------------
    def for_you(self, limit: int = 20) -> Recommendations:
        person = self._person()
        model = self.model()
        if model is None or _liked(person) < MIN_LIKED:
            return self._cold_start(person, limit)
        scores = self._score(model, person, rows=np.array([-1]))
        recent = self._recent()
        picks: list[int] = []
        # New to this person first; in a small library, then known ones, then even recent ones.
        for exclude in (recent | set(person), recent, set()):
            if len(picks) < limit:
                picks += self._pick(model.track_ids, scores, limit - len(picks), exclude | set(picks))
        liked = [t for _, t in sorted(heapq.nlargest(REASON_FROM, ((w, t) for t, w in person.items()
                                                                  if w > 0)))]
        return Recommendations([Recommendation(t, self._reason(model, t, liked)) for t in picks], True)

    def radio(self, seed_track_id: int | None = None, artist: str | None = None,
              limit: int = 50) -> Recommendations:
        seeds = self._seed_tracks(seed_track_id, artist)
        if not seeds:
            return Recommendations([], False, "Nothing in the library to start a radio from.")
        label = artist or self._name(seed_track_id)
        items = self._continue(seeds, limit, exclude=set() if artist else {seed_track_id})
        return Recommendations([Recommendation(t, f"Radio from {label}") for t in items.track_ids],
                               items.personalised, items.note)

    def autoplay(self, recent_track_ids: Sequence[int], limit: int = 10) -> list[int]:
        """Tracks to play when the queue runs out, following its last few tracks."""
        seeds = {track: 0.6 ** age for age, track in enumerate(reversed(list(recent_track_ids)[-5:]))}
        if not seeds:
            return self.for_you(limit).track_ids
        return self._continue(seeds, limit, exclude=set(recent_track_ids)).track_ids

    def path(self, start_id: int, end_id: int, count: int = 12) -> list[int]:
        """A way from one track to another: each step the track most like a blend of the two
        that moves from the start to the end (start and end included)."""
        model = self.model()
        track_ids = model.track_ids if model is not None else self._catalog_features().track_ids
        path = [start_id]
        for step in range(1, max(2, count) - 1):
            share = step / (count - 1)
            seeds = {start_id: 1.0 - share, end_id: share}
            scores = self._score(model, seeds) if model is not None else self._content_scores(seeds)
            found = self._pick(track_ids, scores, 1, {*path, end_id})
            if not found:
                break
            path.append(found[0])
        return [*path, end_id]

    def skip_likelihood(self, track_id: int, context_track_ids: Sequence[int] = ()) -> float:
        """History's skip share for the track, moved by how well it fits the person's taste and
        the tracks around it (a poor fit is skipped more)."""
        from_history = SkipPredictor(self.db).likelihoods([track_id])[track_id]
        model = self.model()
        if model is None:
            return from_history
        row = int(np.searchsorted(model.track_ids, track_id))  # ids are stored in ascending order
        if row >= len(model.track_ids) or model.track_ids[row] != track_id:
            return from_history
        person = self._person()
        for context in context_track_ids:
            person[context] = person.get(context, 0.0) + 1.0
        scores = self._score(model, person)
        fit = float(np.clip(scores[row], -2, 2))  # standardised: 0 is an average fit
        logit = math.log(from_history / (1 - from_history)) - 0.5 * fit
        return 1 / (1 + math.exp(-logit))

    # -- the parts ----------------------------------------------------------------------------
    def _continue(self, seeds: dict[int, float], limit: int, exclude: set[int]) -> Recommendations:
        model = self.model()
        person = self._person()
        personal = model is not None and _liked(person) >= MIN_LIKED
        if model is None:
            track_ids, scores = self._catalog_features().track_ids, self._content_scores(seeds)
        else:
            track_ids, scores = model.track_ids, self._score(model, _mixed(seeds, person, personal))
        picks = self._pick(track_ids, scores, limit, exclude | self._recent())
        if len(picks) < limit:  # a small library: recent plays may come back, the seeds never
            picks += self._pick(track_ids, scores, limit - len(picks), exclude | set(picks))
        return Recommendations([Recommendation(t, "") for t in picks], personal,
                               "" if personal else COLD_NOTE)

    def _score(self, model: TrainedModel, weights: dict[int, float],
               rows: np.ndarray | None = None) -> np.ndarray:
        profile = self._profile(model.track_ids, weights)
        everything = np.arange(model.hybrid.item_count)
        return model.hybrid.score(profile, everything, rows=rows)[0]

    def _profile(self, track_ids: np.ndarray, weights: dict[int, float]) -> sparse.csr_matrix:
        tracks = np.fromiter(weights, dtype=np.int64, count=len(weights))
        index = np.searchsorted(track_ids, tracks)
        inside = index < len(track_ids)
        keep = np.flatnonzero(inside)[track_ids[index[inside]] == tracks[inside]]  # known tracks
        values = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))[keep]
        return sparse.csr_matrix((values, (np.zeros(len(keep), int), index[keep])),
                                 shape=(1, len(track_ids)))

    def _pick(self, track_ids: np.ndarray, scores: np.ndarray, limit: int, exclude: set[int]) -> list[int]:
        """Best first, skipping excluded tracks, with no artist twice in a row."""
        artists = self._artists()
        order = np.argsort(-scores, kind="stable")[: limit * 20 + len(exclude)]
        picks, held = [], []
        last_artist = None
        for row in order:
            track = int(track_ids[row])
            if track in exclude:
                continue
            artist = artists.get(track, "")
            if artist and artist == last_artist:
                held.append(track)
                continue
            picks.append(track)
            last_artist = artist
            for waiting in list(held):  # a held track fits as soon as the artist changed
                if artists.get(waiting, "") != last_artist:
                    held.remove(waiting)
                    picks.append(waiting)
                    last_artist = artists.get(waiting, "")
            if len(picks) >= limit:
                break
        return picks[:limit]

    def _cold_start(self, person: dict[int, float], limit: int) -> Recommendations:
        catalog = self._catalog_features()
        liked = {track: w for track, w in person.items() if w > 0}
        if liked:
            scores = self._content_scores(liked)
            reason = "Like what you played so far"
        elif catalog.popularity.any():
            scores = catalog.popularity + catalog.added_at * 1e-12  # newest first on ties
            reason = "Popular on your server"
        else:
            scores = catalog.added_at
            reason = "New in your library"
        picks = self._pick(catalog.track_ids, scores, limit, self._recent())
        return Recommendations([Recommendation(t, reason) for t in picks], False, COLD_NOTE)

    def _content_scores(self, weights: dict[int, float]) -> np.ndarray:
        catalog = self._catalog_features()
        with self._lock:
            if self._content is None:
                self._content = tfidf(catalog.counts)
        profile = self._profile(catalog.track_ids, weights)
        taste = normalise_rows(profile @ self._content)
        return (self._content @ taste.T).toarray().ravel() + catalog.added_at * 1e-12  # newest on ties

    def _catalog_features(self) -> CatalogFeatures:
        with self._lock:
            if self._catalog is None:
                self._catalog = read_catalog_features(self.db)
                catalog = self._catalog
                self._artist_of = dict(zip(catalog.track_ids.tolist(), catalog.artists, strict=True))
            return self._catalog

    def _reason(self, model: TrainedModel, track_id: int, liked: list[int]) -> str:
        """"Because you played X": of the most liked tracks, the one most related to this one."""
        if not liked:
            return "For your taste"
        rows = np.searchsorted(model.track_ids, [*liked, track_id])
        target = rows[-1]
        related = model.hybrid.neighbours[rows[:-1], target].toarray().ravel()
        if related.max() <= 0:
            related = (model.hybrid.features[rows[:-1]] @ model.hybrid.features[target].T).toarray().ravel()
        if related.max() <= 0:
            return "For your taste"
        return f"Because you played {self._name(liked[int(related.argmax())])}"

    def _person(self) -> dict[int, float]:
        """This person's profile, read again only when history, stars or ratings changed."""
        version = taste_version(self.db)
        with self._lock:
            if self._person_version != version:
                self._person_cache, self._person_version = read_signals(self.db).person, version
            return dict(self._person_cache)

    def _seed_tracks(self, seed_track_id: int | None, artist: str | None) -> dict[int, float]:
        if artist:
            return dict.fromkeys(artist_track_ids(self.db, artist), 1.0)
        if seed_track_id is not None and TrackStore(self.db).get(seed_track_id) is not None:
            return {seed_track_id: 1.0}
        return {}

    def _recent(self) -> set[int]:
        return recently_played(self.db, RECENT_PLAYS, time.time() - RECENT_S)

    def _artists(self) -> dict[int, str]:
        self._catalog_features()
        return self._artist_of

    def _name(self, track_id: int | None) -> str:
        track = TrackStore(self.db).get(track_id) if track_id is not None else None
        if track is None:
            return "a track"
        return f"{track.artist} — {track.title}" if track.artist else track.title


def _mixed(seeds: dict[int, float], person: dict[int, float], personal: bool) -> dict[int, float]:
    """A radio's profile: the seeds, plus the person's liked tracks scaled down to the share
    1 - SEED_SHARE of the whole, so taste colours the radio without pulling it elsewhere."""
    liked = {track: weight for track, weight in person.items() if weight > 0} if personal else {}
    if not liked:
        return dict(seeds)
    scale = (1 - SEED_SHARE) / SEED_SHARE * sum(seeds.values()) / sum(liked.values())
    mixed = {track: weight * scale for track, weight in liked.items()}
    for track, weight in seeds.items():
        mixed[track] = mixed.get(track, 0.0) + weight
    return mixed


def _liked(person: dict[int, float]) -> int:
    return sum(1 for weight in person.values() if weight > 0)
