"""How loud each track is (table track_loudness): written by scans and syncs from tags, and by
the background measurement; read when a track is about to play."""

from __future__ import annotations

from collections.abc import Iterable

from app.models import LOCAL_SOURCE, Loudness
from app.store.database import Database


def save_loudness(conn, track_id: int, loudness: Loudness) -> None:
    """Inside the caller's transaction."""
    conn.execute(
        f"INSERT INTO track_loudness (track_id, {', '.join(_COLUMNS)}) VALUES (?, "
        f"{', '.join('?' * len(_COLUMNS))}) ON CONFLICT(track_id) DO UPDATE SET "
        + ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS),
        (track_id, *(getattr(loudness, column) for column in _COLUMNS)))


_COLUMNS = ("track_gain_db", "track_peak", "album_gain_db", "album_peak", "origin",
            "music_start_ms", "music_end_ms", "end_kind", "fade_out_ms")
_ENDS = ("music_start_ms", "music_end_ms", "end_kind", "fade_out_ms")  # measured for every track
# A row that still wants the background analysis: none at all, or one without the music's
# ends and how it ends (tags' gains; or measured before endings were).
_WANTS_ANALYSIS = "(l.track_id IS NULL OR (l.end_kind IS NULL AND l.origin != 'unreadable'))"


def forget_loudness(conn, track_id: int) -> None:
    conn.execute("DELETE FROM track_loudness WHERE track_id = ?", (track_id,))


class LoudnessStore:
    def __init__(self, db: Database):
        self.db = db

    def get(self, track_id: int) -> Loudness | None:
        row = self.db.conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM track_loudness WHERE track_id = ?",
            (track_id,)).fetchone()
        return Loudness(*row) if row else None

    def save_measured(self, measured: Iterable[tuple[int, Loudness]]) -> None:
        """Measurements of tracks (an album's together). Where tags or the server state the
        gains, those stay, and only the music's ends are taken."""
        with self.db.transaction() as conn:
            for track_id, loudness in measured:
                if not conn.execute("SELECT 1 FROM tracks WHERE id = ?", (track_id,)).fetchone():
                    continue  # removed meanwhile
                stated = conn.execute("SELECT 1 FROM track_loudness WHERE track_id = ? AND "
                                      "origin IN ('tags', 'server')", (track_id,)).fetchone()
                if stated:
                    conn.execute(f"UPDATE track_loudness SET {' = ?, '.join(_ENDS)} = ? "
                                 "WHERE track_id = ?",
                                 (*(getattr(loudness, column) for column in _ENDS), track_id))
                else:
                    save_loudness(conn, track_id, loudness)

    def unmeasured(self, limit: int) -> list[list[tuple[int, str, str]]]:
        """Up to `limit` albums (a track without one counts as its own) with a track whose
        loudness nobody knows and whose audio is on this machine (a local file, or a server
        track whole in the cache): each as all its tracks' (id, source, location), in
        album order, so the album is measured as a whole."""
        groups = [row[0] for row in self.db.conn.execute(
            "SELECT DISTINCT coalesce(u.album_id, -u.id) FROM tracks u "
            "LEFT JOIN track_loudness l ON l.track_id = u.id "
            "LEFT JOIN audio_cache c ON c.server = u.source AND c.remote_id = u.location "
            "AND c.complete = 1 "
            f"WHERE {_WANTS_ANALYSIS} AND (u.source = ? OR c.key IS NOT NULL) "
            "LIMIT ?",
            (LOCAL_SOURCE, limit))]
        albums = []
        for group in groups:
            albums.append([tuple(row) for row in self.db.conn.execute(
                "SELECT id, source, location FROM tracks "
                f"WHERE {'album_id' if group > 0 else '-id'} = ? "
                "ORDER BY disc_no, track_no, id", (group,))])
        return albums
