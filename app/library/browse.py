"""Browsing the library by artist, album, genre and playlist: the groups, and each group's tracks
in their natural order. Plain SQL over the tracks table; no Qt (the views call it from workers).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from app.store.database import Database

KINDS = ("artists", "albums", "genres", "playlists", "favourites")
_ALBUM_ORDER = "coalesce(disc_no, 1), coalesce(track_no, 0), sort_key"
_ARTIST = "CASE WHEN album_artist != '' THEN album_artist ELSE artist END"  # who the album is by


@dataclass(frozen=True)
class Group:
    kind: str
    key: str  # what tracks_of() takes back: a name, or an id as text
    title: str
    subtitle: str
    tracks: int
    cover: str | None = None  # a local image, when there is one
    sources: tuple[str, ...] = ()  # "local" and/or server names: the source badge


def groups(db: Database, kind: str) -> list[Group]:
    if kind == "artists":
        rows = db.query(
            f"SELECT {_ARTIST} AS name, count(*) AS tracks, count(DISTINCT album_id) AS albums, "
            "group_concat(DISTINCT source) AS sources FROM tracks GROUP BY name "
            "ORDER BY name COLLATE NOCASE")
        return [Group(kind, row["name"], row["name"] or "Unknown artist",
                      f"{row['albums']} albums, {row['tracks']} songs", row["tracks"],
                      sources=_sources(row["sources"])) for row in rows]
    if kind == "albums":
        rows = db.query(
            f"SELECT album_id, album, {_ARTIST} AS by, max(year) AS year, count(*) AS tracks, "
            "max(cover_path) AS cover, group_concat(DISTINCT source) AS sources, max(source) AS source "
            "FROM tracks WHERE album_id IS NOT NULL GROUP BY album_id ORDER BY album COLLATE NOCASE")
        return [Group(kind, str(row["album_id"]), row["album"] or "Unknown album",
                      " · ".join(str(part) for part in (row["by"], row["year"]) if part), row["tracks"],
                      cover=row["cover"] if row["source"] == "local" else None,
                      sources=_sources(row["sources"])) for row in rows]
    if kind == "genres":
        counts: dict[str, int] = defaultdict(int)
        for row in db.query("SELECT genre, count(*) AS tracks FROM tracks WHERE genre != '' GROUP BY genre"):
            for genre in _genres(row["genre"]):
                counts[genre] += row["tracks"]
        return [Group(kind, genre, genre, f"{count} songs", count)
                for genre, count in sorted(counts.items(), key=lambda item: item[0].casefold())]
    if kind == "playlists":
        rows = db.query(
            "SELECT p.id, p.name, p.source, count(pt.track_id) AS tracks FROM playlists p "
            "LEFT JOIN playlist_tracks pt ON pt.playlist_id = p.id GROUP BY p.id "
            "ORDER BY p.name COLLATE NOCASE")
        return [Group(kind, str(row["id"]), row["name"], f"{row['tracks']} songs · {row['source']}",
                      row["tracks"], sources=(row["source"],)) for row in rows]
    if kind == "favourites":
        count = db.scalar("SELECT count(*) FROM tracks WHERE starred")
        return [Group(kind, "starred", "Favourites", f"{count} songs", count)]
    raise ValueError(f"unknown kind {kind!r}")


def tracks_of(db: Database, kind: str, key: str) -> list[int]:
    if kind == "artists":
        sql = (f"SELECT id FROM tracks WHERE {_ARTIST} = ? "
               f"ORDER BY coalesce(year, 0), album COLLATE NOCASE, {_ALBUM_ORDER}")
        return [row["id"] for row in db.query(sql, (key,))]
    if kind == "albums":
        return [row["id"] for row in db.query(
            f"SELECT id FROM tracks WHERE album_id = ? ORDER BY {_ALBUM_ORDER}", (int(key),))]
    if kind == "genres":
        rows = db.query("SELECT id, genre FROM tracks WHERE genre LIKE ? ORDER BY sort_key", (f"%{key}%",))
        return [row["id"] for row in rows if key in _genres(row["genre"])]
    if kind == "playlists":
        return [row["track_id"] for row in db.query(
            "SELECT track_id FROM playlist_tracks WHERE playlist_id = ? ORDER BY position", (int(key),))]
    if kind == "favourites":
        return [row["id"] for row in db.query("SELECT id FROM tracks WHERE starred ORDER BY sort_key")]
    raise ValueError(f"unknown kind {kind!r}")


def _genres(text: str) -> list[str]:
    return [genre.strip() for genre in (text or "").split(";") if genre.strip()]


def _sources(text: str | None) -> tuple[str, ...]:
    return tuple(sorted(set((text or "").split(",")) - {""}))
