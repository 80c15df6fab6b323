"""The audio cache: server tracks on disk, whole or their beginning, within a size cap.

A track being fetched is `<key>.part` (its first `have` bytes); once every byte is there and the
size matches what the server said, it is renamed to `<key>.<suffix>` in one step, so a complete
name always means a complete file. Before a byte is written, room is made for it by evicting the
least recently used tracks outside the protected set (the planned window), so the cache is never
above its cap, not even for a moment. After a crash, a partial file's real length is the truth.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Protocol

from app.settings import CACHE_CAP_BYTES
from app.store.audio_cache_index import CacheEntry, CacheIndex
from app.store.database import Database

DEFAULT_CAP_BYTES = CACHE_CAP_BYTES.default
DISK_RETRY_S = 30.0  # after the disk refused a write, tracks stream past the cache this long


def cache_key(server: str, remote_id: str) -> str:
    return hashlib.sha256(f"{server}\x00{remote_id}".encode()).hexdigest()[:40]


def _final_path(directory: Path, entry: CacheEntry) -> Path:
    suffix = entry.suffix if entry.suffix and entry.suffix.isalnum() else "bin"
    return directory / f"{entry.key}.{suffix}"


def cached_file(directory: Path, entry: CacheEntry | None) -> Path | None:
    """A complete track's file in the cache at `directory`, read from another process (the
    loudness analyser): no use is noted, nothing is changed; None unless it is whole."""
    if entry is None or not entry.complete:
        return None
    path = _final_path(directory, entry)
    try:
        return path if path.stat().st_size == entry.size else None
    except OSError:
        return None


class CacheFull(Exception):
    """No room can be made without evicting a protected track."""


class CacheMirror(Protocol):
    """Another process serving from this cache (the stream proxy's), told what only this
    process knows: why a download stopped, and whether the disk takes writes."""

    def fail(self, key: str, message: str | None) -> None: ...

    def trouble(self, message: str | None) -> None: ...


class CacheLayout:
    """Where a track's bytes are: `<key>.part` while fetched, `<key>.<suffix>` once whole."""

    def __init__(self, directory: Path):
        self.directory = directory

    def part_path(self, key: str) -> Path:
        return self.directory / f"{key}.part"

    def final_path(self, entry: CacheEntry) -> Path:
        return _final_path(self.directory, entry)


class AudioCache(CacheLayout):
    def __init__(self, db: Database, directory: Path, cap_bytes: int = DEFAULT_CAP_BYTES,
                 reconcile: bool = True):
        super().__init__(directory)
        self.index = CacheIndex(db)
        self.cap_bytes = cap_bytes
        self._lock = threading.RLock()
        self._failures: dict[str, str] = {}  # key -> why its download stopped (in words)
        self.mirror: CacheMirror | None = None
        self._disk_trouble: str | None = None
        self._trouble_since = 0.0
        self._touched: dict[str, float] = {}  # last uses not yet written (see touch)
        directory.mkdir(parents=True, exist_ok=True)
        if reconcile:  # (not by a second process: its files would look like strays)
            self._reconcile()

    @property
    def disk_trouble(self) -> str | None:
        """Why the disk refuses the cache's writes, while it does."""
        return self._disk_trouble

    @disk_trouble.setter
    def disk_trouble(self, message: str | None) -> None:
        if message != self._disk_trouble and self.mirror is not None:
            self.mirror.trouble(message)
        self._disk_trouble = message

    # -- reading ------------------------------------------------------------------------------
    def entry(self, server: str, remote_id: str) -> CacheEntry | None:
        return self.index.entry(server, remote_id)

    def entry_by_key(self, key: str) -> CacheEntry | None:
        return self.index.entry_by_key(key)

    def fail(self, key: str, message: str) -> None:
        """The download of `key` stopped: whoever waits for its bytes stops waiting (the
        proxy's process, told through the mirror)."""
        self._failures[key] = message
        if self.mirror is not None:
            self.mirror.fail(key, message)

    def failure(self, key: str) -> str | None:
        """Why the last download of `key` stopped, if it did and none started since."""
        return self._failures.get(key)

    def complete_file(self, server: str, remote_id: str) -> Path | None:
        """The whole track on disk, checked against its recorded size; None otherwise."""
        entry = self.entry(server, remote_id)
        if entry is None or not entry.complete:
            return None
        path = self.final_path(entry)
        try:
            if path.stat().st_size != entry.size:
                raise OSError("size mismatch")
        except OSError:
            self.forget(entry.key)  # damaged or gone: fetched again, never played as it is
            return None
        self.touch(entry.key)
        return path

    def bytes_on_disk(self) -> int:
        """What the cache's files take, counted between two of its changes (a listing taken
        while a file is replaced by another can count both)."""
        with self._lock:
            size = 0
            for path in self.directory.iterdir():
                try:
                    size += path.stat().st_size
                except FileNotFoundError:
                    pass
            return size

    def total_bytes(self) -> int:
        """Bytes that count against the cap (pinned tracks have a budget of their own)."""
        return self.index.bytes_held(pinned=False)

    def pinned_bytes(self) -> int:
        return self.index.bytes_held(pinned=True)

    def set_pinned(self, keys: set[str]) -> None:
        """Exactly these entries are pinned; the others go back under the LRU cap."""
        with self._lock:
            self.index.set_pinned(keys)

    def entries(self) -> list[CacheEntry]:
        return self.index.entries()

    # -- writing ------------------------------------------------------------------------------
    def begin(self, server: str, remote_id: str, suffix: str | None) -> CacheEntry:
        key = cache_key(server, remote_id)
        if self._failures.pop(key, None) is not None and self.mirror is not None:
            self.mirror.fail(key, None)  # a new try
        with self._lock:
            self.index.add(key, server, remote_id, suffix, time.time())
        return self.entry(server, remote_id)

    def set_size(self, key: str, size: int | None) -> None:
        self.index.set_size(key, size)

    def _drop_part(self, key: str) -> None:
        """Forget a partial file's bytes even when the database cannot say so right now: the
        file goes, and the entry's count is corrected when the database allows."""
        self.part_path(key).unlink(missing_ok=True)
        try:
            self.index.empty(key)
        except sqlite3.OperationalError:
            pass  # the start-up reconcile matches entries to the files on disk

    def restart(self, key: str) -> None:
        """Throw away a partial file (the server will not resume it, or it was inconsistent)."""
        with self._lock:
            self.part_path(key).unlink(missing_ok=True)
            self.index.empty(key)

    def append(self, key: str, data: bytes, protect: set[str],
               pin_budget: int | None = None) -> None:
        """Add bytes to a partial file, making room first (raises CacheFull). A pinned entry
        counts against pin_budget instead of the cap."""
        with self._lock:
            entry = self.entry_by_key(key)
            if entry is not None and entry.pinned:
                if pin_budget is not None and self.pinned_bytes() + len(data) > pin_budget:
                    raise CacheFull("the budget for music kept offline is used up")
            else:
                self._make_room(len(data), protect | {key})
            try:
                with open(self.part_path(key), "ab") as handle:
                    handle.write(data)
                self.index.grow(key, len(data))
            except (OSError, sqlite3.OperationalError) as error:  # a full or failing disk
                self.disk_trouble = (f"The audio cache cannot be written ({error}); "
                                     "tracks play straight from the server meanwhile.")
                self._trouble_since = time.monotonic()
                self._drop_part(key)  # never a file with bytes its entry does not count
                raise CacheFull(self.disk_trouble) from error
            # A small write can go through on a disk that refuses bigger ones: the trouble is
            # over only once writes have gone through for a while, else a track asked for just
            # then would go to the cache again and fail instead of playing from the server.
            if self.disk_trouble and time.monotonic() - self._trouble_since > DISK_RETRY_S:
                self.disk_trouble = None

    def finish(self, key: str) -> bool:
        """Mark complete if the bytes on disk are exactly the announced size."""
        with self._lock:
            entry = self.index.entry_by_key(key)
            if entry is None:
                return False
            part = self.part_path(key)
            actual = part.stat().st_size if part.exists() else -1
            if entry.size is None or actual != entry.size:
                self.restart(key)  # truncated or too long: never used as it is
                return False
            with open(part, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(part, self.final_path(entry))
            self.index.mark_complete(key)
        return True

    def touch(self, key: str) -> None:
        """Note a use. Written at the next eviction, not now: a committed write costs an fsync,
        and this sits on the path from "play" to sound."""
        with self._lock:
            self._touched[key] = time.time()

    def write_touches(self) -> None:
        with self._lock:
            touched, self._touched = self._touched, {}
        if touched:
            self.index.set_last_used(touched)

    def forget(self, key: str) -> None:
        """Files first, then the entry (the cap counts entries): a kill in between leaves an
        entry without its file, which the start-up reconcile starts over."""
        with self._lock:
            entry = self.index.entry_by_key(key)
            if entry is not None:
                self.final_path(entry).unlink(missing_ok=True)
            self.part_path(key).unlink(missing_ok=True)
            self.index.remove(key)

    def clear(self, protect: set[str] = frozenset()) -> None:
        for entry in self.entries():
            if entry.key not in protect:
                self.forget(entry.key)

    def _make_room(self, incoming: int, protect: set[str]) -> None:
        if incoming > self.cap_bytes:
            raise CacheFull("the cache is smaller than one piece of a track")
        total = self.total_bytes()
        if total + incoming <= self.cap_bytes:
            return
        self.write_touches()
        for key, have in self.index.least_recently_used():
            if key in protect:
                continue
            self.forget(key)
            total -= have
            if total + incoming <= self.cap_bytes:
                return
        raise CacheFull("the planned tracks alone fill the cache")

    def _reconcile(self) -> None:
        """After a crash: partial files are as long as they really are, a complete entry has
        its file, strays are removed."""
        with self._lock:
            known = set()
            for entry in self.entries():
                known.add(entry.key)
                if entry.complete:
                    if not self.final_path(entry).exists():  # killed while it was evicted:
                        self.index.empty(entry.key)  # its file went, fetch it again
                    continue
                part = self.part_path(entry.key)
                have = part.stat().st_size if part.exists() else 0
                if have != entry.have:
                    self.index.set_have(entry.key, have)
            for path in self.directory.iterdir():
                if path.name.split(".")[0] not in known:
                    path.unlink(missing_ok=True)
