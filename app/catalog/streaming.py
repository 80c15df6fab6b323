"""Playing server tracks: the stream URL is signed when the engine loads the track."""

from __future__ import annotations

from app.catalog.client import SubsonicClient
from app.catalog.servers import ServerConfig, ServerRegistry
from app.errors import CatalogError, PlaybackError, PreludeError
from app.models import AudioSource, Track
from app.playback.sources import Sources


class ServerStreams:
    """A resolver per configured server; clients (and keyring reads) are made on first use."""

    def __init__(self, registry: ServerRegistry, cache=None):
        self.registry = registry
        self.cache = cache  # the audio cache, when prefetching is on
        self._clients: dict[str, SubsonicClient] = {}

    def client(self, server: ServerConfig) -> SubsonicClient:
        if server.name not in self._clients:
            self._clients[server.name] = server.client()
        return self._clients[server.name]

    def register(self, sources: Sources) -> None:
        for server in self.registry.all():
            sources.register(server.name, self._resolver(server))

    def _resolver(self, server: ServerConfig):
        def resolve(track: Track) -> tuple[str, AudioSource]:
            if self.cache is not None:
                cached = self.cache.complete_file(server.name, track.location)
                if cached is not None:
                    return str(cached), AudioSource.CACHE
            try:
                url = self.client(server).stream_url(track.location, server.max_bitrate_kbps,
                                                     server.stream_format)
                return url, AudioSource.STREAM
            except (CatalogError, PreludeError) as error:
                raise PlaybackError(str(error)) from error

        return resolve
