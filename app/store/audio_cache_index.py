"""The audio cache's index: which server tracks are on disk, how much of each, pinned or not."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from app.store.database import Database


@dataclass(frozen=True)
class CacheEntry:
    key: str
    server: str
    remote_id: str
    suffix: str | None
    size: int | None
    have: int
    complete: bool
    pinned: bool


class CacheIndex:
    """The `audio_cache` table. Each write is its own committed transaction."""

    def __init__(self, db: Database):
        self.db = db

    def entry(self, server: str, remote_id: str) -> CacheEntry | None:
        return _entry(self.db.query_one(
            "SELECT * FROM audio_cache WHERE server = ? AND remote_id = ?", (server, remote_id)))

    def entry_by_key(self, key: str) -> CacheEntry | None:
        return _entry(self.db.query_one("SELECT * FROM audio_cache WHERE key = ?", (key,)))

    def entries(self) -> list[CacheEntry]:
        return [_entry(row) for row in self.db.query("SELECT * FROM audio_cache")]

    def bytes_held(self, pinned: bool) -> int:
        return self.db.scalar("SELECT coalesce(sum(have), 0) FROM audio_cache WHERE pinned = ?",
                              (int(pinned),))

    def least_recently_used(self) -> list[tuple[str, int]]:
        """(key, bytes held) of the unpinned entries, the longest unused first."""
        return [(row["key"], row["have"]) for row in self.db.query(
            "SELECT key, have FROM audio_cache WHERE pinned = 0 ORDER BY last_used")]

    def add(self, key: str, server: str, remote_id: str, suffix: str | None, now: float) -> None:
        """A new entry, or a use of one that is there already."""
        self._write("INSERT INTO audio_cache (key, server, remote_id, suffix, last_used) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                    "last_used = excluded.last_used", (key, server, remote_id, suffix, now))

    def set_pinned(self, keys: Iterable[str]) -> None:
        """Exactly these entries are pinned."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE audio_cache SET pinned = 0 WHERE pinned = 1")
            conn.executemany("UPDATE audio_cache SET pinned = 1 WHERE key = ?",
                             [(key,) for key in keys])

    def set_size(self, key: str, size: int | None) -> None:
        self._write("UPDATE audio_cache SET size = ? WHERE key = ?", (size, key))

    def set_have(self, key: str, have: int) -> None:
        self._write("UPDATE audio_cache SET have = ? WHERE key = ?", (have, key))

    def grow(self, key: str, added: int) -> None:
        self._write("UPDATE audio_cache SET have = have + ? WHERE key = ?", (added, key))

    def empty(self, key: str) -> None:
        """No bytes of this track are on disk any more (the entry stays)."""
        self._write("UPDATE audio_cache SET have = 0, complete = 0 WHERE key = ?", (key,))

    def mark_complete(self, key: str) -> None:
        self._write("UPDATE audio_cache SET complete = 1, have = size WHERE key = ?", (key,))

    def set_last_used(self, uses: dict[str, float]) -> None:
        with self.db.transaction() as conn:
            conn.executemany("UPDATE audio_cache SET last_used = ? WHERE key = ?",
                             [(when, key) for key, when in uses.items()])

    def remove(self, key: str) -> None:
        self._write("DELETE FROM audio_cache WHERE key = ?", (key,))

    def _write(self, sql: str, params: tuple) -> None:
        with self.db.transaction() as conn:
            conn.execute(sql, params)


def _entry(row: dict | sqlite3.Row | None) -> CacheEntry | None:
    if row is None:
        return None
    return CacheEntry(row["key"], row["server"], row["remote_id"], row["suffix"], row["size"],
                      row["have"], bool(row["complete"]), bool(row["pinned"]))
