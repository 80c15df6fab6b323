"""The simpler baselines Prelude is measured against (the item models are in item_models.py).

Every model is `fit(data)` then `score(users) -> users x candidates`; its settings, and the
values `--tune` tries, are in its `defaults` and `search` (tunable.py). In cold mode the
collaborative baselines have no evidence about the candidates, and score them all alike.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from app.recommend.content import normalise_rows, tfidf
from app.recommend.evaluation.matrices import EvalData
from app.recommend.evaluation.tunable import Tunable
from app.recommend.neighbours import cosine_neighbours


def log_weights(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    weighted = matrix.copy().astype(np.float32)
    weighted.data = np.log1p(weighted.data)
    return weighted


def binary(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    ones = matrix.copy().astype(np.float32)
    ones.data[:] = 1.0
    return ones


def tag_counts(data: EvalData) -> np.ndarray:
    """How many people tagged each item: the only popularity an unplayed item has."""
    return np.asarray(data.item_tags.sum(axis=1)).ravel()


class Popularity(Tunable):
    """Warm: how many people played the item. Cold: how many people tagged it (tag counts)."""

    def fit(self, data: EvalData) -> None:
        self.popularity = tag_counts(data) if data.cold else np.asarray(
            binary(data.train).sum(axis=0)).ravel()
        self.candidates = data.candidates

    def score(self, users: np.ndarray) -> np.ndarray:
        return np.tile(self.popularity[self.candidates], (len(users), 1))


class ItemKNN(Tunable):
    """Cosine similarity between items' listener sets, each item's strongest `neighbours` kept;
    a person's score sums over what they played."""

    defaults = {"neighbours": 100_000}
    search = {"warm": {"neighbours": (20, 50, 100, 200, 100_000)}, "cold": {}}

    def fit(self, data: EvalData) -> None:
        self.train = binary(data.train)
        keep = min(self.params["neighbours"], data.train.shape[1])
        self.similarity = cosine_neighbours(self.train, keep=keep)
        self.candidates = data.candidates

    def score(self, users: np.ndarray) -> np.ndarray:
        return (self.train[users] @ self.similarity[:, self.candidates]).toarray()


class ImplicitALS(Tunable):
    """Implicit-feedback matrix factorisation (Hu, Koren, Volinsky 2008) from the `implicit`
    package: confidence `alpha` per played item."""

    defaults = {"factors": 16, "regularization": 0.001, "alpha": 10.0, "iterations": 30}
    search = {"warm": {"factors": (16, 32, 64, 128), "regularization": (0.001, 0.01, 0.1, 1.0),
                       "alpha": (1.0, 2.0, 5.0, 10.0, 20.0), "iterations": (8, 15, 30)},
              "cold": {}}

    def fit(self, data: EvalData) -> None:
        try:
            from implicit.cpu.als import AlternatingLeastSquares
            from threadpoolctl import threadpool_limits
        except ImportError:
            raise RuntimeError("the ALS baseline needs the 'implicit' package: "
                               "pip install 'prelude-player[eval]'") from None
        params = self.params
        confidence = binary(data.train) * params["alpha"]
        model = AlternatingLeastSquares(factors=params["factors"],
                                        regularization=params["regularization"],
                                        iterations=params["iterations"], random_state=1)
        with threadpool_limits(1, "blas"):  # implicit runs its own threads; BLAS's would fight them
            model.fit(confidence.tocsr(), show_progress=False)
        self.user_factors, self.item_factors = model.user_factors, model.item_factors
        self.candidates = data.candidates

    def score(self, users: np.ndarray) -> np.ndarray:
        return self.user_factors[users] @ self.item_factors[self.candidates].T


class TagContent(Tunable):
    """TF-IDF of tags; a person's taste is the play-weighted sum of what they played."""

    def fit(self, data: EvalData) -> None:
        self.items = tfidf(data.item_tags)
        self.taste = normalise_rows(log_weights(data.train) @ self.items)
        self.candidates = data.candidates

    def score(self, users: np.ndarray) -> np.ndarray:
        return (self.taste[users] @ self.items[self.candidates].T).toarray()


class TagContentPrior(TagContent):
    """Tag content times a popularity prior, (1 + how many people tagged the item) ** gamma: of
    two artists that sound alike, the one more people know is the likelier to be played."""

    defaults = {"gamma": 0.2}
    search = {"warm": {"gamma": (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)},
              "cold": {"gamma": (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)}}
    score_only = frozenset({"gamma"})

    def fit(self, data: EvalData) -> None:
        super().fit(data)
        self.prior = 1.0 + tag_counts(data)[self.candidates]

    def score(self, users: np.ndarray) -> np.ndarray:
        return super().score(users) * self.prior ** self.params["gamma"]
