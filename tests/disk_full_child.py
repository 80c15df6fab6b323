"""Run by test_disk_full: a session on a "full disk" (RLIMIT_FSIZE: no file may grow past a
limit, so the audio cache and the database's journal hit it), then room again.

    python -m tests.disk_full_child DATA_DIR SERVER_URL LIMIT_BYTES

Prints one JSON object per line: {"event": ...} for what the player said and did, then a summary.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
import threading

from app.bench.supysonic_server import PASSWORD, USER
from app.catalog.servers import ServerConfig
from app.models import AudioSource, EndReason
from app.paths import resolve_profile
from app.playback.events import PlaybackFailed, QueueFinished, TrackFinished
from app.playback.vlc_engine import VlcEngine
from app.services import Services

HISTORY_WRITES = 150
MARK_MS = 1234  # the plays this script writes itself


def say(**fields) -> None:
    print(json.dumps(fields), flush=True)


def main(data_dir: str, url: str, limit: int) -> None:
    services = Services.open(resolve_profile(data_dir))
    services.servers.save(ServerConfig("full", url, USER), PASSWORD)
    services.client_for("full").ping()  # the login learnt while the disk still has room
    tracks = sorted(services.tracks.search(""), key=lambda t: (t.source, t.title))
    services.db.checkpoint()

    # From here on, no file may grow past `limit`: writing past it fails with EFBIG (SIGXFSZ
    # would kill us by default; a real full disk gives ENOSPC, handled the same way).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))

    done = threading.Event()
    services.bus.subscribe(PlaybackFailed, lambda e: say(event="message", text=e.message))
    services.bus.subscribe(TrackFinished, lambda e: say(event="finished", title=e.track.title,
                                                        source=e.track.source,
                                                        reason=e.end_reason))
    services.bus.subscribe(QueueFinished, lambda e: done.set())
    player = services.start_player(VlcEngine(pcm_sink=lambda pcm: None))
    player.play_tracks([t.id for t in tracks])
    if not done.wait(120):
        say(event="timeout")

    held_at = None
    local = next(t for t in tracks if t.source == "local")
    for number in range(HISTORY_WRITES):
        play = services.history.start(local, "queue", AudioSource.LOCAL)
        services.history.finish(play, EndReason.COMPLETED, MARK_MS)
        if services.history.unsaved and held_at is None:
            held_at = number
            say(event="history_held", text=services.history.unsaved)
    player.shutdown()
    services.prefetcher.stop()  # the cache is checked as the full disk left it

    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))  # room again
    play = services.history.start(local, "queue", AudioSource.LOCAL)
    services.history.finish(play, EndReason.COMPLETED, MARK_MS)
    say(event="summary", held_at=held_at, unsaved=services.history.unsaved,
        saved=services.db.scalar("SELECT count(*) FROM play_events WHERE ms_played = ? "
                                 "AND end_reason = 'completed'", (MARK_MS,)),
        integrity=services.db.integrity_check())
    services.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
