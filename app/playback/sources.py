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
        self._ready: dict[str, Callable[[Track], tuple[str, AudioSource] | None]] = {}

    def register(self, source_name: str, resolver: Resolver,
                 explain: Callable[[Track], str | None] | None = None,
                 ready: Callable[[Track], tuple[str, AudioSource] | None] | None = None):
        """explain: after the engine failed on a resolved track, what went wrong if known
        (a server's error behind a stream the engine only saw end). ready: see `ready`."""
        self._remote[source_name] = resolver
        if explain is not None:
            self._explain[source_name] = explain
        if ready is not None:
            self._ready[source_name] = ready

    def ready(self, track: Track) -> tuple[str, AudioSource] | None:
        """What an engine can open with no more help from this process, found without
        fetching or planning anything: a file on this machine (a local track, a whole one in
        the audio cache), or the stream proxy's URL of a track the cache is being filled with
        (served by a process of its own). None: the track must be resolved when it plays."""
        if track.is_local:
            path = to_path(track.location)
            return (path, AudioSource.LOCAL) if os.path.isfile(path) else None
        ready = self._ready.get(track.source)
        return ready(track) if ready is not None else None

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
