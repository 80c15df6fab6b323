"""Syncing a server's catalog into the local library.

The walk fetches every song first (the library stays untouched meanwhile), then writes only the
rows that differ, and removes what the server no longer has, in one transaction: a sync that
fails or is cancelled halfway leaves the previous catalog as it was. A re-sync first asks the
server whether anything changed (a cheap fingerprint) and skips the walk when nothing did.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from app.catalog.client import SubsonicClient
from app.catalog.parse import (
    RemotePlaylist,
    RemoteSong,
    ServerRefused,
    as_list,
    clean_id,
    parse_playlists,
    parse_songs,
)
from app.errors import CatalogError
from app.models import TrackTags
from app.settings import sync_fingerprint
from app.store.database import Database
from app.store.outbox_queue import Outbox
from app.store.server_catalog import CatalogChanges, PlaylistUpdate, ServerCatalogStore
from app.store.settings_store import SettingsStore
from app.store.tracks import TrackStore

log = logging.getLogger(__name__)

PAGE = 500
Progress = Callable[[int, int | None], None]  # songs fetched, total when known


class SyncCancelled(CatalogError):
    pass


def _optional(client: SubsonicClient, method: str, key: str) -> dict:
    """A call some servers refuse: their refusal counts as an empty answer."""
    try:
        return client.call(method, key)
    except ServerRefused:
        return {}


@dataclass(frozen=True)
class SyncReport:
    server: str
    skipped: bool = False  # nothing changed on the server, so nothing was walked
    songs: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    seconds: float = 0.0
    method: str = ""

    def summary(self) -> str:
        if self.skipped:
            return f"{self.server}: nothing changed since the last sync ({self.seconds:.2f} s)."
        return (f"{self.server}: {self.songs} songs ({self.added} new, {self.updated} changed, "
                f"{self.removed} removed) in {self.seconds:.1f} s via {self.method}.")


def _codec(suffix: str | None) -> str | None:
    return {"ogg": "vorbis", "m4a": "aac", "wav": "pcm"}.get(suffix or "", suffix)


def to_tags(server: str, song: RemoteSong) -> TrackTags:
    return TrackTags(
        location=song.id, source=server, title=song.title, artist=song.artist, album=song.album,
        album_artist=song.album_artist, track_no=song.track_no, disc_no=song.disc_no,
        year=song.year, genres=tuple(g for g in song.genre.split("; ") if g),
        duration_ms=song.duration_ms, codec=_codec(song.suffix), bitrate_kbps=song.bitrate_kbps,
        size=song.size, cover_path=song.cover_art,  # for server tracks: the cover art id
        remote_folder=song.folder or None, loudness=song.replay_gain,
    )


class CatalogSync:
    def __init__(self, db: Database, tracks: TrackStore, settings: SettingsStore):
        self.db = db
        self.tracks = tracks
        self.catalog = ServerCatalogStore(db, tracks)
        self.settings = settings

    # -- has anything changed? ----------------------------------------------------------------
    def fingerprint(self, client: SubsonicClient) -> tuple[str, list[RemotePlaylist] | None]:
        """A digest of what the server says cheaply about its state (five small requests, sent
        together), and its playlists (None when it has none to offer), which the sync then
        reuses.

        getIndexes carries lastModified on most servers (the artist index as a whole on the
        rest); the newest albums and the scan count catch additions. Albums carry `created` but
        no `changed`, so a retag the server does not surface here waits for `sync --full`.
        """
        # Asked all at once: on a real link five questions in turn are five round trips.
        with ThreadPoolExecutor(max_workers=5, thread_name_prefix="prelude-fingerprint") as pool:
            indexes = pool.submit(client.call, "getIndexes", "indexes")
            newest = pool.submit(client.call, "getAlbumList2", "albumList2", type="newest",
                                 size=50)
            scan = pool.submit(_optional, client, "getScanStatus", "scanStatus")  # not everyone's
            # Favourites and playlists change without a rescan (from this or another client).
            starred = pool.submit(_optional, client, "getStarred2", "starred2")
            playlists_answer = pool.submit(client.call, "getPlaylists", "playlists")
            parts: list = [indexes.result().get("lastModified") or indexes.result()]
            parts.append([(a.get("id"), a.get("created"), a.get("songCount"))
                          for a in as_list(newest.result().get("album")) if isinstance(a, dict)])
            parts.append((scan.result().get("count"), scan.result().get("lastScan")))
            parts.append(starred.result())
            try:
                playlists = parse_playlists(playlists_answer.result().get("playlist"))
            except ServerRefused:
                playlists = None  # a server without playlists
        parts.append([p.signature for p in playlists or []])
        digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode())
        return digest.hexdigest(), playlists

    # -- the walk -----------------------------------------------------------------------------
    def fetch_all(self, client: SubsonicClient, progress: Progress | None = None,
                  cancelled: Callable[[], bool] = lambda: False) -> tuple[list[RemoteSong], str]:
        """Every song, by paging search3 with an empty query, or album by album."""
        try:
            first = client.call("search3", "searchResult3", query="", songCount=PAGE,
                                songOffset=0, artistCount=0, albumCount=0)
            first_songs = parse_songs(first.get("song"))
        except ServerRefused:
            first_songs = []  # this server does not do empty-query search: walk the albums
        if first_songs:
            return self._walk_search(client, first_songs, progress, cancelled), "search3"
        return self._walk_albums(client, progress, cancelled), "albums"

    def _walk_search(self, client, songs, progress, cancelled) -> list[RemoteSong]:
        found: dict[str, RemoteSong] = {song.id: song for song in songs}
        offset = PAGE
        page = songs
        while len(page) == PAGE:
            if cancelled():
                raise SyncCancelled("The sync was cancelled; the library is as it was.")
            result = client.call("search3", "searchResult3", query="", songCount=PAGE,
                                 songOffset=offset, artistCount=0, albumCount=0)
            page = parse_songs(result.get("song"))
            for song in page:
                found.setdefault(song.id, song)
            offset += PAGE
            if progress:
                progress(len(found), None)
        return list(found.values())

    def _walk_albums(self, client, progress, cancelled) -> list[RemoteSong]:
        album_ids: list[str] = []
        offset = 0
        while True:
            result = client.call("getAlbumList2", "albumList2", type="alphabeticalByName",
                                 size=PAGE, offset=offset)
            page = [clean_id(a.get("id")) for a in as_list(result.get("album"))
                    if isinstance(a, dict)]
            album_ids.extend(i for i in page if i)
            if len(page) < PAGE:
                break
            offset += PAGE
        found: dict[str, RemoteSong] = {}
        for album_id in dict.fromkeys(album_ids):
            if cancelled():
                raise SyncCancelled("The sync was cancelled; the library is as it was.")
            album = client.call("getAlbum", "album", id=album_id)
            for song in parse_songs(album.get("song")):
                found.setdefault(song.id, song)
            if progress:
                progress(len(found), None)
        return list(found.values())

    # -- writing ------------------------------------------------------------------------------
    def sync(self, client: SubsonicClient, full: bool = False, progress: Progress | None = None,
             cancelled: Callable[[], bool] = lambda: False) -> SyncReport:
        started = time.monotonic()
        name = client.name
        last = sync_fingerprint(name)
        fingerprint, playlists = self.fingerprint(client)
        has_rows = self.tracks.count_from(name) > 0
        if not full and has_rows and self.settings.read(last) == fingerprint:
            return SyncReport(server=name, skipped=True, seconds=time.monotonic() - started)
        songs, method = self.fetch_all(client, progress, cancelled)
        if cancelled():
            raise SyncCancelled("The sync was cancelled; the library is as it was.")
        if not songs and has_rows:
            # A server that suddenly lists nothing has more likely lost its music folder than
            # its music: keep the library (and what history and the cache point at).
            raise CatalogError(f"{name} now lists no songs at all; the library keeps the ones "
                               "it had. Remove the server to clear them.")
        added, updated, removed = self._apply(name, songs)
        if playlists is not None:
            self._sync_playlists(client, playlists)
        self.settings.write(last, fingerprint)
        report = SyncReport(server=name, songs=len(songs), added=added, updated=updated,
                            removed=removed, seconds=time.monotonic() - started, method=method)
        log.info("%s", report.summary())
        return report

    def _apply(self, name: str, songs: list[RemoteSong]) -> tuple[int, int, int]:
        existing = self.catalog.synced_tracks(name)
        # What the user changed here and the server has not heard yet wins over the server.
        pending = Outbox(self.db).pending_user_state(name)
        marks: list[tuple[int, int | None, str]] = []
        play_counts: list[tuple[int | None, str]] = []
        changed: list[TrackTags] = []
        for song in songs:
            tags = to_tags(name, song)
            current = existing.get(song.id)
            wanted = (tags.title, tags.artist, tags.album, tags.album_artist, tags.track_no,
                      tags.disc_no, tags.year, "; ".join(tags.genres), tags.duration_ms,
                      tags.codec, tags.bitrate_kbps, tags.size, tags.cover_path,
                      tags.remote_folder)
            if current is None or current.tags != wanted:
                changed.append(tags)
            mine = pending.get(song.id, {})
            state = (int(mine.get("starred", song.starred)), mine.get("rating", song.rating) or None)
            if current is None or current.marks != state:
                marks.append((*state, song.id))
            if current is None or current.server_play_count != song.play_count:
                play_counts.append((song.play_count, song.id))
        remote_ids = {song.id for song in songs}
        gone = [track.id for location, track in existing.items() if location not in remote_ids]
        added, updated = self.catalog.apply(name, CatalogChanges(changed, marks, play_counts, gone))
        return added, updated, len(gone)

    def _sync_playlists(self, client: SubsonicClient, remote: list[RemotePlaylist]) -> None:
        """Server playlists whose signature changed are fetched again; gone ones removed."""
        known = self.catalog.server_playlists(client.name)
        updates = []
        for playlist in remote:
            if known.get(playlist.id, (None, None))[1] != playlist.signature:
                try:
                    entries = client.call("getPlaylist", "playlist", id=playlist.id)
                except ServerRefused as refused:  # one bad playlist does not stop the sync
                    log.warning("playlist %s skipped: %s", playlist.name[:80], refused)
                    continue
                updates.append(PlaylistUpdate(playlist.id, playlist.name, playlist.signature,
                                              [s.id for s in parse_songs(entries.get("entry"))]))
        self.catalog.replace_playlists(client.name, updates, {p.id for p in remote}, time.time())
