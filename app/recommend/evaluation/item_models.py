"""Item-to-item baselines: EASE (Steck 2019) and RP3beta (Paudel et al. 2017).

EASE learns a dense items x items matrix, so it is fitted on the items `min_listeners` or more
people played (2,773 of the 11,447 artists in seed 2011's train file at 3, as tuned): an artist
one person played relates to nothing anyway, and all of them would need ~2 GB and minutes on
two cores. Items left out score below every kept one.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from app.recommend.evaluation.baselines import binary
from app.recommend.evaluation.matrices import EvalData
from app.recommend.evaluation.tunable import Tunable
from app.recommend.neighbours import top_per_row


class Ease(Tunable):
    """Closed-form shallow autoencoder: B = I - P / diag(P), P = (X'X + lambda I)^-1, diag 0."""

    defaults = {"lam": 100.0, "min_listeners": 3}
    search = {"warm": {"lam": (10.0, 30.0, 100.0, 300.0, 1000.0), "min_listeners": (2, 3)},
              "cold": {}}

    def fit(self, data: EvalData) -> None:
        played = binary(data.train)
        listeners = np.asarray(played.sum(axis=0)).ravel()
        self.kept = np.flatnonzero(listeners >= self.params["min_listeners"])
        kept = played[:, self.kept].tocsc()
        gram = (kept.T @ kept).toarray().astype(np.float64)
        gram[np.diag_indices_from(gram)] += self.params["lam"]
        inverse = np.linalg.inv(gram)
        weights = -inverse / np.diag(inverse)
        np.fill_diagonal(weights, 0.0)
        self.weights = weights.astype(np.float32)
        self.played = kept.tocsr()
        # Where each candidate sits among the kept items (-1: left out).
        position = np.full(data.train.shape[1], -1)
        position[self.kept] = np.arange(len(self.kept))
        self.position = position[data.candidates]

    def score(self, users: np.ndarray) -> np.ndarray:
        scores = np.full((len(users), len(self.position)), -np.inf, dtype=np.float32)
        inside = self.position >= 0
        scores[:, inside] = (self.played[users] @ self.weights)[:, self.position[inside]]
        return scores


class RP3beta(Tunable):
    """Three-step random walk person -> item -> person -> item, each item's arrival probability
    raised to `alpha` and divided by its popularity ** `beta`; `neighbours` kept per item."""

    defaults = {"alpha": 0.75, "beta": 0.25, "neighbours": 500}
    search = {"warm": {"alpha": (0.5, 0.75, 1.0, 1.5), "beta": (0.0, 0.15, 0.25, 0.35, 0.5),
                       "neighbours": (50, 100, 200, 500)},
              "cold": {}}

    def fit(self, data: EvalData) -> None:
        played = binary(data.train)
        people_per_item = np.asarray(played.sum(axis=0)).ravel()
        items_per_person = np.asarray(played.sum(axis=1)).ravel()
        to_item = sparse.diags(1.0 / np.maximum(items_per_person, 1)) @ played
        to_person = sparse.diags(1.0 / np.maximum(people_per_item, 1)) @ played.T
        walk = (to_person @ to_item).tocsr()
        walk.data **= self.params["alpha"]
        popularity = np.maximum(people_per_item, 1) ** -self.params["beta"]
        walk = (walk @ sparse.diags(popularity.astype(np.float32))).tocsr()
        walk.setdiag(0)
        walk.eliminate_zeros()
        self.walk = top_per_row(walk, self.params["neighbours"])
        self.played = played
        self.candidates = data.candidates

    def score(self, users: np.ndarray) -> np.ndarray:
        return (self.played[users] @ self.walk[:, self.candidates]).toarray()
