"""A library with two clear taste clusters and a listener who prefers one, for recommender tests."""

from __future__ import annotations

import time

from app.models import TrackTags

CLUSTERS = {"Jazz": (1960, "Jazz"), "Metal": (1990, "Metal")}


def two_cluster_library(services, per_artist: int = 10, artists: int = 4) -> dict[str, list[int]]:
    """Jazz and Metal tracks (4 artists each); returns cluster -> track ids."""
    tags = []
    for cluster, (year, genre) in CLUSTERS.items():
        for artist in range(1, artists + 1):
            for number in range(1, per_artist + 1):
                tags.append(
                    TrackTags(
                        location=f"/taste/{cluster}/{artist}/{number}.flac",
                        title=f"{cluster} tune {artist}.{number}",
                        artist=f"{cluster} Artist {artist}",
                        album=f"{cluster} Album {artist}",
                        album_artist=f"{cluster} Artist {artist}",
                        track_no=number,
                        disc_no=1,
                        year=year + artist,
                        genres=(genre,),
                        duration_ms=200_000,
                        codec="flac",
                        bitrate_kbps=900,
                        size=1000,
                        mtime=1.0,
                    )
                )
    services.tracks.save_tags(tags)
    rows = services.db.query("SELECT id, genre FROM tracks ORDER BY id")
    return {
        cluster: [row["id"] for row in rows if row["genre"] == genre]
        for cluster, (_, genre) in CLUSTERS.items()
    }


def listen(services, sessions: list[list[int]], skips: list[int] = (), days_ago: float = 10) -> None:
    """Each session's tracks played through, sessions three hours apart; `skips` skipped early."""
    clock = time.time() - days_ago * 86400
    # The names are copied into history as the player does, so history reads like the real one.
    names = {row["id"]: (row["title"], row["artist"])
             for row in services.db.query("SELECT id, title, artist FROM tracks")}
    lengths = {row["id"]: row["duration_ms"] or 200_000
               for row in services.db.query("SELECT id, duration_ms FROM tracks")}
    rows = []
    for session in sessions:
        for track_id in session:
            rows.append((track_id, *names[track_id], clock, clock + 200, 200_000, "completed"))
            clock += 200
        clock += 3 * 3600
    for track_id in skips:  # a quick skip: 5 s in, or a quarter of a short track
        played = min(5_000, lengths[track_id] // 4)
        rows.append((track_id, *names[track_id], clock, clock + played / 1000, played, "skipped"))
        clock += 5
    with services.db.transaction() as conn:
        conn.executemany(
            "INSERT INTO play_events (track_id, title, artist, started_at, ended_at, ms_played, "
            "end_reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
