"""Run by test_kill_loop: one kind of write, over and over, until the test kills it with -9.

    python -m tests.crash_child MODE DATA_DIR [ARG]

Prints "ready" once the work is under way, and for history "done ID" after each play's finish
has committed (so the test knows which plays must survive).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from app.catalog.client import SubsonicClient
from app.catalog.servers import ServerConfig
from app.models import AudioSource, EndReason
from app.paths import resolve_profile
from app.services import Services
from app.settings import VOLUME


def scan(services: Services, music: Path) -> None:
    from app.library.tags import write_tags

    services.library.add(music)
    rng = random.Random()
    files = sorted(music.rglob("*.flac"))
    print("ready", flush=True)
    while True:
        for path in rng.sample(files, 5):  # retag a few, so every rescan writes
            write_tags(path, title=f"{path.stem} {rng.randrange(10**6)}", artist="Crash",
                       album="Crash Album")
        services.library.rescan()


def sync(services: Services, url: str) -> None:
    services.servers.save(ServerConfig("crash", url, "u", auth="token"), "pw")
    client = SubsonicClient("crash", url, "u", "pw", auth="token")
    print("ready", flush=True)
    while True:  # the server flips between two catalogs on every search3 page 0
        services.catalog_sync().sync(client, full=True)


def history(services: Services) -> None:
    track = services.tracks.search("")[0]
    print("ready", flush=True)
    while True:
        play = services.history.start(track, "queue", AudioSource.LOCAL)
        services.history.checkpoint(play, 500)
        services.history.finish(play, EndReason.COMPLETED, 1000)
        print(f"done {play}", flush=True)
        services.settings.write(VOLUME, play % 101)  # a settings write between plays


def download(services: Services, url: str) -> None:
    from app.bench.supysonic_server import PASSWORD, USER
    from app.streaming.prefetcher import Prefetcher

    services.servers.save(ServerConfig("crash", url, USER), PASSWORD)
    client = services.client_for("crash")
    services.catalog_sync().sync(client)
    ids = [t.id for t in services.tracks.search("")]
    prefetcher = Prefetcher(services.audio_cache, services.tracks, lambda name: client)
    print("ready", flush=True)
    while True:
        prefetcher.set_plan(ids)
        prefetcher.wait_idle(60)
        services.audio_cache.clear()  # and again: every moment of a download gets its kill


def model(services: Services) -> None:
    from app.recommend.model_file import save_model
    from app.recommend.training import train_from_library

    path = services.profile.data_dir / "recommender" / "model.npz"
    trained = train_from_library(services.db)
    print("ready", flush=True)
    while True:
        trained.trained_at = time.time()
        save_model(trained, path)


if __name__ == "__main__":
    mode, data_dir = sys.argv[1], sys.argv[2]
    opened = Services.open(resolve_profile(data_dir))
    work = {"scan": lambda: scan(opened, Path(sys.argv[3])),
            "sync": lambda: sync(opened, sys.argv[3]),
            "history": lambda: history(opened),
            "download": lambda: download(opened, sys.argv[3]),
            "model": lambda: model(opened)}
    work[mode]()
