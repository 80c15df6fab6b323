"""A loopback HTTP server that lets VLC play a track while it is still being fetched. It runs
in a process of its own (app.streaming.proxy_process), beside the app's.

VLC opens http://127.0.0.1:PORT/<token>/<key>; the proxy answers from the cache file as far as
it goes and waits for the prefetcher to add the rest, so a track whose beginning is cached starts
at once and never waits for the whole file. A Range beyond what is cached (a seek ahead) is
fetched from the server directly. Only VLC on this machine, with this run's token, can use it.

Streams that are not cached (a server asked to transcode) are relayed live through the same
proxy: VLC never talks to a server itself, because libvlc follows any redirect it is sent,
file:// included, and would carry the signed URL (the login) in its own messages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

from app.errors import PreludeError
from app.loopback import LoopbackServer
from app.store.audio_cache_index import CacheEntry
from app.streaming.cache_reader import CacheReader

if TYPE_CHECKING:
    from app.catalog.client import SubsonicClient

log = logging.getLogger(__name__)

WAIT_FOR_BYTES_S = 30.0  # longer than this without new bytes: give up, VLC reports an error
SEEK_AHEAD_SLACK = 512 * 1024  # a Range this far past the cached bytes is fetched directly
CHUNK = 64 * 1024


class StreamProxy:
    def __init__(self, cache: CacheReader | None, client_for: Callable[[str], SubsonicClient],
                 token: str):
        self.cache = cache
        self.client_for = client_for
        self.token = token
        self._live: dict[str, tuple[str, str, int | None, str | None]] = {}
        self.live_failures: dict[tuple[str, str], str] = {}  # (server, id) -> why it stopped
        # Tracks whose last request the server answered to the end after the cache failed (a
        # full disk): whole, whatever the cache says of its download.
        self.relayed_whole: set[tuple[str, str]] = set()
        self._server = LoopbackServer(self._serve, "prelude-proxy")
        self.port = self._server.port

    def add_live(self, live_id: str, server: str, remote_id: str,
                 max_bitrate_kbps: int | None = None, fmt: str | None = None) -> None:
        """live<live_id> relays the server's stream (transcoded as asked), uncached."""
        self._live[live_id] = (server, remote_id, max_bitrate_kbps, fmt)
        self.live_failures.pop((server, remote_id), None)

    def stopped(self, server: str, remote_id: str) -> tuple[str | None, bool]:
        """Why the track's live relay broke off (None if it did not), and whether the server
        sent its last request to the end."""
        return (self.live_failures.get((server, remote_id)),
                (server, remote_id) in self.relayed_whole)

    def close(self) -> None:
        self._server.close()

    # -- serving ------------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        try:
            self._answer(handler)
        finally:
            if self.cache is not None:
                self.cache.done_on_this_thread()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = handler.path.strip("/").split("/")
        mine = len(parts) == 2 and parts[0] == self.token and parts[1].isalnum()
        if mine and parts[1].startswith("live") and parts[1][4:] in self._live:
            self._serve_live(handler, *self._live[parts[1][4:]])
            return
        entry = self.cache.entry_by_key(parts[1]) if mine and self.cache is not None else None
        if entry is None:
            handler.send_error(404)
            return
        self.relayed_whole.discard((entry.server, entry.remote_id))
        if entry.have == 0 and not entry.complete:  # wait for the first bytes (and the size)
            self.cache.wait_for_bytes(entry.key, 0, WAIT_FOR_BYTES_S)
            if self.cache.disk_trouble and self.cache.failure(entry.key):
                # The cache could not take its first bytes (a full disk): straight from the
                # server, as every track is until the disk takes writes again.
                self._serve_live(handler, entry.server, entry.remote_id, None, None)
                return
            entry = self.cache.entry_by_key(entry.key)
            if entry is None or entry.have == 0:
                handler.send_error(502 if self.cache.failure(entry.key if entry else "") else 504,
                                   "the server did not send this track")
                return
        size = entry.size
        start = _range_start(handler.headers.get("Range", ""))
        if start >= entry.have and not entry.complete and self.cache.failure(entry.key):
            if self.cache.disk_trouble:  # a full disk stopped it: the rest from the server
                self._serve_live(handler, entry.server, entry.remote_id, None, None)
                return
            # VLC reconnecting after the download broke off: there is no more to give
            handler.send_error(502, "the server stopped sending this track")
            return
        if size is not None and start >= size:
            _nothing_past_the_end(handler, size)
            return
        handler.send_response(206 if start else 200)
        handler.send_header("Accept-Ranges", "bytes")
        handler.send_header("Content-Type", "application/octet-stream")
        if size is not None:
            handler.send_header("Content-Length", str(size - start))
            if start:
                handler.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        else:
            handler.close_connection = True
        handler.end_headers()
        try:
            if start > entry.have + SEEK_AHEAD_SLACK and not entry.complete:
                self._relay_from_server(handler, entry, start)
            else:
                self._relay_from_cache(handler, entry, start)
        except (BrokenPipeError, ConnectionResetError):
            pass  # VLC closed the connection (a seek, a stop): nothing is wrong

    def _relay_from_cache(self, handler, entry: CacheEntry, position: int) -> None:
        while True:
            current = self.cache.entry_by_key(entry.key)
            if current is None:
                return
            path = self.cache.final_path(current) if current.complete else \
                self.cache.part_path(current.key)
            available = current.size if current.complete else current.have
            if position < available:
                try:
                    handle = open(path, "rb")  # noqa: SIM115 - closed below
                except FileNotFoundError:
                    if self.cache.settled_entry(entry.key) != current:
                        continue  # it was just completed (renamed): read the entry again
                    if self.cache.disk_trouble:  # the cache dropped it: the disk is full
                        self._relay_from_server(handler, current, position)
                        return
                    handler.close_connection = True  # gone (a clear): not looped on
                    return
                with handle:
                    handle.seek(position)
                    while position < available:
                        data = handle.read(min(CHUNK, available - position))
                        if not data:
                            break
                        handler.wfile.write(data)
                        position += len(data)
                continue
            if current.complete or (current.size is not None and position >= current.size):
                return
            more = self.cache.wait_for_bytes(entry.key, position, WAIT_FOR_BYTES_S)
            if self.cache.disk_trouble and self.cache.failure(entry.key):
                # The cache cannot take this track's bytes (a full disk): the rest of it comes
                # straight from the server, as the tracks after it will.
                self._relay_from_server(handler, current, position)
                return
            if not more or self.cache.failure(entry.key):
                log.info("no more bytes for %s: %s", entry.remote_id,
                         self.cache.failure(entry.key) or "the download went quiet")
                # Short of the length announced: closing is what tells VLC (an open
                # keep-alive connection would have it wait for the rest forever).
                handler.close_connection = True
                return

    def _relay_from_server(self, handler, entry: CacheEntry, start: int) -> None:
        try:
            chunks, _, resumed = self.client_for(entry.server).open_download(entry.remote_id,
                                                                            start=start)
        except PreludeError as error:
            log.info("seek ahead failed: %s", error)
            return
        try:
            _relay(handler, chunks, skip=0 if resumed else start)
        except PreludeError as error:
            log.info("seek ahead broke off: %s", error)
            handler.close_connection = True
            return
        self.relayed_whole.add((entry.server, entry.remote_id))


    def _serve_live(self, handler, server: str, remote_id: str, max_bitrate_kbps: int | None,
                    fmt: str | None) -> None:
        start = _range_start(handler.headers.get("Range", ""))
        try:
            chunks, total, resumed = self.client_for(server).open_download(
                remote_id, start=start, fmt=fmt, max_bitrate_kbps=max_bitrate_kbps)
        except PreludeError as error:
            self.live_failures[(server, remote_id)] = str(error)
            handler.send_error(502, "the server did not send this track")
            return
        if total is not None and start >= total:  # VLC asking from the end: nothing there
            _nothing_past_the_end(handler, total)
            return
        skip = 0 if resumed else start  # a server ignoring Range sends it all: skip ahead
        handler.send_response(206 if start and total is not None else 200)
        handler.send_header("Content-Type", "application/octet-stream")
        if total is not None:
            handler.send_header("Accept-Ranges", "bytes")
            handler.send_header("Content-Length", str(total - start))
            if start:
                handler.send_header("Content-Range", f"bytes {start}-{total - 1}/{total}")
        else:
            handler.close_connection = True  # a transcoding: its length is unknown
        handler.end_headers()
        try:
            _relay(handler, chunks, skip)
        except PreludeError as error:
            self.live_failures[(server, remote_id)] = str(error)
            handler.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            pass  # VLC closed it (a seek, a stop)
        else:
            self.relayed_whole.add((server, remote_id))


def _nothing_past_the_end(handler, size: int) -> None:
    handler.send_response(416)
    handler.send_header("Content-Range", f"bytes */{size}")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def _relay(handler, chunks, skip: int) -> None:
    """Write a server's answer on to VLC, leaving out its first `skip` bytes (a server that
    ignored the Range sends the whole file again)."""
    for chunk in chunks:
        if skip:
            cut = min(skip, len(chunk))
            chunk, skip = chunk[cut:], skip - cut
        if chunk:
            handler.wfile.write(chunk)


def _range_start(header: str) -> int:
    if header.startswith("bytes=") and header[6:].split("-")[0].isdigit():
        return int(header[6:].split("-")[0])
    return 0



