"""Carving train / test files out of one interactions file, the protocol the docs describe.

Cold items: a share of the tagged items that have listeners is held out entirely (every play of
them goes to the cold test file, none to train). Warm: of what is left, a share of each user's
items goes to the warm test file. The same carving applied to the train file gives a validation
split for tuning, so the test files are never looked at while choosing settings.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from app.recommend.evaluation.dataset import Interaction


@dataclass(frozen=True)
class Split:
    train: list[Interaction]
    warm_test: list[Interaction]
    cold_test: list[Interaction]


def split_interactions(
    interactions: list[Interaction],
    tagged_items: set[str],
    seed: int,
    warm_share: float = 0.2,
    cold_share: float = 0.1,
) -> Split:
    rng = random.Random(seed)
    listened = sorted({row.item for row in interactions} & tagged_items, key=_natural)
    cold_items = set(rng.sample(listened, round(len(listened) * cold_share)))
    cold_test = [row for row in interactions if row.item in cold_items]
    by_user: dict[str, list[Interaction]] = defaultdict(list)
    for row in interactions:
        if row.item not in cold_items:
            by_user[row.user].append(row)
    train, warm_test = [], []
    for user in sorted(by_user, key=_natural):
        rows = by_user[user]
        rng.shuffle(rows)
        held = int(len(rows) * warm_share) if len(rows) >= 5 else 0
        warm_test.extend(rows[:held])
        train.extend(rows[held:])
    # A warm test item nobody played in train stays: a model that knows items by their
    # features (tags) can still rank it, which is the point of a hybrid; pure CF cannot.
    return Split(train=train, warm_test=warm_test, cold_test=cold_test)


def _natural(value: str):
    return (0, int(value), "") if value.isdigit() else (1, 0, value)
