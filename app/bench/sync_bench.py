"""`prelude bench sync`: full sync and no-change re-sync of a large catalog over loopback, and
the no-change re-sync again over an emulated link (a round trip per request; what a person
with the server across a network waits for)."""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

from app.bench.catalog_server import CatalogServer
from app.bench.link import EmulatedLink
from app.catalog.client import SubsonicClient
from app.paths import resolve_profile
from app.services import Services

LINK_RTT_MS = 100.0
LINK_KBPS = 2000.0


def run_sync_bench(songs: int, progress=None) -> dict:
    say = progress or (lambda message: None)
    workdir = Path(tempfile.mkdtemp(prefix="prelude-bench-sync-"))
    say(f"Starting a loopback server with {songs:,} generated songs…")
    server = CatalogServer(songs)
    services = Services.open(resolve_profile(workdir / "profile"))
    try:
        client = SubsonicClient("bench", server.url, "bench", "bench", timeout=60)
        syncer = services.catalog_sync()
        say("Full sync…")
        started = time.perf_counter()
        full = syncer.sync(client)
        full_s = time.perf_counter() - started
        if full.songs != songs or services.tracks.count() != songs:
            raise RuntimeError(f"the sync stored {services.tracks.count()} of {songs} songs")
        say("Re-sync with nothing changed…")
        resyncs = []
        for _ in range(3):
            started = time.perf_counter()
            again = syncer.sync(client)
            resyncs.append(time.perf_counter() - started)
            if not again.skipped:
                raise RuntimeError("the no-change re-sync walked the catalog")
        resync_s = sorted(resyncs)[1]
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        client.close()
        say(f"Re-sync with nothing changed over a {LINK_RTT_MS:.0f} ms link…")
        link = EmulatedLink(server.url, LINK_RTT_MS, LINK_KBPS)
        far = SubsonicClient("bench", link.url, "bench", "bench", timeout=60)
        try:
            over_link = []
            for _ in range(3):
                asked = link.requests
                started = time.perf_counter()
                if not syncer.sync(far).skipped:
                    raise RuntimeError("the no-change re-sync walked the catalog")
                over_link.append((time.perf_counter() - started, link.requests - asked))
        finally:
            far.close()
            link.close()
        resync_link_s, resync_requests = sorted(over_link)[1]
        return {
            "songs": songs,
            "full_sync_s": round(full_s, 2),
            "songs_per_s": round(songs / full_s),
            "resync_s": round(resync_s, 4),
            "resync_ratio": round(resync_s / full_s, 5),
            "resync_link_s": round(resync_link_s, 3),
            "resync_requests": resync_requests,
            "link_rtt_ms": LINK_RTT_MS,
            "rss_mb": round(rss_mb, 1),
            "method": full.method,
        }
    finally:
        services.close()
        server.close()
        shutil.rmtree(workdir, ignore_errors=True)
