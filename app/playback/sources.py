"""Turning a track into something an engine can open, at play time (never stored)."""

from __future__ import annotations

import os
from collections.abc import Callable

from app.errors import PlaybackError
from app.models import AudioSource, Track
from app.store.location_text import readable, to_path

Resolver = Callable[[Track], tuple[str, AudioSource]]


class Sources:
    """Local files resolve to their path; each remote source registers a resolver by name."""

    def __init__(self) -> None:
        self._remote: dict[str, Resolver] = {}
        self._explain: dict[str, Callable[[Track], str | None]] = {}
        self._on_disk: dict[str, Callable[[Track], str | None]] = {}

    def register(self, source_name: str, resolver: Resolver,
                 explain: Callable[[Track], str | None] | None = None,
                 on_disk: Callable[[Track], str | None] | None = None):
        """explain: after the engine failed on a resolved track, what went wrong if known
        (a server's error behind a stream the engine only saw end). on_disk: the track's whole
        file when it is on this machine already (the audio cache), else None; fetches nothing."""
        self._remote[source_name] = resolver
        if explain is not None:
            self._explain[source_name] = explain
        if on_disk is not None:
            self._on_disk[source_name] = on_disk

    def on_disk(self, track: Track) -> str | None:
        """The path of a track whose whole file is on this machine, found without fetching
        or planning anything; None for a track that would stream."""
        if track.is_local:
            path = to_path(track.location)
            return path if os.path.isfile(path) else None
        on_disk = self._on_disk.get(track.source)
        return on_disk(track) if on_disk is not None else None

    def explain(self, track: Track | None) -> str | None:
        explain = self._explain.get(track.source) if track is not None else None
        return explain(track) if explain is not None else None

    def resolve(self, track: Track) -> tuple[str, AudioSource]:
        if track.is_local:
            path = to_path(track.location)
            if not os.path.isfile(path):
                raise PlaybackError(f"File not found: {readable(path)}")
            return path, AudioSource.LOCAL
        resolver = self._remote.get(track.source)
        if resolver is None:
            raise PlaybackError(f"The server {track.source!r} is not configured.")
        return resolver(track)
