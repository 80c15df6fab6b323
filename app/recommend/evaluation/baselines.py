"""The baselines Prelude is measured against, each with settings tuned on the validation split.

Every model is `fit(data)` then `score(users) -> users x candidates`. In cold mode the
collaborative baselines have no evidence about the candidates, and score them all alike.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from app.recommend.content import normalise_rows, tfidf
from app.recommend.evaluation.matrices import EvalData
from app.recommend.neighbours import cosine_neighbours


def log_weights(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    weighted = matrix.copy().astype(np.float32)
    weighted.data = np.log1p(weighted.data)
    return weighted


def binary(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    ones = matrix.copy().astype(np.float32)
    ones.data[:] = 1.0
    return ones


class Popularity:
    """Warm: how many people played the item. Cold: how many people tagged it (tag counts)."""

    def fit(self, data: EvalData) -> None:
        counts = data.item_tags if data.cold else binary(data.train).T
        self.popularity = np.asarray(counts.sum(axis=1)).ravel()
        self.candidates = data.candidates

    def score(self, users: np.ndarray) -> np.ndarray:
        return np.tile(self.popularity[self.candidates], (len(users), 1))


class ItemKNN:
    """Cosine similarity between items' listener sets; a person's score sums over what they played."""

    def fit(self, data: EvalData) -> None:
        self.train = binary(data.train)
        self.similarity = cosine_neighbours(self.train, keep=data.train.shape[1])
        self.candidates = data.candidates

    def score(self, users: np.ndarray) -> np.ndarray:
        return (self.train[users] @ self.similarity[:, self.candidates]).toarray()


class ImplicitALS:
    """Implicit-feedback matrix factorisation (Hu, Koren, Volinsky 2008) from the `implicit`
    package; tuned: 32 factors, regularisation 0.01, confidence 5 per played item."""

    def __init__(self, factors: int = 32, regularization: float = 0.01, alpha: float = 5.0,
                 iterations: int = 15):
        self.factors, self.regularization = factors, regularization
        self.alpha, self.iterations = alpha, iterations

    def fit(self, data: EvalData) -> None:
        try:
            from implicit.cpu.als import AlternatingLeastSquares
            from threadpoolctl import threadpool_limits
        except ImportError:
            raise RuntimeError("the ALS baseline needs the 'implicit' package: "
                               "pip install 'prelude-player[eval]'") from None
        confidence = binary(data.train) * self.alpha
        model = AlternatingLeastSquares(factors=self.factors, regularization=self.regularization,
                                        iterations=self.iterations, random_state=1)
        with threadpool_limits(1, "blas"):  # implicit runs its own threads; BLAS's would fight them
            model.fit(confidence.tocsr(), show_progress=False)
        self.user_factors, self.item_factors = model.user_factors, model.item_factors
        self.candidates = data.candidates

    def score(self, users: np.ndarray) -> np.ndarray:
        return self.user_factors[users] @ self.item_factors[self.candidates].T


class TagContent:
    """TF-IDF of tags; a person's taste is the play-weighted sum of what they played."""

    def fit(self, data: EvalData) -> None:
        self.items = tfidf(data.item_tags)
        self.taste = normalise_rows(log_weights(data.train) @ self.items)
        self.candidates = data.candidates

    def score(self, users: np.ndarray) -> np.ndarray:
        return (self.taste[users] @ self.items[self.candidates].T).toarray()
