"""Changes waiting for a server: stored durably (app/store/outbox_queue.py), sent once, in
order, when the server is there.

A change is written to the outbox in the same transaction as the local change it mirrors, so a
crash can lose neither. The sender removes an item only after the server accepted it; a server
that is unreachable keeps its items for the next try, and one that refuses an item (it no longer
has that song, say) has that item dropped with a message, so one bad item never blocks the rest.
The one window left is a crash between the server's answer and the removal: the item is sent
again, which is harmless for everything but a scrobble (those carry their time, so servers that
deduplicate listens do).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.catalog.client import SubsonicClient
from app.catalog.parse import ServerRefused, clean_id, parse_playlists
from app.errors import CatalogError, PreludeError
from app.store.outbox_queue import Outbox, OutboxItem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxDropped:
    """Published when a server refused an item for good."""

    message: str


@dataclass(frozen=True)
class FlushReport:
    sent: int = 0
    dropped: int = 0
    waiting: int = 0
    error: str | None = None


class OutboxSender:
    """Sends queued items; `flush` runs once, `start` keeps a thread that wakes on `wake()`."""

    def __init__(self, outbox: Outbox, client_for: Callable[[str], SubsonicClient],
                 publish: Callable[[object], None] = lambda event: None, interval_s: float = 30):
        self.outbox = outbox
        self.client_for = client_for
        self.publish = publish
        self.interval_s = interval_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one flush at a time keeps the order
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="prelude-outbox", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.flush()
            self._wake.wait(self.interval_s)
            self._wake.clear()

    def flush(self, server: str | None = None) -> FlushReport:
        with self._lock:
            totals = FlushReport()
            try:
                for name in [server] if server else self.outbox.servers():
                    report = self._flush_server(name)
                    totals = FlushReport(totals.sent + report.sent, totals.dropped + report.dropped,
                                         totals.waiting + report.waiting, report.error or totals.error)
            except sqlite3.OperationalError as error:  # a full disk: what is queued stays queued
                log.warning("changes for the server wait: the outbox cannot be written (%s)", error)
                return FlushReport(totals.sent, totals.dropped, totals.waiting,
                                   f"Changes for the server wait: the database cannot be written "
                                   f"right now ({error}).")
            return totals

    def _flush_server(self, server: str) -> FlushReport:
        items = self.outbox.pending(server)
        if not items:
            return FlushReport()
        sent = dropped = 0
        try:
            client = self.client_for(server)
        except PreludeError as error:
            return FlushReport(waiting=len(items), error=str(error))
        for number, item in enumerate(items):
            try:
                params = self._resolve(item)
                if params is None:  # its playlist was never created on the server
                    self._drop(item, "its playlist does not exist on the server")
                    dropped += 1
                    continue
                answer = client.call(item.method, **params)
                created = None
                if (item.method == "createPlaylist" and "name" in item.params
                        and item.playlist_id is not None):
                    created = self._created_playlist_id(client, item, answer)
                self.outbox.done(item, created)
                sent += 1
            except ServerRefused as refused:
                if _already_so(item.method, str(refused)):  # an earlier try did reach it
                    self.outbox.done(item)
                    sent += 1
                    continue
                self._drop(item, str(refused))
                dropped += 1
            except CatalogError as error:  # unreachable: keep this and the rest, in order
                self.outbox.failed(item, str(error))
                return FlushReport(sent, dropped, len(items) - number, str(error))
        return FlushReport(sent, dropped, 0)

    def _resolve(self, item: OutboxItem) -> dict | None:
        params = dict(item.params)
        creates = item.method == "createPlaylist" and "name" in params  # else: replaces songs
        if item.playlist_id is not None and not creates:
            remote = self.outbox.remote_playlist_id(item.playlist_id)
            if remote is None:
                remote = item.params.get("playlistId") or item.params.get("id")
            if remote is None:
                return None
            params["id" if item.method == "deletePlaylist" else "playlistId"] = remote
        return params

    @staticmethod
    def _created_playlist_id(client: SubsonicClient, item: OutboxItem, answer) -> str | None:
        """Servers before API 1.14 do not say the new playlist's id: look it up by name."""
        playlist = answer.get("playlist") if isinstance(answer, dict) else None
        remote = clean_id(playlist.get("id")) if isinstance(playlist, dict) else None
        if remote is None:
            listed = parse_playlists(client.call("getPlaylists", "playlists").get("playlist"))
            named = [p for p in listed if p.name == item.params.get("name")]
            remote = named[-1].id if named else None
        return remote

    def _drop(self, item: OutboxItem, reason: str) -> None:
        self.outbox.done(item)
        message = f"{item.server} did not accept a change ({item.method}): {reason}"
        log.warning("%s", message)
        self.publish(OutboxDropped(message))


def _already_so(method: str, refusal: str) -> bool:
    """A star or unstar the server had already made: an earlier try got through and only its
    answer was lost (supysonic refuses a second star with "already starred")."""
    text = refusal.lower()
    return (method == "star" and "already starred" in text) or (
        method == "unstar" and "not starred" in text)
