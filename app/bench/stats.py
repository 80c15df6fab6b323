"""Small helpers the benchmarks share: percentiles, and a throwaway profile's server."""

from __future__ import annotations


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.95 for p95) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def connect_server(services, url: str, user: str, password: str):
    """Add a server named "bench" to a throwaway profile and sync it; the client. The password
    stays in memory, never in the machine's keyring."""
    from app.catalog.client import SubsonicClient  # noqa: PLC0415
    from app.catalog.servers import ServerConfig  # noqa: PLC0415

    services.servers.save(ServerConfig("bench", url, user))
    client = SubsonicClient("bench", url, user, password)
    services.streams.use_client(client)
    services.catalog_sync().sync(services.client_for("bench"))
    return client
