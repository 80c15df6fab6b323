"""kill -9 at random moments, 50 times: during a scan, a sync, history writes, a download and a
model save (tests/crash_child.py does the work). After every kill the profile opens, the
database passes PRAGMA integrity_check, settings load, no finished play is missing, no cache
entry is corrupt, and the model file is either absent or whole.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.models import AudioSource, EndReason
from app.paths import resolve_profile
from app.services import Services
from app.settings import VOLUME
from tests.fake_subsonic import FakeSubsonic, make_songs

pytestmark = pytest.mark.reliability

KILLS_PER_MODE = 10  # five modes: 50 kills
REPO = Path(__file__).resolve().parent.parent


def _kill_at_random(mode: str, data: Path, rng: random.Random, *args: str) -> list[str]:
    """Start the child, wait until its work is under way, kill -9 at a random moment; its
    output lines."""
    child = subprocess.Popen([sys.executable, "-m", "tests.crash_child", mode, str(data), *args],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    first = child.stdout.readline()
    assert first.strip() == "ready", child.stderr.read()
    try:
        child.wait(rng.uniform(0.05, 1.0))  # the kill moment is random; this is not a wait-for
    except subprocess.TimeoutExpired:
        pass
    assert child.poll() is None, child.stderr.read()  # it was still working when killed
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    return out.splitlines()


def _reopened(data: Path) -> Services:
    services = Services.open(resolve_profile(data))  # what the app does on the next start
    assert services.db.integrity_check() == "ok"
    assert 0 <= services.settings.read(VOLUME) <= 100  # settings load
    return services


def _flac_folder(root: Path, count: int) -> Path:
    import soundfile

    from app.library.tags import write_tags

    rate = 22050
    for number in range(count):
        path = root / f"artist {number % 5}" / f"{number:03d}.flac"
        path.parent.mkdir(parents=True, exist_ok=True)
        tone = 0.2 * np.sin(2 * np.pi * (200 + number) * np.arange(rate // 5) / rate)
        soundfile.write(path, tone, rate, format="FLAC")
        write_tags(path, title=f"Song {number}", artist=f"Artist {number % 5}", album="Crash")
    return root


def test_kill_9_during_scans(tmp_path):
    music = _flac_folder(tmp_path / "music", 60)
    rng = random.Random(1)
    for _ in range(KILLS_PER_MODE):
        _kill_at_random("scan", tmp_path / "data", rng, str(music))
        services = _reopened(tmp_path / "data")
        try:
            services.library.rescan()  # the next scan repairs whatever the kill interrupted
            locations = [t.location for t in services.tracks.search("")]
            assert len(locations) == len(set(locations)) == 60
        finally:
            services.close()


def test_kill_9_during_syncs(tmp_path):
    # A catalog that changes wholesale between any two syncs (1,200 songs, then 700 others)
    # comes from the scriptable fake: a real server would have to rescan its folder between
    # the pages of a sync to do this.
    fake = FakeSubsonic(make_songs(1200, prefix="a"))
    catalogs = [make_songs(1200, prefix="a"), make_songs(700, prefix="b")]
    turn = iter(range(10**6))

    def flip(handler, params):  # every sync sees the other catalog
        if int(params.get("songOffset", 0)) == 0:
            fake.songs = catalogs[next(turn) % 2]
        return False

    fake.faults["search3"] = flip
    whole = [{s["id"] for s in catalog} for catalog in catalogs]
    rng = random.Random(2)
    try:
        for _ in range(KILLS_PER_MODE):
            _kill_at_random("sync", tmp_path / "data", rng, fake.url)
            services = _reopened(tmp_path / "data")
            try:
                synced = {t.location for t in services.tracks.search("")}
                assert synced in (set(), *whole)  # one whole catalog, never a mix
            finally:
                services.close()
    finally:
        fake.close()


def _scanned_profile(data: Path, music: Path) -> Services:
    services = Services.open(resolve_profile(data))
    services.library.add(music)
    services.library.rescan()
    return services


def test_kill_9_during_history_writes(tmp_path, tone_library):
    data = tmp_path / "data"
    _scanned_profile(data, tone_library).close()
    rng = random.Random(3)
    finished: set[int] = set()
    for _ in range(KILLS_PER_MODE):
        lines = _kill_at_random("history", data, rng)
        finished |= {int(line.split()[1]) for line in lines if line.startswith("done ")}
        services = _reopened(data)
        try:
            rows = {row[0]: row[1] for row in services.db.conn.execute(
                "SELECT id, end_reason FROM play_events")}
            assert all(rows.get(play) == EndReason.COMPLETED.value for play in finished)
            assert services.db.scalar(
                "SELECT count(*) FROM play_events WHERE ended_at IS NULL") == 0
        finally:
            services.close()
    assert len(finished) > KILLS_PER_MODE  # the kills did land among committed plays


@pytest.fixture
def download_server(tmp_path):
    """The test server (supysonic) with four 25 s MP3s (400 KB each), behind a link of 4 MB/s:
    a tenth of a second a track, so kills land mid-file."""
    from app.bench.supysonic_server import SupysonicServer
    from tests.audio import make_tone
    from tests.fault_proxy import FaultProxy

    music = tmp_path / "music"
    for number in range(1, 5):
        make_tone(music / "Crash" / "Downloads" / f"{number:02d} Song {number}.mp3",
                  300 + 50 * number, 25.0, title=f"Song {number}", artist="Crash",
                  album="Downloads", track=number)
    server = SupysonicServer(tmp_path / "server", music)
    server.setup()
    server.start()
    link = FaultProxy(server.url)
    link.bytes_per_s = 4_000_000
    yield link, music
    link.close()
    server.stop()


def test_kill_9_during_downloads(tmp_path, download_server):
    link, music = download_server
    rng = random.Random(5)
    for _ in range(KILLS_PER_MODE):
        _kill_at_random("download", tmp_path / "data", rng, link.url)
        services = _reopened(tmp_path / "data")
        try:
            payloads = {t.location: next(music.glob(f"*/*/{t.track_no:02d} {t.title}.mp3"))
                        .read_bytes() for t in services.tracks.search("")}
            cache = services.audio_cache
            for entry in cache.entries():
                if entry.complete:
                    assert cache.final_path(entry).read_bytes() == payloads[entry.remote_id]
                    assert cache.complete_file(entry.server, entry.remote_id) is not None
                else:  # what a resume would start from is exactly what is on disk
                    part = cache.part_path(entry.key)
                    on_disk = part.stat().st_size if part.exists() else 0
                    assert entry.have == on_disk
                    assert part.read_bytes() == payloads[entry.remote_id][:on_disk] \
                        if on_disk else True
        finally:
            services.close()


def test_kill_9_during_model_saves(tmp_path, tone_library):
    from app.recommend.model_file import load_model

    data = tmp_path / "data"
    with _scanned_profile(data, tone_library) as services:
        tracks = services.tracks.search("")
        for number in range(40):
            play = services.history.start(tracks[number % len(tracks)], "queue", AudioSource.LOCAL,
                                          started_at=1_700_000_000 + number * 400)
            services.history.finish(play, EndReason.COMPLETED, 90_000)
    rng = random.Random(6)
    path = data / "recommender" / "model.npz"
    for _ in range(KILLS_PER_MODE):
        _kill_at_random("model", data, rng)
        services = _reopened(data)
        try:
            assert path.exists()
            load_model(path)  # whole: never a half-written file in its place
            # a killed save leaves its temporary file; the next save clears it away
            assert len(list(path.parent.glob(".*.tmp"))) <= 1
        finally:
            services.close()
