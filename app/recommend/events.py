"""What background training tells the rest of the app."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecommenderTrained:
    plays: int
    tracks: int
    fit_seconds: float


@dataclass(frozen=True)
class RecommenderProblem:
    message: str


@dataclass(frozen=True)
class TrainingStarted:
    """A training began in the background (it ends with RecommenderTrained or -Problem)."""
