"""Run by the kill -9 test of test_prefetch: prefetch one track of the test server (supysonic,
at URL, saved as SERVER) in a process the test will kill -9."""

import sys
import threading

from app.bench.supysonic_server import PASSWORD, USER
from app.catalog.servers import ServerConfig
from app.paths import resolve_profile
from app.services import Services
from app.streaming.events import CacheProgress
from app.streaming.prefetcher import Prefetcher

data_dir, url, server = sys.argv[1:4]
services = Services.open(resolve_profile(data_dir))
services.servers.save(ServerConfig(server, url, USER), PASSWORD)
services.catalog_sync().sync(services.client_for(server))
track = services.tracks.search("")[0]
said = threading.Event()


def progress(event):
    if isinstance(event, CacheProgress) and event.have >= 64 * 1024 and not said.is_set():
        said.set()
        print(f"{track.id} {event.have}", flush=True)  # the test kills us after this line


prefetcher = Prefetcher(services.audio_cache, services.tracks, services.client_for, progress)
prefetcher.set_plan([track.id])
prefetcher.wait_idle(120)
