"""Prelude's own recommender, wrapped for the evaluation: users are the data set's users."""

from __future__ import annotations

import numpy as np

from app.recommend.evaluation.baselines import log_weights
from app.recommend.evaluation.matrices import EvalData
from app.recommend.hybrid import train_hybrid


class PreludeRecommender:
    def fit(self, data: EvalData) -> None:
        self.profiles = log_weights(data.train)
        # The evaluation data's only popularity signal for unplayed items: how many people tagged them.
        tag_popularity = np.asarray(data.item_tags.sum(axis=1)).ravel()
        self.model = train_hybrid(self.profiles, data.item_tags, prior=tag_popularity)
        self.candidates = data.candidates

    def score(self, users: np.ndarray) -> np.ndarray:
        return self.model.score(self.profiles[users], self.candidates, rows=users)
