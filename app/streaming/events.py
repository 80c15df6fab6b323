"""What the prefetcher tells the rest of the app (kept light: the window imports it at start)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CacheProgress:
    """Published as a planned track's bytes arrive (for the queue's cache state)."""

    track_id: int
    have: int
    size: int | None
    complete: bool


@dataclass(frozen=True)
class ServerUnreachable:
    server: str
    message: str
