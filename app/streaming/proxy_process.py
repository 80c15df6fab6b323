"""The stream proxy in a process of its own, so that nothing in the app's process can hold up a
server track VLC is reading.

In the app's process, a thread holding the GIL ~270 ms at a time (a big JSON answer parsed, a
sort) held up every step of the proxy's answer: VLC opening the next track of an album waited
0.7-5 s, and the listener heard that hole at the cut (tests/test_sound_server_output.py). Here
the proxy serves from the cache's files and index by itself, and downloads into the cache as
the app's prefetcher asks (remote_download.py); the app's process tells this one, in order, what
it alone knows (the servers' clients, a download that stopped, a disk that refuses writes).
Each of those is a call the child answers, so it has taken effect before the URL that depends
on it reaches VLC.

If the child dies, the next call starts a new one (URLs handed out before then fail in words,
as any broken stream does). It exits when the app does, even after a kill -9: its pipe ends.
"""

from __future__ import annotations

import logging
import multiprocessing
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import PlaybackError, PreludeError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from app.catalog.client import SubsonicClient
    from app.streaming.cache import AudioCache
    from app.streaming.download import Download, Steering

log = logging.getLogger(__name__)

FIRST_ANSWER_S = 30.0  # a new child imports and opens its listening socket first
ANSWER_S = 10.0  # each call is a dictionary update there; longer than this, it hangs


