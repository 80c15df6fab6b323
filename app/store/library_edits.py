"""Favourites, ratings and playlists: changed locally at once, and queued for the server in the
same transaction through the outbox (local tracks and playlists simply stay local)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from app.errors import UsageError
from app.models import LOCAL_SOURCE
from app.store.database import Database
from app.store.outbox_queue import Outbox
from app.store.playlist_entries import add_entries, entry_track_ids, remove_entries


class LibraryEdits:
    def __init__(self, db: Database, outbox: Outbox, wake=lambda: None):
        self.db = db
        self.outbox = outbox
        self.wake = wake  # tells the sender there is something to send

    def _remote_ids(self, conn, track_ids: Sequence[int]) -> dict[str, list[str]]:
        """Each server's ids of these tracks, in the order given (a playlist's order)."""
        marks = ",".join("?" * len(track_ids))
        where = {track_id: (source, location) for track_id, source, location in conn.execute(
            f"SELECT id, source, location FROM tracks WHERE id IN ({marks})", list(track_ids))}
        by_server: dict[str, list[str]] = {}
        for track_id in track_ids:
            source, location = where.get(track_id, (LOCAL_SOURCE, None))
            if source != LOCAL_SOURCE:
                by_server.setdefault(source, []).append(location)
        return by_server

    def set_starred(self, track_ids: Sequence[int], starred: bool) -> None:
        with self.db.transaction() as conn:
            marks = ",".join("?" * len(track_ids))
            conn.execute(f"UPDATE tracks SET starred = ? WHERE id IN ({marks})",
                         [int(starred), *track_ids])
            for server, ids in self._remote_ids(conn, track_ids).items():
                self.outbox.add(conn, server, "star" if starred else "unstar", {"id": ids})
        self.wake()

    def set_rating(self, track_id: int, rating: int) -> None:
        if not 0 <= rating <= 5:
            raise UsageError("a rating is from 0 (none) to 5 stars")
        with self.db.transaction() as conn:
            conn.execute("UPDATE tracks SET rating = ? WHERE id = ?", (rating or None, track_id))
            for server, ids in self._remote_ids(conn, [track_id]).items():
                self.outbox.add(conn, server, "setRating", {"id": ids[0], "rating": rating})
        self.wake()

    # -- playlists ----------------------------------------------------------------------------
    def create_playlist(self, name: str, track_ids: Sequence[int] = (),
                        server: str = LOCAL_SOURCE) -> int:
        now = time.time()
        with self.db.transaction() as conn:
            playlist_id = conn.execute(
                "INSERT INTO playlists (name, source, created_at, modified_at) VALUES (?, ?, ?, ?)",
                (name, server, now, now)).lastrowid
            add_entries(self.db, playlist_id, track_ids)
            if server != LOCAL_SOURCE:
                songs = self._remote_ids(conn, track_ids).get(server, [])
                self.outbox.add(conn, server, "createPlaylist", {"name": name, "songId": songs},
                                playlist_id)
        self.wake()
        return playlist_id

    def rename_playlist(self, playlist_id: int, name: str) -> None:
        with self.db.transaction() as conn:
            source = self._source(conn, playlist_id)
            conn.execute("UPDATE playlists SET name = ?, modified_at = ? WHERE id = ?",
                         (name, time.time(), playlist_id))
            if source != LOCAL_SOURCE:
                self.outbox.add(conn, source, "updatePlaylist", {"name": name}, playlist_id)
        self.wake()

    def set_playlist_tracks(self, playlist_id: int, track_ids: Sequence[int]) -> None:
        """Replace the entries (reorder, add, remove): one idempotent call for the server."""
        with self.db.transaction() as conn:
            source = self._source(conn, playlist_id)
            remove_entries(conn, playlist_id)
            add_entries(self.db, playlist_id, track_ids)
            conn.execute("UPDATE playlists SET modified_at = ? WHERE id = ?",
                         (time.time(), playlist_id))
            if source != LOCAL_SOURCE:
                ordered = [self._location(conn, t) for t in track_ids]
                self.outbox.add(conn, source, "createPlaylist",
                                {"songId": [loc for loc in ordered if loc]}, playlist_id)
        self.wake()

    def delete_playlist(self, playlist_id: int) -> None:
        with self.db.transaction() as conn:
            source = self._source(conn, playlist_id)
            remote = conn.execute("SELECT remote_id FROM playlists WHERE id = ?",
                                  (playlist_id,)).fetchone()[0]
            if source != LOCAL_SOURCE:
                self.outbox.add(conn, source, "deletePlaylist", {"id": remote}, playlist_id)
            conn.execute("DELETE FROM playlists WHERE id = ?", (playlist_id,))
        self.wake()

    def playlist_track_ids(self, playlist_id: int) -> list[int]:
        return entry_track_ids(self.db, playlist_id)

    @staticmethod
    def _source(conn, playlist_id: int) -> str:
        row = conn.execute("SELECT source FROM playlists WHERE id = ?", (playlist_id,)).fetchone()
        if row is None:
            raise UsageError("that playlist does not exist")
        return row[0]

    @staticmethod
    def _location(conn, track_id: int) -> str | None:
        row = conn.execute("SELECT location FROM tracks WHERE id = ?", (track_id,)).fetchone()
        return row[0] if row else None
