"""Index users, items and tags once and build the sparse matrices every model reads."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from app.recommend.evaluation.dataset import Interaction


@dataclass
class EvalData:
    users: list[str]
    items: list[str]
    train: sparse.csr_matrix  # users x items, raw play counts
    item_tags: sparse.csr_matrix  # items x tags, tag counts
    test: dict[int, set[int]]  # user row -> relevant item columns: every test item
    candidates: np.ndarray  # item columns that may be recommended
    cold: bool
    # The older, narrower protocol, reported beside it: only test items seen in training count,
    # and only those are ranked (a CF model scores the others zero, a hybrid need not).
    seen_test: dict[int, set[int]] | None = None
    seen_candidates: np.ndarray | None = None  # bool per candidate: has plays in training


def build_eval_data(
    train: list[Interaction], test: list[Interaction], tags: dict[str, dict[str, float]]
) -> EvalData:
    train_items = {row.item for row in train}
    cold = not any(row.item in train_items for row in test)
    users = sorted({row.user for row in train})
    items = sorted(train_items | {row.item for row in test} | set(tags))
    user_index = {user: n for n, user in enumerate(users)}
    item_index = {item: n for n, item in enumerate(items)}
    rows = [user_index[row.user] for row in train]
    cols = [item_index[row.item] for row in train]
    matrix = sparse.csr_matrix(
        (np.array([max(row.plays, 1.0) for row in train], dtype=np.float32), (rows, cols)),
        shape=(len(users), len(items)),
    )
    matrix.sum_duplicates()
    tag_names = sorted({tag for item_tags in tags.values() for tag in item_tags})
    tag_index = {tag: n for n, tag in enumerate(tag_names)}
    tag_rows, tag_cols, tag_counts = [], [], []
    for item, item_tags in tags.items():
        for tag, count in item_tags.items():
            tag_rows.append(item_index[item])
            tag_cols.append(tag_index[tag])
            tag_counts.append(count)
    item_tags = sparse.csr_matrix(
        (np.array(tag_counts, dtype=np.float32), (tag_rows, tag_cols)), shape=(len(items), len(tag_names))
    )
    relevant: dict[int, set[int]] = {}
    seen_relevant: dict[int, set[int]] = {}
    for row in test:
        if row.user in user_index:
            relevant.setdefault(user_index[row.user], set()).add(item_index[row.item])
            if row.item in train_items:
                seen_relevant.setdefault(user_index[row.user], set()).add(item_index[row.item])
    # Cold: the held-out items, ranked among themselves. Warm: every item that is not cold,
    # those played only in the test file included.
    ranked = {row.item for row in test} if cold else train_items | {row.item for row in test}
    candidates = np.array(sorted(item_index[item] for item in ranked), dtype=np.int64)
    seen = np.array([items[column] in train_items for column in candidates], dtype=bool)
    return EvalData(users, items, matrix, item_tags, relevant, candidates, cold,
                    None if cold else seen_relevant, None if cold else seen)
