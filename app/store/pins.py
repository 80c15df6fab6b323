"""Available offline: albums, playlists, smart playlists or the favourites pinned to stay on disk.

Pinned server tracks are fetched whole in the background (after the playing window), kept
outside the cache's LRU cap in a budget of their own, and never evicted while pinned.
"""

from __future__ import annotations

import time

from app.errors import UsageError
from app.models import LOCAL_SOURCE
from app.store.database import Database
from app.store.smart_playlists import SmartPlaylists

KINDS = ("album", "playlist", "favourites", "smart")


class Pins:
    def __init__(self, db: Database):
        self.db = db

    def pin(self, kind: str, ref: int = 0) -> None:
        if kind not in KINDS:
            raise UsageError(f"only {', '.join(KINDS)} can be made available offline")
        with self.db.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO pins (kind, ref, created_at) VALUES (?, ?, ?)",
                         (kind, ref, time.time()))

    def unpin(self, kind: str, ref: int = 0) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM pins WHERE kind = ? AND ref = ?", (kind, ref))

    def all(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self.db.conn.execute("SELECT kind, ref FROM pins")]

    def track_ids(self) -> list[int]:
        """Every server track a pin covers, pins in the order they were made."""
        rows = self.db.conn.execute(
            """
            SELECT t.id FROM pins p JOIN tracks t ON (
                (p.kind = 'album' AND t.album_id = p.ref)
                OR (p.kind = 'favourites' AND t.starred = 1)
                OR (p.kind = 'playlist' AND t.id IN (
                    SELECT track_id FROM playlist_tracks WHERE playlist_id = p.ref)))
            WHERE t.source != ?
            ORDER BY p.created_at, t.sort_key
            """, (LOCAL_SOURCE,))
        ids = [row[0] for row in rows]
        smart = SmartPlaylists(self.db)
        for (ref,) in self.db.conn.execute(
                "SELECT ref FROM pins WHERE kind = 'smart' ORDER BY created_at"):
            playlist = smart.by_ref(ref)  # its songs as they are now
            if playlist is not None:
                ids += smart.track_ids(playlist, servers_only=True)
        return list(dict.fromkeys(ids))
