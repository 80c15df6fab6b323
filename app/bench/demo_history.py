"""A listening history for the demo library, for the window's screenshots: twelve weeks of
plausible listening with two favourite artists, so For You and Statistics have something to
show."""

from __future__ import annotations

import random
import time


def demo_listening_history(db) -> None:
    """Twelve weeks of plausible listening on the demo library: two favourite artists."""
    rng = random.Random(5)
    rows = db.query("SELECT id, title, artist, duration_ms FROM tracks")
    favourites = [r for r in rows if r["artist"] in ("The Blue Note Trio", "Aurora Drift")]
    clock = time.time() - 84 * 86400
    plays = []
    while clock < time.time() - 86400:
        for _ in range(rng.randint(3, 12)):
            track = rng.choice(favourites if rng.random() < 0.75 else rows)
            skipped = rng.random() < 0.15
            played = 4000 if skipped else track["duration_ms"]
            plays.append((track["id"], track["title"], track["artist"], clock, clock + played / 1000,
                          played, "skipped" if skipped else "completed"))
            clock += played / 1000
        clock += rng.uniform(8, 40) * 3600
    with db.transaction() as conn:
        conn.executemany("INSERT INTO play_events (track_id, title, artist, started_at, ended_at, "
                         "ms_played, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?)", plays)
