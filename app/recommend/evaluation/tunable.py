"""What every evaluated model shares: hyper-parameters, their defaults and the values `--tune` tries.

A model's defaults are what `prelude eval-recommender --tune` chose on the validation split of
seed 2011 (README, "Recommender quality"); `search` lists the values tried, per mode where the
two tasks depend on different settings (a tuple of names: settings searched together, tuning.py).
Settings in `score_only` change how a fitted model scores, not what it learned, so trying them
needs no new fit.
"""

from __future__ import annotations

from typing import ClassVar


class Tunable:
    defaults: ClassVar[dict] = {}
    search: ClassVar[dict[str, dict]] = {"warm": {}, "cold": {}}
    score_only: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, **params):
        unknown = set(params) - set(self.defaults)
        if unknown:
            raise ValueError(f"unknown settings for {type(self).__name__}: {sorted(unknown)}")
        self.params = {**self.defaults, **params}

    @classmethod
    def space(cls, cold: bool) -> dict:
        return cls.search["cold" if cold else "warm"]

    def rescore(self, **params) -> None:
        """New score-only settings for a fitted model."""
        assert set(params) <= self.score_only
        self.params.update(params)


def describe(params: dict) -> str:
    """Settings as the command prints them: `name=value, ...`."""
    return ", ".join(f"{name}={value}" for name, value in params.items()) or "no settings"
