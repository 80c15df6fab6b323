"""Ranking metrics at k with binary relevance (any play in the test file is relevant)."""

from __future__ import annotations

import math


def ranking_metrics(ranked: list[int], relevant: set[int], k: int) -> dict[str, float]:
    top = ranked[:k]
    hits = [1 if item in relevant else 0 for item in top]
    hit_count = sum(hits)
    ideal = min(len(relevant), k)
    dcg = sum(hit / math.log2(rank + 2) for rank, hit in enumerate(hits))
    idcg = sum(1 / math.log2(rank + 2) for rank in range(ideal))
    precision_sum, seen = 0.0, 0
    for rank, hit in enumerate(hits):
        if hit:
            seen += 1
            precision_sum += seen / (rank + 1)
    return {
        "precision": hit_count / k,
        "recall": hit_count / len(relevant) if relevant else 0.0,
        "ndcg": dcg / idcg if idcg else 0.0,
        "map": precision_sum / ideal if ideal else 0.0,
    }


def mean_metrics(per_user: list[dict[str, float]]) -> dict[str, float]:
    if not per_user:
        return {"precision": 0.0, "recall": 0.0, "ndcg": 0.0, "map": 0.0}
    return {key: sum(row[key] for row in per_user) / len(per_user) for key in per_user[0]}
