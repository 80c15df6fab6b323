"""A listening history for the demo library, for the window's screenshots: twelve weeks of
plausible listening with two favourite artists, so For You and Statistics have something to
show."""

from __future__ import annotations

import random
import time

from app.store.history import add_past_plays
from app.store.tracks import TrackStore


def demo_listening_history(db) -> None:
    """Twelve weeks of plausible listening on the demo library: two favourite artists."""
    rng = random.Random(5)
    rows = sorted(TrackStore(db).search(""), key=lambda track: track.id)  # stable picks
    favourites = [t for t in rows if t.artist in ("The Blue Note Trio", "Aurora Drift")]
    clock = time.time() - 84 * 86400
    plays = []
    while clock < time.time() - 86400:
        for _ in range(rng.randint(3, 12)):
            track = rng.choice(favourites if rng.random() < 0.75 else rows)
            skipped = rng.random() < 0.15
            played = 4000 if skipped else track.duration_ms
            plays.append({"track_id": track.id, "title": track.title, "artist": track.artist,
                          "started_at": clock, "ended_at": clock + played / 1000,
                          "ms_played": played, "end_reason": "skipped" if skipped else "completed"})
            clock += played / 1000
        clock += rng.uniform(8, 40) * 3600
    add_past_plays(db, plays)
