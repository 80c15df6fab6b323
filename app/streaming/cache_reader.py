"""The audio cache as the stream proxy's process sees it: read, never written.

The app's process downloads into the cache (app.streaming.cache); the proxy process serves from
it. Entries come from the cache's index in the database, bytes from the files, and waiting for
more is looking again: nothing here needs the app's process, so a thread holding its GIL cannot
hold up a track VLC is reading. What only the app knows (why a download stopped, a disk that
refuses writes) it is told through `fail` and `trouble`, in the order it happened.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

from app.store.audio_cache_index import CacheEntry, CacheIndex
from app.store.database import Database
from app.streaming.cache import CacheLayout

LOOK_S = 0.005  # how often a reader waiting for bytes looks whether they came


class CacheReader(CacheLayout):
    def __init__(self, database_path: Path, directory: Path):
        super().__init__(directory)
        self.db = Database(database_path)
        self.index = CacheIndex(self.db)
        self._changed = threading.Condition()  # notified when a failure is told
        self._failures: dict[str, str] = {}
        self.disk_trouble: str | None = None

    def entry_by_key(self, key: str) -> CacheEntry | None:
        entry = self.index.entry_by_key(key)
        if entry is not None and not entry.complete and entry.size is not None \
                and not self.part_path(key).exists() and self.final_path(entry).exists():
            # Finished between the rename and its record (the app's process may be slow to
            # write it down): whole already.
            return dataclasses.replace(entry, complete=True, have=entry.size)
        return entry

    def settled_entry(self, key: str) -> CacheEntry | None:
        return self.entry_by_key(key)

    def wait_for_bytes(self, key: str, position: int, timeout: float) -> bool:
        """Block until the file holds more than `position` bytes, is complete, or failed."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                entry = self.entry_by_key(key)
                if entry is None or entry.complete or entry.have > position \
                        or key in self._failures:
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(LOOK_S, left))

    def failure(self, key: str) -> str | None:
        return self._failures.get(key)

    # -- told by the app's process ------------------------------------------------------------
    def fail(self, key: str, message: str | None) -> None:
        with self._changed:
            if message is None:
                self._failures.pop(key, None)
            else:
                self._failures[key] = message
            self._changed.notify_all()

    def trouble(self, message: str | None) -> None:
        self.disk_trouble = message

    def done_on_this_thread(self) -> None:
        """A request's thread ends: its database connection with it."""
        self.db.close_thread()
