"""Browsing the library by artist, album, genre and playlist: the groups, and each group's tracks
in their natural order. Plain SQL over the tracks table; no Qt (the views call it from workers).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass

from app.settings import LIBRARY_FOLDERS
from app.store.database import Database
from app.store.location_text import MARK
from app.store.settings_store import SettingsStore
from app.store.smart_playlists import SmartPlaylists
from app.store.tracks import TrackStore

KINDS = ("artists", "albums", "genres", "playlists", "favourites", "folders")
SERVER_FOLDER = "\x00"  # in a folder key: server name, then the server's folder
_ALBUM_ORDER = "coalesce(disc_no, 1), coalesce(track_no, 0), sort_key"
_ARTIST = "CASE WHEN album_artist != '' THEN album_artist ELSE artist END"  # who the album is by


def _albums_sql(where: str = "") -> str:
    """Albums as groups (see _album), with an extra condition on their tracks if given."""
    return (f"SELECT album_id, album, {_ARTIST} AS by, max(year) AS year, count(*) AS tracks, "
            "max(cover_path) AS cover, group_concat(DISTINCT source) AS sources, max(source) AS source "
            f"FROM tracks WHERE album_id IS NOT NULL {where} GROUP BY album_id ")


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
        return [_album(row) for row in db.query(_albums_sql() + "ORDER BY album COLLATE NOCASE")]
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
    if kind == "folders":
        return _folders(db)
    if kind == "smart":  # each evaluated now: the songs they hold as the library is
        smart = SmartPlaylists(db)
        found = [(playlist, len(smart.track_ids(playlist))) for playlist in smart.all()]
        return [Group(kind, playlist.name, playlist.name,
                      f"{count} songs · {playlist.about or playlist.describe()}", count)
                for playlist, count in found]
    raise ValueError(f"unknown kind {kind!r}")


def recent_albums(db: Database, limit: int) -> list[Group]:
    """The albums added last (Home's "Recently added" and, on a first run, "Start here")."""
    return [_album(row) for row in db.query(
        _albums_sql() + "ORDER BY max(added_at) DESC, album COLLATE NOCASE LIMIT ?", (limit,))]


def albums_by(db: Database, artist: str) -> list[Group]:
    """An artist's albums, oldest first (their page's row of covers)."""
    return [_album(row) for row in db.query(
        _albums_sql(f"AND {_ARTIST} = ?")
        + "ORDER BY coalesce(max(year), 0), album COLLATE NOCASE", (artist,))]


def top_tracks_by(db: Database, artist: str, limit: int = 10) -> list[int]:
    """An artist's songs played most: by this person, then by the server's count of plays,
    then favourites and ratings; only songs with one of those (a new library has none)."""
    return [row["id"] for row in db.query(
        f"SELECT id FROM tracks LEFT JOIN track_play_stats s ON s.track_id = tracks.id "
        f"WHERE {_ARTIST} = ? AND (coalesce(s.plays, 0) > 0 OR coalesce(server_play_count, 0) > 0 "
        "OR starred OR coalesce(rating, 0) > 0) ORDER BY coalesce(s.plays, 0) DESC, "
        "coalesce(server_play_count, 0) DESC, starred DESC, coalesce(rating, 0) DESC, "
        f"coalesce(year, 0), album COLLATE NOCASE, {_ALBUM_ORDER} LIMIT ?", (artist, limit))]


def artist_covers(db: Database, artists: list[str]) -> dict[str, str]:
    """A local cover for each artist that has one (their latest album's)."""
    covers = {}
    for artist in artists:
        cover = db.scalar(
            f"SELECT cover_path FROM tracks WHERE {_ARTIST} = ? AND source = 'local' "
            "AND cover_path IS NOT NULL ORDER BY coalesce(year, 0) DESC LIMIT 1", (artist,))
        if cover:
            covers[artist] = cover
    return covers


def _album(row) -> Group:
    return Group("albums", str(row["album_id"]), row["album"] or "Unknown album",
                 " · ".join(str(part) for part in (row["by"], row["year"]) if part), row["tracks"],
                 cover=row["cover"] if row["source"] == "local" else None, sources=_sources(row["sources"]))


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
    if kind == "folders":
        if SERVER_FOLDER in key:  # "server\x00Artist/Album": that folder and those below it
            server, folder = key.split(SERVER_FOLDER, 1)
            below = folder.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
            return [row["id"] for row in db.query(
                "SELECT id FROM tracks WHERE source = ? AND remote_folder IS NOT NULL AND "
                "(? = '' OR remote_folder = ? OR remote_folder LIKE ? ESCAPE '\\') "
                "ORDER BY remote_folder, sort_key", (server, folder, folder, below))]
        return TrackStore(db).local_ids_under(key)
    if kind == "smart":
        smart = SmartPlaylists(db)
        playlist = smart.get(key)
        return smart.track_ids(playlist) if playlist is not None else []
    raise ValueError(f"unknown kind {kind!r}")


def _folders(db: Database) -> list[Group]:
    """Every folder holding local songs (and its parents up to the library folder), as a tree
    flattened in path order: the title is indented by depth, the count includes subfolders."""
    counts: dict[str, int] = defaultdict(int)
    roots = [os.path.join(folder, "") for folder in SettingsStore(db).read(LIBRARY_FOLDERS) or []]
    for row in db.query("SELECT location FROM tracks WHERE source = 'local'"):
        if row["location"].startswith(MARK):
            continue  # a name that is not UTF-8: in the library, not in this tree
        folder = os.path.dirname(row["location"])
        root = next((r.rstrip(os.sep) for r in roots if row["location"].startswith(r)), folder)
        while True:
            counts[folder] += 1
            if folder == root or os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
    result = []
    for folder in sorted(counts):
        root = next((r.rstrip(os.sep) for r in roots if os.path.join(folder, "").startswith(r)), folder)
        depth = 0 if folder == root else os.path.relpath(folder, root).count(os.sep) + 1
        name = folder if depth == 0 else os.path.basename(folder)
        result.append(Group("folders", folder, "    " * depth + name, f"{counts[folder]} songs",
                            counts[folder], sources=("local",)))
    return result + _server_folders(db)


def _server_folders(db: Database) -> list[Group]:
    """The folders servers keep songs in (from their `path`), under one entry per server."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in db.query("SELECT source, remote_folder, count(*) AS n FROM tracks WHERE "
                        "source != 'local' AND remote_folder IS NOT NULL "
                        "GROUP BY source, remote_folder"):
        parts = row["remote_folder"].split("/")
        for depth in range(len(parts) + 1):  # the server itself, then each folder down
            counts[(row["source"], "/".join(parts[:depth]))] += row["n"]
    result = []
    for server, folder in sorted(counts):
        depth = folder.count("/") + 1 if folder else 0
        name = folder.rsplit("/", 1)[-1] if folder else f"{server} (server)"
        n = counts[(server, folder)]
        result.append(Group("folders", f"{server}{SERVER_FOLDER}{folder}", "    " * depth + name,
                            f"{n} songs", n, sources=(server,)))
    return result


def _genres(text: str) -> list[str]:
    return [genre.strip() for genre in (text or "").split(";") if genre.strip()]


def _sources(text: str | None) -> tuple[str, ...]:
    return tuple(sorted(set((text or "").split(",")) - {""}))
