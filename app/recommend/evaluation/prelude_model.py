"""Prelude's own recommender, wrapped for the evaluation: users are the data set's users.

Its blend weights are score-only settings: `--tune` tries them on one fitted model. Warm lists
depend on how parts weigh against each other for played items and on how far items nobody
played are held back (`unplayed_offset`); cold lists, where nobody played any candidate, only
on content against LightFM, the popularity prior and how much of everyone's taste is taken out
of a person's (`common_taste`).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from app.recommend.evaluation.baselines import log_weights, tag_counts
from app.recommend.evaluation.matrices import EvalData
from app.recommend.evaluation.tunable import Tunable
from app.recommend.hybrid import BlendWeights, train_hybrid
from app.recommend.lightfm_model import LightFMSettings

_BLEND = {field.name: field.default for field in dataclasses.fields(BlendWeights)}


class PreludeRecommender(Tunable):
    defaults = {"components": LightFMSettings.components, **_BLEND}
    # Score-only settings first: each costs a scoring, a new `components` a whole fit.
    search = {"warm": {"unplayed_offset": (0.0, 0.5, 1.0, 2.0, 5.0, 20.0),
                       "neighbours": (0.0, 0.25, 0.5, 1.0, 2.0), "content": (0.0, 0.25, 0.5, 1.0),
                       "components": (32, 64)},  # 128: twice the app's training time
              # Taking out everyone's taste lowers the artists everyone knows: it pays off only
              # with a stronger popularity prior, so the two are searched together.
              "cold": {("common_taste", "popularity_exponent"): ((0.0, 0.2, 0.4, 0.6, 0.8),
                                                                 (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)),
                       "cold_content": (0.5, 1.0, 2.0, 4.0, 8.0)}}
    score_only = frozenset(_BLEND)

    def fit(self, data: EvalData) -> None:
        self.profiles = log_weights(data.train)
        settings = LightFMSettings(components=self.params["components"])
        # The data set's only popularity for unplayed items: how many people tagged them.
        self.model = train_hybrid(self.profiles, data.item_tags, prior=tag_counts(data),
                                  settings=settings)
        self.candidates = data.candidates
        self.rescore()

    def rescore(self, **params) -> None:
        super().rescore(**params)
        self.model.weights = BlendWeights(**{name: self.params[name] for name in _BLEND})

    def score(self, users: np.ndarray) -> np.ndarray:
        return self.model.score(self.profiles[users], self.candidates, rows=users)
