"""A playlist's songs, in order: written in bulk (through sqlite-utils) and read back in order.
Shared by the sync from a server and the edits made here (app/store/library_edits.py)."""

from __future__ import annotations

from collections.abc import Sequence

from app.store.database import Database


def add_entries(db: Database, playlist_id: int, track_ids: Sequence[int]) -> None:
    """Append the songs in order, inside the caller's transaction (on this thread's
    connection); a caller replacing the entries deletes the old ones first."""
    db.insert_rows("playlist_tracks", (
        {"playlist_id": playlist_id, "position": position, "track_id": track_id}
        for position, track_id in enumerate(track_ids)))


def remove_entries(conn, playlist_id: int) -> None:
    conn.execute("DELETE FROM playlist_tracks WHERE playlist_id = ?", (playlist_id,))


def entry_track_ids(db: Database, playlist_id: int) -> list[int]:
    return [row[0] for row in db.conn.execute(
        "SELECT track_id FROM playlist_tracks WHERE playlist_id = ? ORDER BY position",
        (playlist_id,))]


def playlist_names(db: Database) -> list[tuple[int, str, int]]:
    """Every playlist as (id, name, songs), by name: what the window's menus offer."""
    return [(row["id"], row["name"], row["tracks"]) for row in db.query(
        "SELECT p.id, p.name, count(pt.track_id) AS tracks FROM playlists p "
        "LEFT JOIN playlist_tracks pt ON pt.playlist_id = p.id GROUP BY p.id "
        "ORDER BY p.name COLLATE NOCASE")]
