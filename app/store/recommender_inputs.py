"""What the recommender and the skip predictor read: the catalog's metadata, finished plays,
marks and playlists, skip counts. Read-only; the recommender turns them into numbers."""

from __future__ import annotations

from collections.abc import Sequence

from app.store.database import Database
from app.store.history import QUICK_SKIP_SQL


def catalog_rows(db: Database) -> list[dict]:
    """Every track's metadata that describes it, by id."""
    return db.query(
        "SELECT id, artist, album_artist, album, album_id, genre, year, duration_ms, added_at, "
        "server_play_count FROM tracks ORDER BY id")


def finished_plays(db: Database) -> list[dict]:
    """Plays of library tracks that ended, in the order they started, with the track's length."""
    return db.query(
        "SELECT e.track_id, e.started_at, e.ended_at, e.ms_played, e.end_reason, t.duration_ms "
        "FROM play_events e JOIN tracks t ON t.id = e.track_id "
        "WHERE e.end_reason IS NOT NULL ORDER BY e.started_at, e.id")


def finished_play_count(db: Database) -> int:
    return db.scalar("SELECT count(*) FROM play_events WHERE end_reason IS NOT NULL")


def marked_tracks(db: Database) -> list[dict]:
    """(id, starred, rating) of the tracks starred or rated."""
    return db.query("SELECT id, starred, rating FROM tracks WHERE starred OR rating")


def playlist_memberships(db: Database) -> list[tuple[int, int]]:
    """(playlist id, track id) for every playlist entry."""
    return [(row[0], row[1]) for row in db.conn.execute(
        "SELECT playlist_id, track_id FROM playlist_tracks")]


def taste_version(db: Database) -> tuple:
    """Changes whenever history, stars or ratings change: when a profile must be read again."""
    return tuple(db.conn.execute(
        "SELECT (SELECT count(*) FROM play_events), (SELECT max(id) FROM play_events), "
        "(SELECT total(starred) + total(coalesce(rating, 0)) FROM tracks)").fetchone())


def recently_played(db: Database, last: int, since: float) -> set[int]:
    """Tracks among the `last` plays or played after `since`."""
    rows = db.conn.execute(
        "SELECT track_id FROM (SELECT track_id, started_at FROM play_events "
        "ORDER BY started_at DESC LIMIT ?) UNION "
        "SELECT track_id FROM play_events WHERE started_at > ?", (last, since))
    return {row[0] for row in rows if row[0] is not None}


def artist_track_ids(db: Database, artist: str) -> list[int]:
    return [row[0] for row in db.conn.execute(
        "SELECT id FROM tracks WHERE artist = ? COLLATE NOCASE", (artist,))]


def overall_skips(db: Database) -> tuple[int, int]:
    """(plays, quick skips) over every play that completed or was skipped."""
    row = db.conn.execute(
        "SELECT count(*), coalesce(sum(" + QUICK_SKIP_SQL + "), 0) "
        "FROM play_events e LEFT JOIN tracks t ON t.id = e.track_id "
        "WHERE e.end_reason IN ('completed', 'skipped')").fetchone()
    return row[0], row[1]


def skips_by_track(db: Database, track_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """track id -> (plays, quick skips), for those of the tracks played."""
    marks = ",".join("?" * len(track_ids))
    rows = db.conn.execute(
        f"SELECT e.track_id, count(*), sum({QUICK_SKIP_SQL}) "
        "FROM play_events e LEFT JOIN tracks t ON t.id = e.track_id "
        f"WHERE e.track_id IN ({marks}) AND e.end_reason IN ('completed', 'skipped') "
        "GROUP BY e.track_id", list(track_ids))
    return {row[0]: (row[1], row[2]) for row in rows}
