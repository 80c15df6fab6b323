"""Tracks, artists and albums: writing scan results, reading rows, full-text search."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import fields

from app.models import LOCAL_SOURCE, Track, TrackTags
from app.store import ranks
from app.store.database import Database
from app.store.loudness import forget_loudness, save_loudness

_TRACK_FIELDS = [f.name for f in fields(Track)]
_TRACK_COLUMNS = ", ".join(_TRACK_FIELDS)
_WORD = re.compile(r"\w+", re.UNICODE)
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def sort_key(artist: str, album: str, disc_no: int | None, track_no: int | None, title: str) -> str:
    """Library order: artist (ignoring a leading 'The'), album, disc, track, title."""
    artist_key = _LEADING_ARTICLE.sub("", artist.strip()).casefold()
    return "\x1f".join(
        (artist_key, album.strip().casefold(), f"{disc_no or 0:03d}", f"{track_no or 0:05d}",
         title.strip().casefold())
    )


def fts_query(text: str) -> str | None:
    """Search-as-you-type: every word must match, the last ones as prefixes."""
    words = _WORD.findall(text.casefold())
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def _row_to_track(row: dict) -> Track:
    return Track(**{name: row[name] for name in _TRACK_FIELDS})


class TrackStore:
    def __init__(self, db: Database):
        self.db = db

    # -- reading ------------------------------------------------------------------------------
    def count(self) -> int:
        return self.db.scalar("SELECT count(*) FROM tracks")

    def count_from(self, source: str) -> int:
        """How many tracks come from this source (a server's name, or "local")."""
        return self.db.scalar("SELECT count(*) FROM tracks WHERE source = ?", (source,))

    def get(self, track_id: int) -> Track | None:
        row = self.db.query_one(f"SELECT {_TRACK_COLUMNS} FROM tracks WHERE id = ?", (track_id,))
        return _row_to_track(row) if row else None

    def get_many(self, ids: Sequence[int]) -> list[Track]:
        """Tracks in the order of ids (missing ids are left out)."""
        found: dict[int, Track] = {}
        for marks, chunk in _id_chunks(ids):
            for row in self.db.query(
                f"SELECT {_TRACK_COLUMNS} FROM tracks WHERE id IN ({marks})", chunk
            ):
                found[row["id"]] = _row_to_track(row)
        return [found[i] for i in ids if i in found]

    def total_duration_ms(self, ids: Sequence[int]) -> int:
        """How long these tracks play together (unknown lengths count as nothing)."""
        return sum(self.db.scalar(
            f"SELECT coalesce(sum(duration_ms), 0) FROM tracks WHERE id IN ({marks})", chunk)
            for marks, chunk in _id_chunks(ids))

    def ordered_ids(self, query: str = "", limit: int | None = None) -> list[int]:
        """Ids in library order, all of them or those matching a search."""
        match = fts_query(query)
        limit_sql = f" LIMIT {int(limit)}" if limit else ""
        if match is None:
            sql = f"SELECT id FROM tracks ORDER BY sort_key, id{limit_sql}"
            params: tuple = ()
        else:
            # The index is keyed by library order, so matches stream out already sorted.
            sql = (
                "SELECT t.id FROM tracks_fts JOIN tracks AS t ON t.sort_rank = tracks_fts.rowid "
                f"WHERE tracks_fts MATCH ? ORDER BY tracks_fts.rowid{limit_sql}"
            )
            params = (match,)
        return [row[0] for row in self.db.conn.execute(sql, params)]

    def identities(self) -> list[dict]:
        """What names every track (id, artist, album_artist, title, album, duration_ms): what
        plays from elsewhere are matched against."""
        return self.db.query(
            "SELECT id, artist, album_artist, title, album, duration_ms FROM tracks")

    def search(self, query: str, limit: int | None = None) -> list[Track]:
        return self.get_many(self.ordered_ids(query, limit))

    def local_files(self) -> dict[str, tuple[int, float | None, int | None]]:
        """location -> (id, mtime, size) of every local track, for incremental rescans."""
        return {
            row[0]: (row[1], row[2], row[3])
            for row in self.db.conn.execute(
                "SELECT location, id, mtime, size FROM tracks WHERE source = 'local'"
            )
        }

    # -- writing ------------------------------------------------------------------------------
    def save_tags(self, batch: Iterable[TrackTags]) -> tuple[int, int]:
        """Insert new tracks and update changed ones in one transaction: (added, updated)."""
        with self.db.transaction() as conn:
            return self.write_tags(conn, batch)

    def write_tags(self, conn, batch: Iterable[TrackTags]) -> tuple[int, int]:
        """save_tags inside the caller's transaction (a sync writes a whole catalog in one)."""
        added = updated = 0
        now = time.time()
        artist_ids: dict[str, int] = {}
        album_ids: dict[tuple[str, int | None], int] = {}
        for tags in batch:
            artist_id = self._artist_id(conn, tags.artist, artist_ids)
            album_artist = tags.album_artist or tags.artist
            album_artist_id = self._artist_id(conn, album_artist, artist_ids)
            album_id = self._album_id(conn, tags, album_artist_id, album_ids)
            values = {
                "source": tags.source, "location": tags.location, "title": tags.title,
                "artist": tags.artist, "album": tags.album, "album_artist": tags.album_artist,
                "artist_id": artist_id, "album_id": album_id, "track_no": tags.track_no,
                "disc_no": tags.disc_no, "year": tags.year, "genre": "; ".join(tags.genres),
                "duration_ms": tags.duration_ms, "codec": tags.codec,
                "bitrate_kbps": tags.bitrate_kbps, "size": tags.size, "mtime": tags.mtime,
                "cover_path": tags.cover_path, "remote_folder": tags.remote_folder,
                "sort_key": sort_key(album_artist, tags.album, tags.disc_no, tags.track_no,
                                     tags.title),
                "modified_at": now,
            }
            # A track whose place in library order changed gets a new rank below.
            cursor = conn.execute(
                "UPDATE tracks SET sort_rank = CASE WHEN sort_key = :sort_key THEN sort_rank "
                "END, " + ", ".join(f"{k} = :{k}" for k in values)
                + " WHERE source = :source AND location = :location",
                values,
            )
            if cursor.rowcount:
                updated += 1
                track_id = conn.execute("SELECT id FROM tracks WHERE source = ? AND location = ?",
                                        (tags.source, tags.location)).fetchone()[0]
                if tags.loudness is None:  # changed audio: what was measured of it is stale
                    forget_loudness(conn, track_id)
            else:
                # A file came into the library when it came on the disk, as far as its time
                # says: a first scan of a collection years old is not all "recently added".
                local = tags.source == LOCAL_SOURCE and tags.mtime
                values["added_at"] = min(now, tags.mtime) if local else now
                track_id = conn.execute(
                    f"INSERT INTO tracks ({', '.join(values)}) "
                    f"VALUES ({', '.join(':' + k for k in values)})",
                    values,
                ).lastrowid
                added += 1
            if tags.loudness is not None:
                save_loudness(conn, track_id, tags.loudness)
        ranks.assign(conn)
        return added, updated

    def ids_by_location(self, source: str, locations: Sequence[str]) -> dict[str, int]:
        """location -> id of a source's tracks among these (a server's ids for its songs)."""
        found: dict[str, int] = {}
        for start in range(0, len(locations), 500):  # SQLite's limit on bound values
            chunk = list(locations[start:start + 500])
            marks = ",".join("?" * len(chunk))
            found.update(self.db.conn.execute(
                f"SELECT location, id FROM tracks WHERE source = ? AND location IN ({marks})",
                [source, *chunk]).fetchall())
        return found

    def local_ids_under(self, folder: str) -> list[int]:
        """Local songs inside `folder` (at any depth), in path order. The prefix ends with the
        separator, so /music2 is not inside /music."""
        prefix = os.path.join(folder, "")
        return [row["id"] for row in self.db.query(
            "SELECT id FROM tracks WHERE source = 'local' AND substr(location, 1, ?) = ? "
            "ORDER BY location", (len(prefix), prefix))]

    def forget_source(self, source: str) -> int:
        """A server's tracks and its changes still waiting to be sent, in one transaction;
        returns how many tracks went."""
        with self.db.transaction() as conn:
            ids = [row[0] for row in conn.execute("SELECT id FROM tracks WHERE source = ?", (source,))]
            self.delete_in(conn, ids)
            conn.execute("DELETE FROM outbox WHERE server = ?", (source,))
        return len(ids)

    def delete(self, ids: Sequence[int]) -> None:
        with self.db.transaction() as conn:
            self.delete_in(conn, ids)

    @staticmethod
    def delete_in(conn, ids: Sequence[int]) -> None:
        """delete inside the caller's transaction."""
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            conn.execute(f"DELETE FROM tracks WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        # Albums and artists nobody refers to any more go too.
        conn.execute("DELETE FROM albums WHERE id NOT IN (SELECT album_id FROM tracks "
                     "WHERE album_id IS NOT NULL)")
        conn.execute(
            "DELETE FROM artists WHERE id NOT IN (SELECT artist_id FROM tracks WHERE "
            "artist_id IS NOT NULL) AND id NOT IN (SELECT album_artist_id FROM albums "
            "WHERE album_artist_id IS NOT NULL)"
        )

    @staticmethod
    def _artist_id(conn, name: str, cache: dict[str, int]) -> int | None:
        if not name:
            return None
        if name not in cache:
            conn.execute("INSERT OR IGNORE INTO artists (name) VALUES (?)", (name,))
            cache[name] = conn.execute("SELECT id FROM artists WHERE name = ?", (name,)).fetchone()[0]
        return cache[name]

    @staticmethod
    def _album_id(conn, tags: TrackTags, album_artist_id, cache) -> int | None:
        if not tags.album:
            return None
        key = (tags.album, album_artist_id)
        if key not in cache:
            conn.execute(
                "INSERT OR IGNORE INTO albums (title, album_artist_id, year, cover_path) "
                "VALUES (?, ?, ?, ?)",
                (tags.album, album_artist_id, tags.year, tags.cover_path),
            )
            row = conn.execute(
                "SELECT id, cover_path FROM albums WHERE title = ? AND album_artist_id IS ?",
                key,
            ).fetchone()
            if tags.cover_path and not row[1]:
                conn.execute("UPDATE albums SET cover_path = ? WHERE id = ?", (tags.cover_path, row[0]))
            cache[key] = row[0]
        return cache[key]


def _id_chunks(ids: Sequence[int], size: int = 500):
    """(placeholders, ids) in pieces SQLite takes as parameters."""
    for start in range(0, len(ids), size):
        chunk = list(ids[start:start + size])
        yield ",".join("?" * len(chunk)), chunk
