"""The configured servers (names, addresses, users) in settings; passwords in the keyring."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from app.errors import CatalogError, UsageError
from app.models import LOCAL_SOURCE
from app.settings import SERVERS
from app.store.settings_store import SettingsStore

if TYPE_CHECKING:
    from app.catalog.client import ServerInfo, SubsonicClient

# The client (requests) and the keyring are imported where a server is talked to, not here:
# the window asks at start-up whether any server is configured, and those imports took 0.4 s.
_NAME = re.compile(r"^[\w][\w .-]{0,39}$")


@dataclass(frozen=True)
class ServerConfig:
    name: str
    url: str
    user: str
    auth: str | None = None       # "token" or "hex" (learnt on first contact), or "apikey"
    certificate: str | None = None  # path of a pinned certificate for a self-signed server
    max_bitrate_kbps: int | None = None  # ask the server to transcode streams down to this
    stream_format: str | None = None     # ... or into this format (mp3, opus, ...)

    def client(self, timeout: float = 20.0) -> SubsonicClient:
        from app.catalog import secrets  # noqa: PLC0415
        from app.catalog.client import SubsonicClient  # noqa: PLC0415

        password = secrets.load_password(self.name, self.user)
        return SubsonicClient(self.name, self.url, self.user, password, auth=self.auth,
                              verify=self.certificate or True, timeout=timeout)


def _well_formed(server: ServerConfig) -> bool:
    texts = (server.name, server.url, server.user)
    optional = (server.auth, server.certificate, server.stream_format)
    return (all(isinstance(t, str) for t in texts) and bool(_NAME.match(server.name))
            and all(o is None or isinstance(o, str) for o in optional)
            and (server.max_bitrate_kbps is None or (type(server.max_bitrate_kbps) is int
                                                    and 0 < server.max_bitrate_kbps < 100_000)))


class ServerRegistry:
    def __init__(self, settings: SettingsStore):
        self.settings = settings

    def all(self) -> list[ServerConfig]:
        servers = []
        for item in self.settings.read(SERVERS):
            try:
                server = ServerConfig(**item)
            except TypeError:
                continue  # a damaged entry is skipped, not fatal
            if _well_formed(server):
                servers.append(server)
        return servers

    def get(self, name: str) -> ServerConfig:
        for server in self.all():
            if server.name == name:
                return server
        raise UsageError(f"no server named “{name}” (see 'prelude server list')")

    def validate_new(self, name: str, url: str) -> str:
        if not _NAME.match(name) or name == LOCAL_SOURCE:
            raise UsageError(f"“{name}” cannot be a server name: use letters, digits, spaces, "
                             "dots and dashes (not 'local').")
        if any(server.name == name for server in self.all()):
            raise UsageError(f"a server named “{name}” exists already")
        from app.catalog.client import check_base_url  # noqa: PLC0415

        try:
            return check_base_url(url)
        except CatalogError as error:
            raise UsageError(str(error)) from error

    def add_checked(self, client: SubsonicClient, password: str, certificate: str | None = None,
                    max_bitrate_kbps: int | None = None, stream_format: str | None = None
                    ) -> ServerInfo:
        """Save a server only after it answered and accepted the login (blocking: network)."""
        from app.catalog.client import API_KEY, API_KEY_EXTENSION  # noqa: PLC0415

        try:
            info = client.ping()
        finally:
            client.close()
        if client.auth == API_KEY and API_KEY_EXTENSION not in info.extensions:
            raise UsageError(f"{client.name} does not offer API keys; log in with a password")
        self.save(ServerConfig(client.name, client.base_url, client.user, client.auth,
                               certificate, max_bitrate_kbps, stream_format), password)
        return info

    def save(self, server: ServerConfig, password: str | None = None) -> None:
        from app.catalog import secrets  # noqa: PLC0415

        if password is not None:
            secrets.store_password(server.name, server.user, password)
        others = [asdict(s) for s in self.all() if s.name != server.name]
        self.settings.write(SERVERS, others + [asdict(server)])

    def remove(self, name: str) -> ServerConfig:
        from app.catalog import secrets  # noqa: PLC0415

        server = self.get(name)
        secrets.delete_password(server.name, server.user)
        self.settings.write(SERVERS, [asdict(s) for s in self.all() if s.name != name])
        return server
