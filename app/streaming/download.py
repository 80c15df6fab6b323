"""One track's bytes from its server into the audio cache: the loop the stream proxy's process
runs for the app (proxy_process.py), and the app's own prefetcher runs where there is no proxy.

Between two chunks the loop asks its steering whether to go on, and how far: a change of plan
can stop a download, or let it go on with another target (the beginning only, or the whole).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from app.errors import CatalogError

if TYPE_CHECKING:
    from app.catalog.client import SubsonicClient
    from app.streaming.cache import AudioCache


@dataclass(frozen=True)
class Download:
    """What to fetch: the cache entry `key` (begun) of a server's track."""

    key: str
    server: str
    remote_id: str
    label: str  # the track's name, for messages
    catalog_size: int | None  # what the catalog says the file's size is


@dataclass(frozen=True)
class Course:
    """How far to go: `target` bytes (None: the whole track), keeping `protect` from eviction."""

    target: int | None
    protect: frozenset[str]
    pin_budget: int | None = None


class Steering(Protocol):
    def course(self) -> Course | None:
        """Asked between chunks: how to go on, or None to stop (another track comes first)."""

    def progressed(self, have: int, size: int | None) -> None:
        """`have` bytes of `size` are in the cache."""


def download(cache: AudioCache, client: SubsonicClient, job: Download,
             steering: Steering) -> tuple[bool, int, int | None]:
    """Fetch until the course's target, the track's end, or the steering says stop. Returns
    whether the track is complete, and the bytes it has of its size. Raises PreludeError (the
    server), CacheFull, OSError (the disk)."""
    entry = cache.entry_by_key(job.key)
    start = entry.have if entry is not None else 0
    chunks, total, resumed = client.open_download(job.remote_id, start=start)
    if not resumed and total is not None and job.catalog_size and total != job.catalog_size:
        # Not the file the catalog describes (a server error page, something else): a cache
        # entry must be the track's own bytes, so nothing of it is kept (the unread answer is
        # closed when `chunks` goes).
        raise CatalogError(f"{job.server} offered {total:,} bytes for “{job.label}” where its "
                           f"catalog says {job.catalog_size:,}; sync again if the file changed "
                           "on the server.")
    if start and not resumed:
        cache.restart(job.key)  # the server sends it all again: start clean
    if total is not None and (entry is None or entry.size is None or not resumed):
        cache.set_size(job.key, total)
    have = start if resumed else 0
    size = total if total is not None else (entry.size if entry is not None else None)
    for chunk in chunks:
        course = steering.course()
        if course is None:
            return False, have, size  # another track comes first now: its request is dropped
        cache.append(job.key, chunk, set(course.protect), course.pin_budget)
        have += len(chunk)
        steering.progressed(have, size)
        if course.target is not None and have >= course.target and (size is None or have < size):
            return False, have, size
    return cache.finish(job.key), have, size


def why_it_stopped(error: Exception) -> str:
    """What the cache says of a download that stopped with `error`, to whoever waits for it."""
    if isinstance(error, (OSError, sqlite3.OperationalError)):
        return f"The audio cache cannot be written ({error})."
    return str(error)
