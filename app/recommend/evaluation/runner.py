"""`prelude eval-recommender`: Prelude's recommender and the baselines on the same split."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.recommend.evaluation.baselines import (
    ImplicitALS,
    ItemKNN,
    Popularity,
    TagContent,
    TagContentPrior,
)
from app.recommend.evaluation.dataset import read_interactions, read_item_tags
from app.recommend.evaluation.item_models import Ease, RP3beta
from app.recommend.evaluation.lightfm_hybrid import LightFMHybrid
from app.recommend.evaluation.matrices import EvalData, build_eval_data
from app.recommend.evaluation.memory import PeakResident
from app.recommend.evaluation.prelude_model import PreludeRecommender
from app.recommend.evaluation.ranking import metrics_of, test_users, top_k
from app.recommend.evaluation.tunable import describe
from app.recommend.evaluation.tuning import tune, validation_data

MODELS = {
    "prelude": PreludeRecommender,
    "popularity": Popularity,
    "itemknn": ItemKNN,
    "als": ImplicitALS,
    "ease": Ease,
    "rp3beta": RP3beta,
    "lightfm": LightFMHybrid,
    "content": TagContent,
    "content_prior": TagContentPrior,
}


@dataclass
class EvalResult:
    k: int
    mode: str
    users: int
    candidates: int
    models: dict[str, dict]

    def as_json(self) -> dict:
        return {"k": self.k, "mode": self.mode, "models": self.models}


def evaluate_files(train: Path, test: Path, item_tags: Path | None, k: int = 10,
                   predictions: Path | None = None, progress=lambda message: None,
                   tune_seed: int | None = None, models: list[str] | None = None) -> EvalResult:
    """tune_seed: choose each model's settings on a validation split carved from the train
    file with this seed first (`--tune`); else each model's defaults."""
    tags = read_item_tags(item_tags) if item_tags else {}
    train_rows = read_interactions(train)
    data = build_eval_data(train_rows, read_interactions(test), tags)
    validation = (validation_data(train_rows, tags, data.cold, tune_seed)
                  if tune_seed is not None else None)
    users = test_users(data)
    results = {}
    for name in models or MODELS:
        factory = MODELS[name]
        params, tuned_ndcg = dict(factory.defaults), None
        if validation is not None and factory.space(data.cold):
            progress(f"{name}: tuning on the validation split")
            params, tuned_ndcg = tune(factory, validation, k, progress)
        progress(f"{name}: training")
        model = factory(**params)
        with PeakResident() as peak:
            started = time.perf_counter()
            model.fit(data)
            fit_seconds = time.perf_counter() - started
            top, top_seen = top_k(model, data, users, k)
        metrics = metrics_of(top, data.test, users, k)
        results[name] = {**{key: round(value, 4) for key, value in metrics.items()},
                         "fit_seconds": round(fit_seconds, 2), "peak_rss_mb": round(peak.mb, 1),
                         "params": params}
        if tuned_ndcg is not None:
            results[name]["validation_ndcg"] = round(tuned_ndcg, 4)
        if top_seen is not None:  # the older figure: seen items only, named as such
            results[name]["ndcg_seen_only"] = round(
                metrics_of(top_seen, data.seen_test, users, k)["ndcg"], 4)
        if name == "prelude" and predictions is not None:
            _write_predictions(predictions, data, users, top)
        del model
    return EvalResult(k, "cold" if data.cold else "warm", len(users), len(data.candidates), results)


def _write_predictions(path: Path, data: EvalData, users: np.ndarray, top: np.ndarray) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("user\titem\trank\n")
        for user, row in zip(users, top, strict=False):
            for rank, item in enumerate(row, start=1):
                out.write(f"{data.users[user]}\t{data.items[item]}\t{rank}\n")


def format_table(result: EvalResult) -> str:
    warm = result.mode == "warm"
    lines = [f"{result.mode} items: {result.users} test users, ranking among {result.candidates} "
             f"items, metrics at k={result.k}",
             f"{'model':<14} {'precision':>9} {'recall':>7} {'ndcg':>7} {'map':>7} {'fit s':>7} "
             f"{'peak MB':>8}" + ("  ndcg seen-only" if warm else "")]
    for name, row in result.models.items():
        seen_only = f"  {row['ndcg_seen_only']:>15.4f}" if "ndcg_seen_only" in row else ""
        lines.append(f"{name:<14} {row['precision']:>9.4f} {row['recall']:>7.4f} {row['ndcg']:>7.4f} "
                     f"{row['map']:>7.4f} {row['fit_seconds']:>7.2f} {row['peak_rss_mb']:>8.1f}"
                     + seen_only)
    lines.append("settings" + (" (chosen on the validation split; its NDCG in brackets)"
                               if any("validation_ndcg" in row for row in result.models.values())
                               else " (each model's defaults)") + ":")
    for name, row in result.models.items():
        if row["params"]:
            tuned = f" [{row['validation_ndcg']:.4f}]" if "validation_ndcg" in row else ""
            lines.append(f"  {name}: {describe(row['params'])}{tuned}")
    others = [(row["ndcg"], name) for name, row in result.models.items() if name != "prelude"]
    if "prelude" in result.models and others and max(others)[0] > 0:
        best = max(others)
        lines.append(f"prelude NDCG@{result.k} is {result.models['prelude']['ndcg'] / best[0]:.2f}x "
                     f"the best baseline ({best[1]})")
    return "\n".join(lines)
