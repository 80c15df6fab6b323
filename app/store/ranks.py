"""Library-order ranks for the search index.

Every track has a sort_rank that grows with its sort key, spaced GAP apart after a renumbering,
so new tracks usually fit between their neighbours without touching anyone else. When a gap is
used up (or most of the library is new, as on a first scan), everything is renumbered and the
search index rebuilt in the same transaction: a few seconds at 100,000 tracks, and rare.
"""

from __future__ import annotations

import sqlite3
from itertools import groupby

GAP = 1024
RENUMBER_SHARE = 0.1  # more new tracks than this share of the library: renumber at once


def assign(conn: sqlite3.Connection) -> None:
    """Give every track without a rank one (inside the caller's transaction)."""
    pending = conn.execute(
        "SELECT id, sort_key FROM tracks WHERE sort_rank IS NULL ORDER BY sort_key, id"
    ).fetchall()
    if not pending:
        return
    total = conn.execute("SELECT count(*) FROM tracks").fetchone()[0]
    if len(pending) > RENUMBER_SHARE * total:
        renumber(conn)
        return
    placed = [(_neighbours(conn, track_id, key), track_id) for track_id, key in pending]
    updates: list[tuple[int, int]] = []
    for (low, high), group in groupby(placed, key=lambda item: item[0]):
        ids = [track_id for _, track_id in group]
        low = low if low is not None else 0
        high = high if high is not None else low + GAP * (len(ids) + 1)
        if high - low <= len(ids):
            renumber(conn)  # no room left between these neighbours
            return
        step = (high - low) / (len(ids) + 1)
        updates.extend((low + int(step * (n + 1)), track_id) for n, track_id in enumerate(ids))
    conn.executemany("UPDATE tracks SET sort_rank = ? WHERE id = ?", updates)


def _neighbours(conn, track_id: int, key: str) -> tuple[int | None, int | None]:
    """Ranks of the ranked tracks just before and just after (key, id) in library order."""
    before = conn.execute(
        "SELECT sort_rank FROM tracks WHERE sort_rank IS NOT NULL AND (sort_key, id) < (?, ?) "
        "ORDER BY sort_key DESC, id DESC LIMIT 1", (key, track_id)).fetchone()
    after = conn.execute(
        "SELECT sort_rank FROM tracks WHERE sort_rank IS NOT NULL AND (sort_key, id) > (?, ?) "
        "ORDER BY sort_key, id LIMIT 1", (key, track_id)).fetchone()
    return (before[0] if before else None), (after[0] if after else None)


def renumber(conn: sqlite3.Connection) -> None:
    """Rank every track afresh and rebuild the search index from scratch."""
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'tracks' "
        "AND name LIKE 'tracks_fts%'"
    ).fetchall()
    for name, _ in triggers:  # the rebuild below replaces 100,000 single-row index updates
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute(
        "UPDATE tracks SET sort_rank = ranked.n * ? FROM (SELECT id, row_number() OVER "
        "(ORDER BY sort_key, id) AS n FROM tracks) AS ranked WHERE tracks.id = ranked.id",
        (GAP,),
    )
    conn.execute("INSERT INTO tracks_fts(tracks_fts) VALUES ('rebuild')")
    for _, sql in triggers:
        conn.execute(sql)
