"""What a sync from a server reads and writes: the server's tracks as last synced, the user's
marks on them, and the server's playlists. The sync (app/catalog/sync.py) decides what changed;
this module writes it in one transaction each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.models import TrackTags
from app.store.database import Database
from app.store.playlist_entries import add_entries, remove_entries
from app.store.tracks import TrackStore

# The tag columns a sync compares, in the order TrackTags' fields are compared in.
COMPARED = ("title", "artist", "album", "album_artist", "track_no", "disc_no", "year", "genre",
            "duration_ms", "codec", "bitrate_kbps", "size", "cover_path", "remote_folder")


@dataclass(frozen=True)
class SyncedTrack:
    id: int
    tags: tuple  # the COMPARED columns
    marks: tuple[int, int | None]  # starred, rating
    server_play_count: int | None


@dataclass(frozen=True)
class CatalogChanges:
    changed: list[TrackTags]
    marks: list[tuple[int, int | None, str]]  # starred, rating, location
    play_counts: list[tuple[int | None, str]]  # play count, location
    gone: list[int]  # track ids the server no longer has


@dataclass(frozen=True)
class PlaylistUpdate:
    remote_id: str
    name: str
    signature: str
    locations: list[str]  # the server's song ids, in order


class ServerCatalogStore:
    def __init__(self, db: Database, tracks: TrackStore):
        self.db = db
        self.tracks = tracks

    def synced_tracks(self, source: str) -> dict[str, SyncedTrack]:
        """The server's tracks as the library holds them, by the server's song id."""
        return {row[0]: SyncedTrack(row[1], row[2:-3], row[-3:-1], row[-1])
                for row in self.db.conn.execute(
                    f"SELECT location, id, {', '.join(COMPARED)}, starred, rating, "
                    "server_play_count FROM tracks WHERE source = ?", (source,))}

    def apply(self, source: str, changes: CatalogChanges) -> tuple[int, int]:
        """Write one sync's changes whole or not at all; (added, updated)."""
        with self.db.transaction() as conn:
            added, updated = self.tracks.write_tags(conn, changes.changed)
            conn.executemany("UPDATE tracks SET starred = ?, rating = ? WHERE source = ? AND "
                             "location = ?", [(s, r, source, loc) for s, r, loc in changes.marks])
            conn.executemany("UPDATE tracks SET server_play_count = ? WHERE source = ? AND "
                             "location = ?", [(n, source, loc) for n, loc in changes.play_counts])
            if changes.gone:
                self.tracks.delete_in(conn, changes.gone)
        return added, updated

    def server_playlists(self, source: str) -> dict[str, tuple[int, str | None]]:
        """The server's playlists held here: remote id -> (local id, signature)."""
        return {row[0]: (row[1], row[2]) for row in self.db.conn.execute(
            "SELECT remote_id, id, remote_signature FROM playlists WHERE source = ? AND "
            "remote_id IS NOT NULL", (source,))}

    def replace_playlists(self, source: str, updates: Sequence[PlaylistUpdate],
                          still_there: set[str], now: float) -> None:
        """Write the fetched playlists and drop the ones the server no longer has (unless an
        edit made here still waits to reach the server), in one transaction."""
        known = self.server_playlists(source)
        track_ids = {row[0]: row[1] for row in self.db.conn.execute(
            "SELECT location, id FROM tracks WHERE source = ?", (source,))}
        with self.db.transaction() as conn:
            for update in updates:
                local_id = known.get(update.remote_id, (None,))[0]
                if local_id is None:
                    local_id = conn.execute(
                        "INSERT INTO playlists (name, source, remote_id, remote_signature, "
                        "created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (update.name, source, update.remote_id, update.signature, now,
                         now)).lastrowid
                else:
                    conn.execute("UPDATE playlists SET name = ?, remote_signature = ?, "
                                 "modified_at = ? WHERE id = ?",
                                 (update.name, update.signature, now, local_id))
                    remove_entries(conn, local_id)
                add_entries(self.db, local_id,
                            [track_ids[loc] for loc in update.locations if loc in track_ids])
            for remote_id, (local_id, _) in known.items():
                waiting = conn.execute("SELECT 1 FROM outbox WHERE playlist_id = ? LIMIT 1",
                                       (local_id,)).fetchone()
                if remote_id not in still_there and not waiting:
                    conn.execute("DELETE FROM playlists WHERE id = ?", (local_id,))
