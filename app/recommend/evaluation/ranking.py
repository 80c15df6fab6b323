"""Each test user's top k: what every model is judged by, in the evaluation and in tuning."""

from __future__ import annotations

import numpy as np

from app.recommend.evaluation.matrices import EvalData
from app.recommend.evaluation.metrics import mean_metrics, ranking_metrics

USERS_PER_BATCH = 256


def top_k(model, data: EvalData, users: np.ndarray, k: int):
    """users x k item columns, best first, among every candidate and (warm) among those seen in
    training only (else None); train positives never recommended (warm mode)."""
    rows, seen_rows = [], []
    for start in range(0, len(users), USERS_PER_BATCH):
        batch = users[start:start + USERS_PER_BATCH]
        scores = np.asarray(model.score(batch), dtype=np.float64)
        if not data.cold:
            played = data.train[batch][:, data.candidates].toarray() > 0
            scores[played] = -np.inf
        rows.append(data.candidates[_best(scores, k)])
        if data.seen_candidates is not None:
            scores[:, ~data.seen_candidates] = -np.inf
            seen_rows.append(data.candidates[_best(scores, k)])
    empty = np.zeros((0, k), dtype=np.int64)
    top = np.vstack(rows) if rows else empty
    if data.seen_candidates is None:
        return top, None
    return top, (np.vstack(seen_rows) if seen_rows else empty)


def metrics_of(top: np.ndarray, relevant: dict[int, set[int]], users, k: int) -> dict[str, float]:
    return mean_metrics([ranking_metrics(list(row), relevant[user], k)
                         for user, row in zip(users, top, strict=False) if relevant.get(user)])


def test_users(data: EvalData) -> np.ndarray:
    return np.array(sorted(data.test), dtype=np.int64)


def _best(scores: np.ndarray, k: int) -> np.ndarray:
    # Stable order on ties (candidates are in id order) keeps runs reproducible.
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]
