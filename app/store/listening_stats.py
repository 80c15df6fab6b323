"""Listening statistics from the history: top artists and tracks, hours per week, skip rate.

Imported plays count too (they are listening). A skip is a play that ended `skipped` before half
the track or 30 s, as everywhere else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.store.database import Database
from app.store.history import QUICK_SKIP_SQL

WEEK_S = 7 * 86400


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class ListeningStats:
    top_artists: list[Bar]  # hours
    top_tracks: list[Bar]  # plays
    hours_per_week: list[Bar]  # oldest first
    skip_rate_per_week: list[Bar]  # share of plays, 0-1
    plays: int
    hours: float


def listening_stats(db: Database, weeks: int = 12, top: int = 10, now: float | None = None) -> ListeningStats:
    now = now or time.time()
    since = now - weeks * WEEK_S
    # Names as each play recorded them (history keeps its copies), so a song that left the
    # library still counts.
    artists = db.query(
        "SELECT artist AS who, sum(ms_played) / 3600000.0 AS hours FROM play_events "
        "WHERE end_reason IS NOT NULL AND artist != '' GROUP BY artist ORDER BY hours DESC LIMIT ?",
        (top,))
    tracks = db.query(
        "SELECT artist AS who, title AS what, count(*) AS plays FROM play_events "
        "WHERE end_reason IS NOT NULL GROUP BY artist, title ORDER BY plays DESC, title LIMIT ?",
        (top,))
    weekly = {row["week"]: row for row in db.query(
        f"SELECT CAST((? - e.started_at) / {WEEK_S} AS INTEGER) AS week, "
        "sum(e.ms_played) / 3600000.0 AS hours, count(*) AS plays, "
        f"sum({QUICK_SKIP_SQL}) AS skips FROM play_events e LEFT JOIN tracks t ON t.id = e.track_id "
        "WHERE e.started_at > ? AND e.end_reason IS NOT NULL GROUP BY week", (now, since))}
    hours_per_week, skip_rate = [], []
    for week in range(weeks - 1, -1, -1):
        label = time.strftime("%d %b", time.localtime(now - (week + 1) * WEEK_S))
        row = weekly.get(week)
        hours_per_week.append(Bar(label, round(row["hours"], 2) if row else 0.0))
        skip_rate.append(Bar(label, round(row["skips"] / row["plays"], 3) if row and row["plays"] else 0.0))
    totals = db.query_one("SELECT count(*) AS plays, coalesce(sum(ms_played), 0) / 3600000.0 AS hours "
                          "FROM play_events WHERE end_reason IS NOT NULL")
    return ListeningStats(
        top_artists=[Bar(row["who"], round(row["hours"], 2)) for row in artists],
        top_tracks=[Bar(f"{row['what']} — {row['who']}" if row["who"] else row["what"],
                        row["plays"]) for row in tracks],
        hours_per_week=hours_per_week, skip_rate_per_week=skip_rate,
        plays=totals["plays"], hours=round(totals["hours"], 1))
