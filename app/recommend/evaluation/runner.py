"""`prelude eval-recommender`: Prelude's recommender and the baselines on the same split."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.recommend.evaluation.baselines import ImplicitALS, ItemKNN, Popularity, TagContent
from app.recommend.evaluation.dataset import read_interactions, read_item_tags
from app.recommend.evaluation.matrices import EvalData, build_eval_data
from app.recommend.evaluation.memory import PeakResident
from app.recommend.evaluation.metrics import mean_metrics, ranking_metrics
from app.recommend.evaluation.prelude_model import PreludeRecommender

MODELS = {
    "prelude": PreludeRecommender,
    "popularity": Popularity,
    "itemknn": ItemKNN,
    "als": ImplicitALS,
    "content": TagContent,
}
USERS_PER_BATCH = 256


@dataclass
class EvalResult:
    k: int
    mode: str
    users: int
    candidates: int
    models: dict[str, dict[str, float]]

    def as_json(self) -> dict:
        return {"k": self.k, "mode": self.mode, "models": self.models}


def evaluate_files(train: Path, test: Path, item_tags: Path | None, k: int = 10,
                   predictions: Path | None = None, progress=lambda message: None) -> EvalResult:
    tags = read_item_tags(item_tags) if item_tags else {}
    data = build_eval_data(read_interactions(train), read_interactions(test), tags)
    users = np.array(sorted(data.test), dtype=np.int64)
    results = {}
    for name, factory in MODELS.items():
        progress(f"{name}: training")
        model = factory()
        with PeakResident() as peak:
            started = time.perf_counter()
            model.fit(data)
            fit_seconds = time.perf_counter() - started
            top, top_seen = _top_k(model, data, users, k)
        metrics = mean_metrics([ranking_metrics(list(row), data.test[user], k)
                                for user, row in zip(users, top, strict=False)])
        results[name] = {**{key: round(value, 4) for key, value in metrics.items()},
                         "fit_seconds": round(fit_seconds, 2), "peak_rss_mb": round(peak.mb, 1)}
        if top_seen is not None:  # the older figure: seen items only, named as such
            seen_users = [(row, data.seen_test[user]) for user, row in
                          zip(users, top_seen, strict=False) if data.seen_test.get(user)]
            results[name]["ndcg_seen_only"] = round(mean_metrics(
                [ranking_metrics(list(row), relevant, k) for row, relevant in seen_users])["ndcg"], 4)
        if name == "prelude" and predictions is not None:
            _write_predictions(predictions, data, users, top)
    return EvalResult(k, "cold" if data.cold else "warm", len(users), len(data.candidates), results)


def _top_k(model, data: EvalData, users: np.ndarray, k: int):
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


def _best(scores: np.ndarray, k: int) -> np.ndarray:
    # Stable order on ties (candidates are in id order) keeps runs reproducible.
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def _write_predictions(path: Path, data: EvalData, users: np.ndarray, top: np.ndarray) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("user\titem\trank\n")
        for user, row in zip(users, top, strict=False):
            for rank, item in enumerate(row, start=1):
                out.write(f"{data.users[user]}\t{data.items[item]}\t{rank}\n")


def format_table(result: EvalResult) -> str:
    lines = [f"{result.mode} items: {result.users} test users, ranking among {result.candidates} "
             f"items, metrics at k={result.k}",
             f"{'model':<11} {'precision':>9} {'recall':>7} {'ndcg':>7} {'map':>7} {'fit s':>7} "
             f"{'peak MB':>8}" + ("  ndcg, seen items only" if result.mode == "warm" else "")]
    for name, row in result.models.items():
        seen_only = f"  {row['ndcg_seen_only']:>7.4f}" if "ndcg_seen_only" in row else ""
        lines.append(f"{name:<11} {row['precision']:>9.4f} {row['recall']:>7.4f} {row['ndcg']:>7.4f} "
                     f"{row['map']:>7.4f} {row['fit_seconds']:>7.2f} {row['peak_rss_mb']:>8.1f}"
                     + seen_only)
    best = max((row["ndcg"], name) for name, row in result.models.items() if name != "prelude")
    prelude = result.models["prelude"]["ndcg"]
    if best[0] > 0:
        lines.append(f"prelude NDCG@{result.k} is {prelude / best[0]:.2f}x the best baseline ({best[1]})")
    return "\n".join(lines)
