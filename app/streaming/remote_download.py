"""Downloads run in the stream proxy's process, steered from the app's over a pipe.

In the app's process every piece of a download waited for its GIL: under a thread holding it
~100-270 ms at a time (a big JSON answer parsed, a sort), each 64 KB appended cost 0.5-2.4 s, so
a short track could end before its successor's bytes were there. In the proxy's process only
its own threads take the GIL. The app still plans (which track, how far, what to keep); the
child fetches, writes the cache and says how far it got.

The conversation on the pipe, one download at a time:
  app -> child: ("start", Download, Course, cap_bytes), then ("course", Course) or ("stop",)
  child -> app: ("progress", have, size)... then ("done", (finished, have, size), disk_trouble)
                or ("failed", kind, text, disk_trouble)
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING

from app.errors import PlaybackError, PreludeError, ServerUnreachableError
from app.streaming.cache import AudioCache, CacheFull
from app.streaming.download import Course, Download, Steering, download, why_it_stopped

if TYPE_CHECKING:
    from app.catalog.client import SubsonicClient
    from app.streaming.cache_reader import CacheReader

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.05  # the app hears how far a download got this often (and at its end)


# -- the app's side ---------------------------------------------------------------------------
def download_in_child(downloads: Connection, wake: Connection, job: Download,
                      steering: Steering, cap_bytes: int,
                      on_trouble: Callable[[str | None], None]) -> tuple[bool, int, int | None]:
    """Have the child fetch `job`, steered by `steering` (asked again whenever `wake` is
    written to). Answers and raises as download() does, and PlaybackError if the child died.
    `on_trouble` hears whether the disk takes writes."""
    course = steering.course()
    if course is None:
        return False, 0, None
    _say(downloads, ("start", job, course, cap_bytes))
    while True:
        for message in _heard(downloads, wake):
            if message[0] == "progress":
                steering.progressed(message[1], message[2])
                continue
            on_trouble(message[-1])
            if message[0] == "failed":
                raise _rebuilt(message[1], message[2])
            _finished, have, size = message[1]
            steering.progressed(have, size)  # the child's last progress may have been held back
            return message[1]
        if course is not None:  # once told to stop, the child is only waited for
            asked = steering.course()
            if asked != course:
                course = asked
                _say(downloads, ("stop",) if course is None else ("course", course))


def _say(downloads: Connection, message: tuple) -> None:
    try:
        downloads.send(message)
    except OSError:
        raise PlaybackError("The stream proxy stopped unexpectedly.") from None


def _heard(downloads: Connection, wake: Connection) -> list[tuple]:
    """What the child said, once it says something or `wake` is written to."""
    try:
        ready = wait([downloads, wake])
        if wake in ready:
            while wake.poll():
                wake.recv_bytes()
        messages = []
        while downloads.poll():
            messages.append(downloads.recv())
        return messages
    except (EOFError, OSError):
        raise PlaybackError("The stream proxy stopped unexpectedly.") from None


def _rebuilt(kind: str, text: str) -> Exception:
    """The child's exception as the prefetcher knows it."""
    return {"disk": OSError, "full": CacheFull, "unreachable": ServerUnreachableError}.get(
        kind, PreludeError)(text)


# -- the child's side -------------------------------------------------------------------------
class _SteeredFromApp:
    def __init__(self, downloads: Connection, course: Course):
        self.downloads = downloads
        self._course: Course | None = course
        self._told = 0.0

    def course(self) -> Course | None:
        while self._course is not None and self.downloads.poll():
            message = self.downloads.recv()
            self._course = message[1] if message[0] == "course" else None
        return self._course

    def progressed(self, have: int, size: int | None) -> None:
        now = time.monotonic()
        if now - self._told >= PROGRESS_EVERY_S:  # never so often that the pipe fills
            self.downloads.send(("progress", have, size))
            self._told = now


def serve_downloads(downloads: Connection, cache: AudioCache,
                    client_for: Callable[[str], SubsonicClient], reader: CacheReader) -> None:
    """The child's download thread: one download at a time, until the app's end closes."""
    while True:
        try:
            message = downloads.recv()
            if message[0] != "start":
                continue  # a course for a download that has ended meanwhile
            _, job, course, cap_bytes = message
            cache.cap_bytes = cap_bytes
            downloads.send(_download(job, course, downloads, cache, client_for, reader))
        except (EOFError, OSError):
            return  # the app ended


def _download(job: Download, course: Course, downloads: Connection, cache: AudioCache,
              client_for, reader: CacheReader) -> tuple:
    steering = _SteeredFromApp(downloads, course)
    try:
        return "done", download(cache, client_for(job.server), job, steering), cache.disk_trouble
    except (EOFError, BrokenPipeError):
        raise  # the app ended
    except Exception as error:  # noqa: BLE001 - said to the app in words, never a dead thread
        kind = _kind(error)
        if kind is None:
            log.exception("download of %s failed", job.label)
            kind, error = "server", PreludeError(f"The download of “{job.label}” failed: {error}")
        reader.fail(job.key, why_it_stopped(error))  # whoever streams it stops waiting at once
        return "failed", kind, str(error), cache.disk_trouble


def _kind(error: Exception) -> str | None:
    """How the app is to take a download's failure (None: a bug, not expected)."""
    if isinstance(error, (OSError, sqlite3.OperationalError)):
        return "disk"
    if isinstance(error, CacheFull):
        return "full"
    if isinstance(error, ServerUnreachableError):
        return "unreachable"
    return "server" if isinstance(error, PreludeError) else None
