"""Shared fixtures: an isolated profile per test, generated audio, a real VLC engine."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PRELUDE_AUDIO_OUTPUT"] = "none"  # never a real sound device in tests
# Passwords go to a test keyring, chosen explicitly (tests/keyring_backend.py).
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.keyring_backend.TestFileKeyring"

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))

from app.paths import resolve_profile  # noqa: E402
from app.services import Services  # noqa: E402
from tests.audio import make_tone  # noqa: E402

WAIT_S = 30  # generous upper bound for any awaited event; tests end as soon as it happens


@pytest.fixture(autouse=True)
def test_keyring(tmp_path, monkeypatch):
    """Each test its own keyring file (shared with the `prelude` processes it starts)."""
    path = tmp_path / "keyring.json"
    monkeypatch.setenv("PRELUDE_TEST_KEYRING", str(path))
    return path


@pytest.fixture(scope="session")
def subsonic(tmp_path_factory):
    """supysonic on loopback over its own generated music (tests may change that folder)."""
    from app.bench.supysonic_server import SupysonicServer

    root = tmp_path_factory.mktemp("supysonic")
    music = root / "music"
    for number, (title, hz) in enumerate([("Remote One", 440), ("Remote Two", 550),
                                          ("Remote Three", 660)], start=1):
        make_tone(music / "Gamma Group" / "Far Away" / f"{number:02d} {title}.mp3", hz, 2.0,
                  title=title, artist="Gamma Group", album="Far Away", genre="Ambient",
                  track=number)
    make_tone(music / "Delta" / "Single" / "01 Doomed.flac", 300, 1.0, title="Doomed",
              artist="Delta", album="Single", track=1)
    from tests.images import png_bytes as _png

    (music / "Gamma Group" / "Far Away" / "cover.png").write_bytes(_png(64, 64, (200, 40, 40)))
    server = SupysonicServer(root / "server", music)
    server.setup()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def profile(tmp_path):
    return resolve_profile(tmp_path / "profile").ensure()


@pytest.fixture
def services(profile):
    opened = Services.open(profile)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def tone_library(tmp_path_factory) -> Path:
    """Two albums by two artists, every supported format, short tones with distinct pitches."""
    root = tmp_path_factory.mktemp("music")
    specs = [
        ("Alpha Band", "First Light", "Rock", [("Opening", ".mp3", 440), ("Second Song", ".ogg", 550),
                                                ("Third Song", ".flac", 660)]),
        ("Beta Ensemble", "Quiet Hours", "Jazz", [("Night Walk", ".m4a", 330),
                                                  ("Dawn", ".opus", 880), ("Tide", ".wav", 220)]),
    ]
    for artist, album, genre, songs in specs:
        for number, (title, ext, hz) in enumerate(songs, start=1):
            make_tone(root / artist / album / f"{number:02d} {title}{ext}", hz, 1.5,
                      title=title, artist=artist, album=album, genre=genre, track=number,
                      date=2020 + number)
    return root


class Recorder:
    """Collects events of the given types from the bus; wait_for blocks on a condition."""

    def __init__(self, bus, *types):
        self.events: list = []
        self._cond = threading.Condition()
        for kind in types:
            bus.subscribe(kind, self._add)

    def _add(self, event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def of(self, kind) -> list:
        with self._cond:
            return [e for e in self.events if isinstance(e, kind)]

    def wait_for(self, predicate, timeout: float = WAIT_S):
        with self._cond:
            if not self._cond.wait_for(lambda: predicate(self), timeout):
                raise AssertionError(f"timed out; events so far: {self.events}")


def wait_until(condition, timeout: float = WAIT_S) -> None:
    """Poll a condition that no event announces (a clock moving, a request arriving)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)  # polling a condition, not synchronising on time


@pytest.fixture
def recorder_factory():
    return Recorder


def _serving_a_cut_tone(tmp_path_factory, extension: str = "mp3", **cut):
    from app.bench.gap_bench import make_cut_tone
    from app.bench.supysonic_server import SupysonicServer

    root = tmp_path_factory.mktemp("gapless-server")
    music = root / "music"
    music.mkdir()
    make_cut_tone(music, extension, **cut)
    server = SupysonicServer(root / "server", music)
    server.setup()
    server.start()
    return server


@pytest.fixture(scope="module")
def cut_tone_server(tmp_path_factory):
    """supysonic serving one tone cut in two MP3s (its own, so other tests' counts stay)."""
    server = _serving_a_cut_tone(tmp_path_factory)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def wav_cut_tone_server(tmp_path_factory):
    """The same as WAVs of 3 s (530 KB each): each part's bytes take long to download for
    the time it plays, as a lossless album's do."""
    server = _serving_a_cut_tone(tmp_path_factory, "wav", part_seconds=3.0)
    yield server
    server.stop()
