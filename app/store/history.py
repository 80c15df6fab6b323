"""The append-only listening history.

A play is written twice, each time in its own committed transaction: a row when it starts and its
ending when it ends (plus a checkpoint of the milliseconds played now and then). So a crash loses
at most the play in progress, and even that keeps its last checkpoint.

When the database cannot be written (a full disk, a read-only or failing drive), plays are held
in memory, in order, and written with the next write that succeeds; `unsaved` says why in words
meanwhile. A play held so has a provisional (negative) id until then.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable

from app.models import AudioSource, EndReason, PlayEvent, Track
from app.store.database import Database

# A quick skip, in SQL over play_events `e` joined to tracks `t`: ended `skipped` before half
# the track or 30 s. The one definition the skip predictor and the statistics share.
QUICK_SKIP_SQL = ("CASE WHEN e.end_reason = 'skipped' AND e.ms_played < "
                  "min(30000, coalesce(t.duration_ms, 60000) / 2) THEN 1 ELSE 0 END")

_COLUMNS = ("id, track_id, title, artist, started_at, ended_at, ms_played, end_reason, context, "
            "audio_source, startup_ms")


def add_past_plays(db: Database, *groups: Iterable[dict]) -> list[int]:
    """Plays that happened elsewhere (an imported export, a demo's or a benchmark's history),
    each a dict of play_events columns, all in one transaction. A play whose import_key is there
    already is left out; returns how many of each group were added."""
    added = []
    last_id = "SELECT coalesce(max(id), 0) FROM play_events"
    with db.transaction() as conn:
        for plays in groups:
            # New rows take the ids after the last one (a play left out takes none): counted
            # by ids, as total_changes would also count what the play-count triggers write.
            before = conn.execute(last_id).fetchone()[0]
            db.insert_rows("play_events", plays, ignore=True)
            added.append(conn.execute(last_id).fetchone()[0] - before)
    return added


class HistoryStore:
    def __init__(self, db: Database):
        self.db = db
        self.unsaved: str | None = None  # why history is being held in memory, if it is
        self._held: list[Callable[[sqlite3.Connection, dict[int, int]], None]] = []
        self._real_ids: dict[int, int] = {}  # provisional id -> the row it became
        self._next_provisional = -1

    def start(self, track: Track, context: str, audio_source: AudioSource,
              started_at: float | None = None) -> int:
        values = (track.id, track.title, track.artist, track.album, started_at or time.time(),
                  context, audio_source.value)

        def insert(conn, ids) -> int:
            return conn.execute(
                "INSERT INTO play_events (track_id, title, artist, album, started_at, context, "
                "audio_source) VALUES (?, ?, ?, ?, ?, ?, ?)", values).lastrowid

        provisional = self._next_provisional
        self._next_provisional -= 1

        def insert_held(conn, ids) -> None:
            ids[provisional] = insert(conn, ids)

        return self._write(insert, insert_held, provisional)

    def set_startup(self, event_id: int, startup_ms: float) -> None:
        self._update("UPDATE play_events SET startup_ms = ? WHERE id = ?", (startup_ms,), event_id)

    def checkpoint(self, event_id: int, ms_played: int) -> None:
        self._update("UPDATE play_events SET ms_played = ? WHERE id = ? AND ended_at IS NULL",
                     (ms_played,), event_id)

    def finish(self, event_id: int, reason: EndReason, ms_played: int,
               error_message: str | None = None) -> None:
        self._update("UPDATE play_events SET ended_at = ?, ms_played = ?, end_reason = ?, "
                     "error_message = ? WHERE id = ? AND ended_at IS NULL",
                     (time.time(), ms_played, reason.value, error_message), event_id)

    def _update(self, sql: str, values: tuple, event_id: int) -> None:
        def update(conn, ids) -> None:
            conn.execute(sql, (*values, ids.get(event_id, self._real_ids.get(event_id, event_id))))

        self._write(update, update, None)

    def _write(self, write, write_held, fallback):
        """Run `write` after anything held; when storage fails, hold `write_held` instead."""
        ids: dict[int, int] = {}
        try:
            with self.db.transaction() as conn:
                for held in self._held:
                    held(conn, ids)
                result = write(conn, ids)
        except sqlite3.OperationalError as error:  # full, read-only, I/O: storage, not SQL
            if "syntax" in str(error) or "no such" in str(error):
                raise
            self._held.append(write_held)
            self.unsaved = (f"Listening history cannot be saved right now ({error}); "
                            f"{len(self._held)} change(s) are kept and saved once it can be.")
            return fallback
        self._real_ids.update(ids)
        self._held.clear()
        self.unsaved = None
        return result

    def close_interrupted(self) -> int:
        """Plays left open by a crash end as 'stopped' at their last checkpoint."""
        with self.db.transaction() as conn:
            return conn.execute(
                "UPDATE play_events SET end_reason = 'stopped', "
                "ended_at = started_at + ms_played / 1000.0 WHERE ended_at IS NULL"
            ).rowcount

    def recent(self, limit: int = 50) -> list[PlayEvent]:
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM play_events ORDER BY started_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [PlayEvent(**row) for row in rows]

    def recently_played_ids(self, limit: int) -> list[int]:
        """Tracks by their latest play, newest first, each once."""
        rows = self.db.query(
            "SELECT track_id, max(started_at) AS last FROM play_events WHERE track_id IS NOT NULL "
            "GROUP BY track_id ORDER BY last DESC LIMIT ?", (limit,))
        return [row["track_id"] for row in rows]

    def favourite_artists(self, limit: int) -> list[str]:
        """The artists most listened to the end, most first."""
        return [row["artist"] for row in self.db.query(
            "SELECT t.artist, count(*) AS plays FROM play_events e JOIN tracks t ON t.id = e.track_id "
            "WHERE t.artist != '' AND e.end_reason = 'completed' GROUP BY t.artist "
            "ORDER BY plays DESC LIMIT ?", (limit,))]

    def count(self, reason: EndReason | None = None) -> int:
        if reason is None:
            return self.db.scalar("SELECT count(*) FROM play_events")
        return self.db.scalar("SELECT count(*) FROM play_events WHERE end_reason = ?",
                              (reason.value,))