class ProxyProcess:
    """The app's side: URLs for VLC, and what the child must know before VLC asks."""

    def __init__(self, cache: AudioCache | None, client_for: Callable[[str], SubsonicClient]):
        self.cache = cache
        self.client_for = client_for
        self.token = secrets.token_urlsafe(16)  # only this run's VLC can use the proxy
        self._lock = threading.Lock()
        self._process = None
        self._calls = None
        self._downloads = None  # the pipe downloads are steered on (remote_download.py)
        self._port: int | None = None
        self._clients: dict[str, SubsonicClient] = {}  # handed to the child (again on a restart)
        self._start_child()
        if cache is not None:
            cache.mirror = self

    # -- for the resolver ---------------------------------------------------------------------
    @property
    def port(self) -> int:
        with self._lock:
            self._running()
            return self._port

    def url(self, key: str, server: str) -> str:
        """A URL for VLC that plays the cached track `key` (of `server`) as far as it is there,
        waiting for the rest."""
        self.know(server)
        return f"http://127.0.0.1:{self.port}/{self.token}/{key}"

    def live_url(self, server: str, remote_id: str, max_bitrate_kbps: int | None = None,
                 fmt: str | None = None) -> str:
        """A URL for VLC that relays the server's stream (transcoded as asked), uncached."""
        self.know(server)
        live_id = secrets.token_hex(8)
        self._call("live", live_id, server, remote_id, max_bitrate_kbps, fmt)
        return f"http://127.0.0.1:{self.port}/{self.token}/live{live_id}"

    def stopped(self, server: str, remote_id: str) -> tuple[str | None, bool]:
        """Why the track's live relay broke off (None if it did not), and whether the server
        sent its last request to the end (after the cache failed it)."""
        return self._call("stopped", server, remote_id)

    def download(self, job: Download, steering: Steering, wake: Connection
                 ) -> tuple[bool, int, int | None]:
        """download.download() of `job` in the child (the Prefetcher's runner)."""
        from app.streaming.remote_download import download_in_child  # noqa: PLC0415

        self.know(job.server)
        with self._lock:
            self._running()
            downloads = self._downloads
        self.cache.write_touches()  # the child's evictions go by them
        return download_in_child(downloads, wake, job, steering, self.cache.cap_bytes,
                                 self._heard_trouble)

    def _heard_trouble(self, message: str | None) -> None:
        """The child found the disk refusing writes, or taking them again."""
        if message != self.cache.disk_trouble:
            self.cache.disk_trouble = message

    # -- CacheMirror: told by the audio cache -----------------------------------------------
    def fail(self, key: str, message: str | None) -> None:
        self._tell("fail", key, message)

    def trouble(self, message: str | None) -> None:
        self._tell("trouble", message)

    def _tell(self, name: str, *args) -> None:
        """A call from the cache's writer, which must not fail for the proxy's sake: a proxy
        that died is started again by the next URL asked for (told the disk's trouble then)."""
        try:
            self._call(name, *args)
        except PlaybackError as error:
            log.warning("%s", error)

    def close(self) -> None:
        if self.cache is not None and self.cache.mirror is self:
            self.cache.mirror = None
        with self._lock:
            if self._process is not None and self._process.is_alive():
                try:
                    self._calls.send(("close", ()))
                except OSError:
                    pass
                self._process.join(2)
            self._end_child()

    # -- the child's lifetime ---------------------------------------------------------------
    def know(self, server: str) -> None:
        """The child has this server's client (handed again if it was replaced)."""
        client = self.client_for(server)
        if self._clients.get(server) is not client:
            self._call("client", client.handover())
            self._clients[server] = client

    def _start_child(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._calls, child_calls = context.Pipe()
        self._downloads, child_downloads = context.Pipe()
        cache = self.cache
        paths = (str(cache.index.db.path), str(cache.directory)) if cache is not None else None
        self._process = context.Process(target=_serve, name="prelude-proxy", daemon=True,
                                        args=(paths, self.token, child_calls, child_downloads))
        self._process.start()
        child_calls.close()  # the child holds the only other ends: its death ends the pipes
        child_downloads.close()
        self._port = None

    def _end_child(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.is_alive():
            process.kill()
            process.join(2)

    def _running(self) -> None:
        """A child that has said its port (a new one if the last one died), told all it was
        told before. Called with the lock held."""
        if self._process is None or not self._process.is_alive():
            self._end_child()
            self._start_child()
        if self._port is not None:
            return
        if not self._calls.poll(FIRST_ANSWER_S):
            self._end_child()
            raise PlaybackError("The stream proxy did not start.")
        self._port = self._calls.recv()
        told = [("client", (client.handover(),)) for client in self._clients.values()]
        if self.cache is not None and self.cache.disk_trouble:
            told.append(("trouble", (self.cache.disk_trouble,)))
        for name, args in told:
            self._calls.send((name, args))
            self._calls.recv()

    def _call(self, name: str, *args):
        with self._lock:
            for attempt in (1, 2):  # a child found dead: a new one takes the call
                try:
                    self._running()
                    self._calls.send((name, args))
                    if not self._calls.poll(ANSWER_S):
                        raise OSError("no answer")
                    return self._calls.recv()
                except (OSError, EOFError):
                    self._end_child()
                    if attempt == 2:
                        raise PlaybackError("The stream proxy stopped unexpectedly.") from None


def _serve(paths: tuple[str, str] | None, token: str, calls, downloads) -> None:
    """The child: the proxy and the downloads on their own threads; this one answers the app's
    calls."""
    from app.streaming.cache_reader import CacheReader  # noqa: PLC0415
    from app.streaming.proxy import StreamProxy  # noqa: PLC0415

    reader = CacheReader(Path(paths[0]), Path(paths[1])) if paths is not None else None
    clients: dict[str, SubsonicClient] = {}

    def client_for(name: str) -> SubsonicClient:
        if name not in clients:
            raise PreludeError(f"The stream proxy has no way to reach {name}.")
        return clients[name]

    proxy = StreamProxy(reader, client_for, token)
    if reader is not None:
        from app.streaming.cache import AudioCache  # noqa: PLC0415
        from app.streaming.remote_download import serve_downloads  # noqa: PLC0415

        # The app's process keeps the cache in order at its start; this one only adds to it.
        cache = AudioCache(reader.db, reader.directory, reconcile=False)
        cache.mirror = reader  # a download that stops, a disk that refuses: known here at once
        threading.Thread(target=serve_downloads, args=(downloads, cache, client_for, reader),
                         name="prelude-download", daemon=True).start()
    calls.send(proxy.port)
    while True:
        try:
            name, args = calls.recv()
        except (EOFError, OSError):
            break  # the app ended
        if name == "close":
            break
        answer = None
        if name == "client":
            from app.catalog.client import SubsonicClient  # noqa: PLC0415

            clients[args[0][0]] = SubsonicClient(*args[0])
        elif name == "live":
            proxy.add_live(*args)
        elif name == "stopped":
            answer = proxy.stopped(*args)
        elif reader is not None and name == "fail":
            reader.fail(*args)
        elif reader is not None and name == "trouble":
            reader.trouble(*args)
        calls.send(answer)
    proxy.close()
