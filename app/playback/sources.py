"""Turning a track into something an engine can open, at play time (never stored)."""

from __future__ import annotations

import os
from collections.abc import Callable

from app.errors import PlaybackError
from app.models import AudioSource, Track

Resolver = Callable[[Track], tuple[str, AudioSource]]


class Sources:
    """Local files resolve to their path; each remote source registers a resolver by name."""

    def __init__(self) -> None:
        self._remote: dict[str, Resolver] = {}

    def register(self, source_name: str, resolver: Resolver):
        self._remote[source_name] = resolver

    def resolve(self, track: Track) -> tuple[str, AudioSource]:
        if track.is_local:
            if not os.path.isfile(track.location):
                raise PlaybackError(f"File not found: {track.location}")
            return track.location, AudioSource.LOCAL
        resolver = self._remote.get(track.source)
        if resolver is None:
            raise PlaybackError(f"The server {track.source!r} is not configured.")
        return resolver(track)
