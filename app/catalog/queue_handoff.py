"""Your queue follows you: the play queue, its current song and the position, saved to each
server whose songs it holds (`savePlayQueue`, or `savePlayQueueByIndex` where the server offers
the `indexBasedQueue` extension, which keeps a song that is there twice), and read back on
another device, which offers it and never takes it over unasked.

Saves go through the durable outbox, one waiting save per server (a newer one replaces it), so
nothing floods a server and a save made offline is sent when it is back. A queue that mixes
local files and server songs saves, to each server, that server's songs; the local ones stay
here, and the callers say so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.catalog.client import SubsonicClient
from app.catalog.parse import clean_text, parse_songs
from app.errors import PreludeError
from app.models import LOCAL_SOURCE
from app.settings import queue_saved
from app.store.database import Database
from app.store.outbox_queue import Outbox
from app.store.queue_store import SavedQueue
from app.store.settings_store import SettingsStore
from app.store.tracks import TrackStore

log = logging.getLogger(__name__)
INDEX_BASED = "indexBasedQueue"  # the OpenSubsonic extension for queues by index
REMEMBERED_SAVES = 20  # our own recent saves, told apart from another device's
SAVE_AFTER_S = 5.0  # after the queue last changed: a burst of edits is one save
PAUSE_SAVE_AFTER_S = 1.0  # after a pause (the player has saved where it paused by then)


@dataclass(frozen=True)
class RemoteQueue:
    """A play queue a server holds, as songs of this library."""

    server: str
    track_ids: list[int]
    current: int | None  # index into track_ids
    position_ms: int
    changed: str  # when, as the server says it (ISO 8601)
    changed_by: str  # the client that saved it
    missing: int  # its songs this library does not have (not synced yet)
    digest: str


@dataclass(frozen=True)
class SaveReport:
    saved: dict[str, int]  # server -> songs saved there
    local: int  # songs of the queue that are local files: they stay on this computer


class QueueHandoff:
    def __init__(self, db: Database, tracks: TrackStore, settings: SettingsStore,
                 client_for: Callable[[str], SubsonicClient], wake: Callable[[], None],
                 servers: Callable[[], list[str]]):
        self.db, self.tracks, self.settings = db, tracks, settings
        self.client_for, self.wake, self.servers = client_for, wake, servers
        self._index_based: dict[str, bool] = {}  # learnt when the server is first asked

    # -- saving ------------------------------------------------------------------------------------
    def save(self, queue: SavedQueue) -> SaveReport:
        tracks = self.tracks.get_many(queue.track_ids)
        by_id = {track.id: track for track in tracks}
        current_id = queue.track_ids[queue.current] if queue.current is not None else None
        entries: dict[str, list[tuple[int, str]]] = {}  # server -> (queue index, remote id)
        local = 0
        for index, track_id in enumerate(queue.track_ids):
            track = by_id.get(track_id)
            if track is None:
                continue
            if track.source == LOCAL_SOURCE:
                local += 1
            else:
                entries.setdefault(track.source, []).append((index, track.location))
        current_track = by_id.get(current_id) if current_id is not None else None
        saved: dict[str, int] = {}
        digests: dict[str, str] = {}
        with self.db.transaction() as conn:
            for server, songs in entries.items():
                ids = [remote_id for _, remote_id in songs]
                # The song playing now; where a local file plays now, the server's next one.
                at = next((n for n, (index, _) in enumerate(songs)
                           if queue.current is not None and index >= queue.current), 0)
                playing_here = (current_track is not None and current_track.source == server
                                and songs[at][0] == queue.current)
                position = queue.position_ms if playing_here else 0
                if self._index_based.get(server):
                    method, params = "savePlayQueueByIndex", {
                        "id": ids, "currentIndex": str(at), "position": str(position)}
                else:
                    method, params = "savePlayQueue", {
                        "id": ids, "current": ids[at], "position": str(position)}
                    at = ids.index(ids[at])  # by id, a song there twice reads back as its first
                Outbox.replace(conn, server, method, params)
                digests[server] = _digest(ids, at, position)
                saved[server] = len(ids)
        for server, digest in digests.items():  # (the settings commit on their own)
            self._remember(server, digest)
        if saved:
            self.wake()
        return SaveReport(saved, local)

    def learn(self, server: str) -> None:
        """Ask a server once whether it keeps queues by index (network: not on the player's
        thread); until then a save uses savePlayQueue, which every server has."""
        if server not in self._index_based:
            self._index_based[server] = INDEX_BASED in self.client_for(server).extensions()

    def _remember(self, server: str, digest: str) -> None:
        setting = queue_saved(server)
        known = [d for d in json.loads(self.settings.read(setting) or "[]") if d != digest]
        self.settings.write(setting, json.dumps([*known, digest][-REMEMBERED_SAVES:]))

    def saved_here(self, remote: RemoteQueue) -> bool:
        """The server holds a queue this device saved (not another device's)."""
        return remote.digest in json.loads(self.settings.read(queue_saved(remote.server)) or "[]")

    # -- reading -----------------------------------------------------------------------------------
    def pull(self, server: str | None = None) -> RemoteQueue | None:
        """The queue a server holds (or, without one named, the newest any server holds);
        None when none holds one. A server that cannot be reached is skipped (named: raised)."""
        found = []
        for name in [server] if server else self.servers():
            try:
                remote = self._read(name)
            except PreludeError as error:
                if server:
                    raise
                log.info("no play queue from %s: %s", name, error)
                continue
            if remote is not None:
                found.append(remote)
        return max(found, key=lambda remote: remote.changed, default=None)

    def from_elsewhere(self) -> RemoteQueue | None:
        """The newest queue a server holds that another device saved after this one's, to offer
        (None when the newest is this device's own, or there is none)."""
        remote = self.pull()
        if remote is None or not remote.track_ids or self.saved_here(remote):
            return None
        return remote

    def _read(self, server: str) -> RemoteQueue | None:
        client = self.client_for(server)
        self.learn(server)
        if self._index_based[server]:
            answer = client.call("getPlayQueueByIndex").get("playQueueByIndex")
        else:
            answer = client.call("getPlayQueue").get("playQueue")
        if not isinstance(answer, dict):
            return None  # nothing saved there
        songs = parse_songs(answer.get("entry"))
        ids = [song.id for song in songs]
        if self._index_based[server]:
            at = _number(answer.get("currentIndex"), len(ids))
        else:
            current = clean_text(answer.get("current"), 200)
            at = ids.index(current) if current in ids else None
        position = _number(answer.get("position"), 10**10) or 0
        known = self.tracks.ids_by_location(server, ids)
        track_ids = [known[i] for i in ids if i in known]
        current = None
        if at is not None and ids[at] in known:  # its place among the songs found here
            current = sum(1 for i in ids[:at] if i in known)
        return RemoteQueue(server, track_ids, current, position if current is not None else 0,
                           clean_text(answer.get("changed"), 40),
                           clean_text(answer.get("changedBy"), 80), len(ids) - len(track_ids),
                           _digest(ids, at or 0, position))


def _number(value, below: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < below else None


def _digest(ids: list[str], current: int, position_ms: int) -> str:
    return hashlib.sha256(json.dumps([ids, current, position_ms]).encode()).hexdigest()[:24]


class QueueSaver:
    """Saves the play queue to the servers as the app plays: SAVE_AFTER_S after the queue last
    changed (a burst of edits is one save), soon after a pause, and when the app quits."""

    def __init__(self, handoff: QueueHandoff, load: Callable[[], SavedQueue], subscribe):
        from app.playback.engine import EngineState  # noqa: PLC0415
        from app.playback.events import PlayerStateChanged, QueueChanged  # noqa: PLC0415

        self.handoff, self.load = handoff, load
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        subscribe(QueueChanged, lambda _event: self.save_in(SAVE_AFTER_S))
        subscribe(PlayerStateChanged, lambda event: event.state == EngineState.PAUSED
                  and self.save_in(PAUSE_SAVE_AFTER_S))

    def save_in(self, seconds: float) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(seconds, self.save_now)
            self._timer.daemon = True
            self._timer.start()

    def save_now(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        try:
            self.handoff.save(self.load())
        except (PreludeError, sqlite3.Error) as error:  # a full disk, a closed database
            log.warning("the play queue could not be saved for your other devices: %s", error)
