"""How loud each track is (table track_loudness): written by scans and syncs from tags, and by
the background measurement; read when a track is about to play."""

from __future__ import annotations

from collections.abc import Iterable

from app.models import LOCAL_SOURCE, Loudness
from app.store.database import Database


def save_loudness(conn, track_id: int, loudness: Loudness) -> None:
    """Inside the caller's transaction."""
    conn.execute(
        "INSERT INTO track_loudness (track_id, track_gain_db, track_peak, album_gain_db, "
        "album_peak, origin) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(track_id) DO UPDATE SET "
        "track_gain_db = excluded.track_gain_db, track_peak = excluded.track_peak, "
        "album_gain_db = excluded.album_gain_db, album_peak = excluded.album_peak, "
        "origin = excluded.origin",
        (track_id, loudness.track_gain_db, loudness.track_peak, loudness.album_gain_db,
         loudness.album_peak, loudness.origin))


def forget_loudness(conn, track_id: int) -> None:
    conn.execute("DELETE FROM track_loudness WHERE track_id = ?", (track_id,))


class LoudnessStore:
    def __init__(self, db: Database):
        self.db = db

    def get(self, track_id: int) -> Loudness | None:
        row = self.db.conn.execute(
            "SELECT track_gain_db, track_peak, album_gain_db, album_peak, origin "
            "FROM track_loudness WHERE track_id = ?", (track_id,)).fetchone()
        return Loudness(*row) if row else None

    def save_measured(self, measured: Iterable[tuple[int, Loudness]]) -> None:
        """Measurements of tracks (an album's together), unless tags said it meanwhile."""
        with self.db.transaction() as conn:
            for track_id, loudness in measured:
                if conn.execute("SELECT 1 FROM tracks WHERE id = ?", (track_id,)).fetchone() \
                        and not conn.execute("SELECT 1 FROM track_loudness WHERE track_id = ? "
                                             "AND origin != 'measured'", (track_id,)).fetchone():
                    save_loudness(conn, track_id, loudness)

    def unmeasured(self, limit: int) -> list[list[tuple[int, str, str, bool]]]:
        """Up to `limit` albums (a track without one counts as its own) with a track whose
        loudness nobody knows and whose audio is on this machine (a local file, or a server
        track whole in the cache): each as all its tracks' (id, source, location, known), in
        album order, so the album is measured as a whole."""
        groups = [row[0] for row in self.db.conn.execute(
            "SELECT DISTINCT coalesce(u.album_id, -u.id) FROM tracks u "
            "LEFT JOIN track_loudness l ON l.track_id = u.id "
            "LEFT JOIN audio_cache c ON c.server = u.source AND c.remote_id = u.location "
            "AND c.complete = 1 "
            "WHERE l.track_id IS NULL AND (u.source = ? OR c.key IS NOT NULL) LIMIT ?",
            (LOCAL_SOURCE, limit))]
        albums = []
        for group in groups:
            albums.append([(row[0], row[1], row[2], bool(row[3])) for row in self.db.conn.execute(
                "SELECT t.id, t.source, t.location, l.track_id IS NOT NULL FROM tracks t "
                "LEFT JOIN track_loudness l ON l.track_id = t.id "
                f"WHERE {'t.album_id' if group > 0 else '-t.id'} = ? "
                "ORDER BY t.disc_no, t.track_no, t.id", (group,))])
        return albums

    def local_count(self) -> tuple[int, int]:
        """(local tracks, those whose loudness is known)."""
        row = self.db.conn.execute(
            "SELECT count(*), count(l.track_id) FROM tracks t LEFT JOIN track_loudness l "
            "ON l.track_id = t.id WHERE t.source = ?", (LOCAL_SOURCE,)).fetchone()
        return row[0], row[1]
