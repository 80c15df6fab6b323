"""The outbox's table: changes waiting for a server, in the order they were made.

A change is queued in the same transaction as the local change it mirrors (`add` takes the
caller's connection), so a crash can lose neither. Sending is app/catalog/outbox.py's job.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from app.store.database import Database


@dataclass(frozen=True)
class OutboxItem:
    id: int
    server: str
    method: str
    params: dict
    playlist_id: int | None
    attempts: int


class Outbox:
    def __init__(self, db: Database):
        self.db = db

    @staticmethod
    def add(conn, server: str, method: str, params: dict, playlist_id: int | None = None) -> None:
        """Queue a call, inside the caller's transaction."""
        conn.execute(
            "INSERT INTO outbox (server, method, params, playlist_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (server, method, json.dumps(params), playlist_id, time.time()))

    @staticmethod
    def replace(conn, server: str, method: str, params: dict) -> None:
        """Queue a call that makes any waiting one of the same method for that server moot
        (a play queue saved again): the older ones go, inside the caller's transaction."""
        conn.execute("DELETE FROM outbox WHERE server = ? AND method = ?", (server, method))
        Outbox.add(conn, server, method, params)

    def pending(self, server: str | None = None) -> list[OutboxItem]:
        where, args = ("WHERE server = ?", (server,)) if server else ("", ())
        rows = self.db.query(f"SELECT * FROM outbox {where} ORDER BY id", args)
        return [OutboxItem(r["id"], r["server"], r["method"], json.loads(r["params"]),
                           r["playlist_id"], r["attempts"]) for r in rows]

    def servers(self) -> list[str]:
        return [r[0] for r in self.db.conn.execute("SELECT DISTINCT server FROM outbox")]

    def count(self) -> int:
        return self.db.scalar("SELECT count(*) FROM outbox")

    def pending_user_state(self, server: str) -> dict[str, dict]:
        """remote id -> the starred / rating value the user set that the server lacks yet."""
        state: dict[str, dict] = {}
        for item in self.pending(server):
            if item.method in ("star", "unstar"):
                for song_id in _as_list(item.params.get("id")):
                    state.setdefault(song_id, {})["starred"] = item.method == "star"
            elif item.method == "setRating":
                state.setdefault(item.params.get("id"), {})["rating"] = item.params.get("rating")
        return state

    def remote_playlist_id(self, playlist_id: int) -> str | None:
        """The server's id for a playlist made here, once the server has said it."""
        return self.db.scalar("SELECT remote_id FROM playlists WHERE id = ?", (playlist_id,))

    def done(self, item: OutboxItem, remote_playlist_id: str | None = None) -> None:
        """The server took the item (and named the playlist it created, if it did)."""
        with self.db.transaction() as conn:
            if remote_playlist_id is not None and item.playlist_id is not None:
                conn.execute("UPDATE playlists SET remote_id = ? WHERE id = ?",
                             (remote_playlist_id, item.playlist_id))
            conn.execute("DELETE FROM outbox WHERE id = ?", (item.id,))

    def failed(self, item: OutboxItem, error: str) -> None:
        """The server could not be reached: the item waits, with why."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                         (error, item.id))


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []
