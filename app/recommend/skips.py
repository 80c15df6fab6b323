"""Predicting skips from this person's history, so prefetching spends the link where it counts.

A play counts as a skip when it ended `skipped` before half the track (or 30 s). A track's skip
likelihood is its own skip share, smoothed towards the person's overall skip rate (two plays'
worth), so one skip of a new track does not condemn it. A likely skip (at least SKIP_LIKELY)
needs only its beginning on disk, and the track after it then joins the window in its place.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.store.database import Database
from app.store.recommender_inputs import overall_skips, skips_by_track

SKIP_LIKELY = 0.6
PRIOR_WEIGHT = 2.0


class SkipPredictor:
    def __init__(self, db: Database):
        self.db = db

    def likelihoods(self, track_ids: Sequence[int]) -> dict[int, float]:
        if not track_ids:
            return {}
        all_plays, all_skips = overall_skips(self.db)
        prior = (all_skips + 1) / (all_plays + 4)  # a mild default: 25%
        seen = skips_by_track(self.db, track_ids)
        result = {}
        for track_id in track_ids:
            plays, skips = seen.get(track_id, (0, 0))
            result[track_id] = (skips + PRIOR_WEIGHT * prior) / (plays + PRIOR_WEIGHT)
        return result

    def window(self, upcoming: Sequence[int], depth: int) -> tuple[list[int], set[int]]:
        """From the upcoming tracks in play order: the `depth` worth fetching whole (likely
        skips do not count), and the likely skips among those before them (beginning only)."""
        chances = self.likelihoods(list(upcoming))
        window: list[int] = []
        heads_only: set[int] = set()
        whole = 0
        for track_id in upcoming:
            if whole >= depth:
                break
            window.append(track_id)
            if chances[track_id] >= SKIP_LIKELY:
                heads_only.add(track_id)
            else:
                whole += 1
        return window, heads_only

