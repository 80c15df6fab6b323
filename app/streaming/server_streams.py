"""Playing server tracks: the stream URL is signed when the engine loads the track."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from app.catalog.client import SubsonicClient
from app.catalog.servers import ServerConfig, ServerRegistry
from app.errors import PlaybackError, PreludeError
from app.models import AudioSource, Track
from app.playback.sources import Sources
from app.streaming.prefetcher import Prefetcher, suffix_for

if TYPE_CHECKING:
    from app.streaming.proxy_process import ProxyProcess

log = logging.getLogger(__name__)


class ServerStreams:
    """A resolver per configured server; clients (and keyring reads) are made on first use."""

    def __init__(self, registry: ServerRegistry, cache=None, timeout_s: float = 20.0):
        self.registry = registry
        self.timeout_s = timeout_s  # how long a server may take to answer (setting network.timeout_s)
        self.cache = cache  # the audio cache
        # The loopback stream proxy: every server track reaches VLC through it.
        self._proxy: ProxyProcess | None = None
        self._proxy_lock = threading.Lock()
        self.offline: set[str] = set()  # servers the prefetcher could not reach just now
        # A server found unreachable is tried again at most this often: a queue of its tracks
        # is skipped through at once, yet play works again soon after it is back.
        self.offline_retry_s = 10.0
        self._offline_tried: dict[str, float] = {}
        self.on_miss = lambda track: None  # a track is wanted now and is not in the cache
        self.prefetching = False  # a prefetcher fills the cache the proxy serves from
        self._prefetcher: Prefetcher | None = None
        self._clients: dict[str, SubsonicClient] = {}

    def prefetchable(self, track: Track) -> bool:
        """Prefetching fetches the original file; a server asked to transcode streams live."""
        try:
            server = self.registry.get(track.source)
        except PreludeError:
            return False
        return not _transcodes(server)

    @property
    def proxy(self) -> ProxyProcess:
        """The loopback stream proxy (a process of its own), started on first use."""
        with self._proxy_lock:
            if self._proxy is None:
                from app.streaming.proxy_process import ProxyProcess  # noqa: PLC0415

                self._proxy = ProxyProcess(self.cache,
                                           lambda name: self.client(self.registry.get(name)))
            return self._proxy

    def close(self) -> None:
        if self._proxy is not None:
            self._proxy.close()

    def use_client(self, client: SubsonicClient) -> None:
        """A ready client for a server (a benchmark's, whose password is not in the keyring)."""
        self._clients[client.name] = client

    def start_proxy(self) -> None:
        """Start the proxy's process now and hand it the servers' clients, off the path from a
        click to sound (its first client costs it the import of the HTTP library)."""
        proxy = self.proxy
        for server in self.registry.all():
            try:
                proxy.know(server.name)
            except PreludeError as error:  # no password in the keyring: said when it plays
                log.info("%s", error)

    def client(self, server: ServerConfig) -> SubsonicClient:
        if server.name not in self._clients:
            self._clients[server.name] = server.client(self.timeout_s)
        return self._clients[server.name]

    def start_prefetching(self, tracks, publish, **policy) -> Prefetcher:
        """A prefetcher keeping the plan's tracks in this cache, from these servers' clients
        (policy: Prefetcher's pinned, pin_budget, skips, depth). From now on the proxy serves
        what it keeps on disk, and a track wanted now that is not there is fetched at once,
        ahead of the plan; the player's plans go to `follow_plan`."""
        self._prefetcher = Prefetcher(self.cache, tracks,
                                      lambda name: self.client(self.registry.get(name)), publish,
                                      offline=self.offline, wanted=self.prefetchable,
                                      runner=self, **policy)
        self.prefetching = True
        self.on_miss = self._prefetcher.fetch_now
        return self._prefetcher

    def download(self, job, steering, wake) -> tuple[bool, int, int | None]:
        """The prefetcher's downloads run in the proxy's process, where a thread of this one
        holding the GIL cannot slow them (remote_download.py)."""
        return self.proxy.download(job, steering, wake)

    def follow_plan(self, track_ids, playing: bool) -> None:
        """What the player will play, the playing track first: kept on disk ahead of time."""
        if self._prefetcher is not None:
            self._prefetcher.set_plan(track_ids, playing=playing)

    def register(self, sources: Sources) -> None:
        for server in self.registry.all():
            sources.register(server.name, self._resolver(server), self._explainer(server),
                             self._ready(server))

    def _try_again(self, name: str) -> bool:
        """Whether to try an unreachable server now: not when just found so, then every
        offline_retry_s."""
        now = time.monotonic()
        last = self._offline_tried.get(name)
        if last is None:  # just found unreachable: skip through its tracks at once
            self._offline_tried[name] = now
            return self.offline_retry_s <= 0
        if now - last < self.offline_retry_s:
            return False
        self._offline_tried[name] = now
        return True

    def _explainer(self, server: ServerConfig):
        def explain(track: Track) -> str | None:
            try:
                live, relayed_whole = self._proxy.stopped(server.name, track.location) \
                    if self._proxy is not None else (None, False)
            except PreludeError as error:  # the proxy's process died
                return str(error)
            if live or self.cache is None:
                return live
            if relayed_whole:
                return None  # the cache failed it, the server sent it whole: it played
            entry = self.cache.entry(server.name, track.location)
            if entry is None or entry.complete:
                return None
            return self.cache.failure(entry.key)

        return explain

    def _whole_file(self, server: ServerConfig):
        """The track's whole file in the cache (as the server sends it untranscoded), or None."""
        def whole_file(track: Track) -> str | None:
            if self.cache is None or _transcodes(server):
                return None
            cached = self.cache.complete_file(server.name, track.location)
            return None if cached is None else str(cached)

        return whole_file

    def _ready(self, server: ServerConfig):
        """Sources.ready for this server's tracks."""
        whole_file = self._whole_file(server)

        def ready(track: Track) -> tuple[str, AudioSource] | None:
            cached = whole_file(track)
            if cached is not None:
                return cached, AudioSource.CACHE
            if self._proxy is None or server.name in self.offline \
                    or not self._streams_through_cache(server):
                return None
            entry = self.cache.entry(server.name, track.location)
            if entry is not None and (entry.complete or self.cache.failure(entry.key)):
                return None  # damaged, or its download broke off: resolved when it plays
            if entry is None:  # the prefetcher has it in its plan: its bytes are coming
                entry = self.cache.begin(server.name, track.location, suffix_for(track))
            return (self._proxy.url(entry.key, server.name),
                    AudioSource.PARTIAL_CACHE if entry.have else AudioSource.STREAM)

        return ready

    def _streams_through_cache(self, server: ServerConfig) -> bool:
        """Its tracks play through the proxy from the cache as the prefetcher fills it."""
        return (self.cache is not None and self.prefetching and not _transcodes(server)
                and not self.cache.disk_trouble)

    def _resolver(self, server: ServerConfig):
        whole_file = self._whole_file(server)

        def resolve(track: Track) -> tuple[str, AudioSource]:
            cached = whole_file(track)
            if cached is not None:
                return cached, AudioSource.CACHE
            if server.name not in self.offline:
                self._offline_tried.pop(server.name, None)
            elif not self._try_again(server.name):
                raise PlaybackError(f"it is not available offline ({server.name} cannot be "
                                    "reached and the track is not in the cache)")
            if self._streams_through_cache(server):
                # Through the proxy, from the cache as far as it goes, the prefetcher adding the
                # rest (the playing track comes first in its plan).
                entry = self.cache.entry(server.name, track.location)
                if entry is not None and entry.have > 0:
                    self.on_miss(track)  # the rest of it, first
                    return self.proxy.url(entry.key, server.name), AudioSource.PARTIAL_CACHE
                entry = self.cache.begin(server.name, track.location, suffix_for(track))
                self.on_miss(track)
                return self.proxy.url(entry.key, server.name), AudioSource.STREAM
            # Live, through the proxy all the same: never a server URL handed to VLC.
            return self.proxy.live_url(server.name, track.location, server.max_bitrate_kbps,
                                       server.stream_format), AudioSource.STREAM

        return resolve


def _transcodes(server: ServerConfig) -> bool:
    """The server is asked to transcode: its streams are not the original file (not cached)."""
    return bool(server.max_bitrate_kbps or server.stream_format)
