"""Desktop integration of the real app: MPRIS on a private D-Bus session, driven and watched
with `playerctl`; one instance per profile."""

from __future__ import annotations

import shutil
import subprocess
import threading

import pytest

from tests.audio import make_tone
from tests.cli import PRELUDE, prelude_env, run_prelude

WAIT_S = 30
FORMAT = "{{status}}|{{title}}|{{volume}}|{{shuffle}}|{{loop}}|{{mpris:length}}"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run 'bash .ci/setup --dev'")
    return path


@pytest.fixture
def session_bus():
    daemon = subprocess.Popen([_tool("dbus-daemon"), "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    address = daemon.stdout.readline().strip()
    assert address.startswith("unix:"), address
    yield address
    daemon.terminate()
    daemon.wait(10)


class Follower:
    """`playerctl --follow`: one line per change the app announces (PropertiesChanged)."""

    def __init__(self, env: dict, *what: str):
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._process = subprocess.Popen(
            [_tool("playerctl"), "-p", "prelude", "--follow", *(what or ("metadata", "--format", FORMAT))],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self._process.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def wait_until(self, predicate) -> str:
        with self._cond:
            if not self._cond.wait_for(lambda: self.lines and predicate(self.lines[-1]), WAIT_S):
                raise AssertionError(f"not seen; saw {self.lines[-5:]}")
            return self.lines[-1]

    def wait_for(self, status: str | None = None, title: str | None = None, **fields) -> list[str]:
        def matches(line: str) -> bool:
            parts = dict(zip(("status", "title", "volume", "shuffle", "loop", "length"),
                             line.split("|"), strict=False))
            wanted = {"status": status, "title": title, **fields}
            return all(value is None or parts.get(key) == value for key, value in wanted.items())

        with self._cond:
            if not self._cond.wait_for(lambda: self.lines and matches(self.lines[-1]), WAIT_S):
                raise AssertionError(f"no {status} {title} {fields}; saw {self.lines[-5:]}")
            return self.lines[-1].split("|")

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(10)


@pytest.fixture
def query():
    return "tone"


@pytest.fixture
def app(tmp_path, session_bus, query):
    music = tmp_path / "music"
    for number, (title, hz) in enumerate((("Tone One", 440), ("Tone Two", 550), ("Tone Three", 660)), 1):
        make_tone(music / f"{number:02d} {title}.ogg", hz, 120, title=title, artist="Mpris Band",
                  album="Bus Songs", track=number)
    profile = tmp_path / "profile"
    assert run_prelude(profile, "scan", str(music)).returncode == 0
    env = {**prelude_env(profile), "DBUS_SESSION_BUS_ADDRESS": session_bus, "QT_QPA_PLATFORM": "offscreen"}
    follower = Follower(env)
    process = subprocess.Popen([PRELUDE, "play", query], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    yield env, follower
    follower.close()
    process.terminate()
    assert process.wait(20) == 0 or process.returncode < 0, process.stderr.read()


def _ctl(env: dict, *args: str) -> str:
    done = subprocess.run([_tool("playerctl"), "-p", "prelude", *args], env=env, capture_output=True,
                          text=True, timeout=WAIT_S)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_playerctl_sees_and_drives_the_player(app):
    env, follower = app
    line = follower.wait_for("Playing", "Tone One")
    assert line[5] == "120000000"  # mpris:length in microseconds
    assert _ctl(env, "metadata", "xesam:album") == "Bus Songs"
    assert _ctl(env, "metadata", "xesam:artist") == "Mpris Band"
    assert _ctl(env, "metadata", "mpris:trackid").startswith("'/org/prelude/track/")  # an object path

    _ctl(env, "play-pause")
    follower.wait_for("Paused", "Tone One")
    _ctl(env, "play")
    follower.wait_for("Playing", "Tone One")
    _ctl(env, "next")
    follower.wait_for("Playing", "Tone Two")
    _ctl(env, "previous")
    follower.wait_for("Playing", "Tone One")

    positions = Follower(env, "position")  # printed on each Seeked signal
    _ctl(env, "position", "12")
    assert 12 <= float(positions.wait_until(lambda line: float(line) >= 12)) < 60
    positions.close()
    _ctl(env, "volume", "0.4")
    follower.wait_until(lambda line: abs(float(line.split("|")[2]) - 0.4) < 1e-6)
    _ctl(env, "shuffle", "On")
    follower.wait_for(shuffle="true")
    _ctl(env, "loop", "Track")
    follower.wait_for(loop="Track")
    assert _ctl(env, "loop") == "Track" and _ctl(env, "shuffle") == "On"
    _ctl(env, "stop")
    follower.wait_for("Stopped")


@pytest.mark.parametrize("query", ["tone one"])
def test_a_second_launch_hands_over_to_the_running_one(app):
    env, follower = app
    follower.wait_for("Playing", "Tone One")
    second = subprocess.run([PRELUDE, "play", "tone three"], env=env, capture_output=True, text=True,
                            timeout=WAIT_S)
    assert second.returncode == 0 and "already running" in second.stderr
    _ctl(env, "next")  # the running one queued the match after what it plays
    follower.wait_for("Playing", "Tone Three")
    plain = subprocess.run([PRELUDE], env=env, capture_output=True, text=True, timeout=WAIT_S)
    assert plain.returncode == 0 and "already running" in plain.stderr
    follower.wait_for("Playing", "Tone Three")  # raising the window changed nothing else
    # From a shell with no display (ssh, a script): still handed over, not refused.
    shell = {key: value for key, value in env.items()
             if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    remote = subprocess.run([PRELUDE, "play", "tone two"], env=shell, capture_output=True,
                            text=True, timeout=WAIT_S)
    assert remote.returncode == 0 and "already running" in remote.stderr, remote.stderr
    _ctl(env, "next")
    follower.wait_for("Playing", "Tone Two")
