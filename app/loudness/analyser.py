"""Measuring, in the background, the tracks whose loudness no tag states: local files, and
server tracks once they are whole in the audio cache. Album by album, in a child process of
low priority (decoding and measuring hold the GIL; in the app they would stall downloads and
the window), which writes what it measured to the database and says how many.

The app pokes it when there may be something new to measure (start-up, a scan, a sync, a
track completed in the cache); a poke while it runs has it look again when it ends.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from app.child_lifetime import end_with_parent

log = logging.getLogger(__name__)

ALBUMS_PER_BATCH = 20  # measured and saved together; the app hears of each batch


@dataclass(frozen=True)
class LoudnessMeasured:
    """Published after a round measured tracks: the player takes their gains from now on."""

    tracks: int
    failed: int


class LoudnessAnalyser:
    def __init__(self, database_path: Path, cache_dir: Path,
                 publish: Callable[[object], None] = lambda event: None):
        self.database_path = database_path
        self.cache_dir = cache_dir
        self.publish = publish
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False
        self._closing = threading.Event()
        self._process = None
        self.idle = threading.Event()  # set while nothing is being measured
        self.idle.set()

    def poke(self) -> None:
        """There may be tracks to measure: look (now, or once the current round ends)."""
        with self._lock:
            if self._closing.is_set():
                return
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self.idle.clear()
            self._thread = threading.Thread(target=self._run, name="prelude-loudness",
                                            daemon=True)
            self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        self._closing.set()
        process = self._process
        if process is not None and process.is_alive():
            process.terminate()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._closing.is_set():
            self._round()
            with self._lock:
                if not self._again:
                    self._thread = None
                    self.idle.set()
                    return
                self._again = False

    def _round(self) -> None:
        """One child, until nothing is left to measure; a publication per batch of albums."""
        context = multiprocessing.get_context("spawn")
        results, sender = context.Pipe(duplex=False)
        process = self._process = context.Process(
            target=_child, args=(str(self.database_path), str(self.cache_dir), sender),
            name="prelude-loudness", daemon=True)
        process.start()
        sender.close()
        while True:
            try:
                measured, failed = results.recv()
            except EOFError:  # done (or ended early: what it saved stays saved)
                break
            if measured or failed:
                self.publish(LoudnessMeasured(measured, failed))
        process.join()


def _child(database_path: str, cache_dir: str, results) -> None:
    end_with_parent()
    try:
        os.nice(10)  # the listener's music and window come first
    except OSError:
        pass
    from app.loudness.measure import Unmeasurable, measure_album  # noqa: PLC0415
    from app.models import LOCAL_SOURCE, Loudness  # noqa: PLC0415
    from app.store.audio_cache_index import CacheIndex  # noqa: PLC0415
    from app.store.database import Database  # noqa: PLC0415
    from app.store.loudness import LoudnessStore  # noqa: PLC0415
    from app.streaming.cache import cached_file  # noqa: PLC0415

    # Neither gains nor music found: not tried again (a rescan that finds the file changed
    # forgets it, and it is measured anew).
    nothing = Loudness(0.0, origin="unreadable", music_start_ms=0, music_end_ms=0)
    db = Database(database_path)
    try:
        store, index = LoudnessStore(db), CacheIndex(db)
        last: list = []
        while albums := store.unmeasured(ALBUMS_PER_BATCH):
            if albums == last:
                break  # nothing of these could be saved: leave them for another time
            last = albums
            measured = failed = 0
            for album in albums:
                paths, outcome = {}, []
                for track_id, source, location in album:
                    path = Path(location) if source == LOCAL_SOURCE else \
                        cached_file(Path(cache_dir), index.entry(source, location))
                    if path is not None and path.is_file():
                        paths[track_id] = path
                    elif source == LOCAL_SOURCE:  # gone from disk
                        outcome.append((track_id, nothing))
                whole = len(paths) == len(album)  # an album gain only for an album all here
                for track_id, result in zip(paths, measure_album(list(paths.values())),
                                            strict=True):
                    if isinstance(result, Unmeasurable):
                        log.info("loudness not measured: %s", result)
                        failed += 1
                        result = nothing
                    else:
                        measured += 1
                        if not whole:
                            result = replace(result, album_gain_db=None, album_peak=None)
                    outcome.append((track_id, result))
                store.save_measured(outcome)
            results.send((measured, failed))
    except (BrokenPipeError, EOFError):
        pass  # the app quit meanwhile: what was measured is saved, nobody waits for the count
    finally:
        db.close()
        results.close()
