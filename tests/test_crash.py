"""kill -9 at random moments of a real `prelude play` process: no finished play is ever lost."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

import pytest

from app.paths import resolve_profile
from app.services import Services
from tests.cli import PRELUDE, prelude_env, run_prelude
from tests.conftest import wait_until

pytestmark = pytest.mark.reliability

KILLS = 12


def _completed(data_dir) -> tuple[int, str]:
    services = Services.open(resolve_profile(data_dir))  # also closes the interrupted play
    try:
        open_rows = services.db.scalar("SELECT count(*) FROM play_events WHERE ended_at IS NULL")
        assert open_rows == 0
        return services.db.scalar(
            "SELECT count(*) FROM play_events WHERE end_reason = 'completed'"
        ), services.db.integrity_check()
    finally:
        services.close()


def test_kill_9_during_playback_never_loses_a_finished_play(tmp_path, tone_library):
    data = tmp_path / "data"
    assert run_prelude(data, "scan", str(tone_library)).returncode == 0
    rng = random.Random(2024)
    completed_before, _ = _completed(data)
    for _ in range(KILLS):
        process = subprocess.Popen(
            [PRELUDE, "play", "", "--headless", "--audio-out", str(tmp_path / "out.wav")],
            env=prelude_env(data), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Wait for the first track to start, then kill at a random moment after it.
        first = process.stdout.readline()
        assert first.startswith("▶"), process.stderr.read()
        time.sleep(rng.uniform(0.0, 2.5))  # the random kill moment itself, not synchronisation
        process.send_signal(signal.SIGKILL)
        rest, _ = process.communicate(timeout=30)
        started = 1 + sum(1 for line in rest.splitlines() if line.startswith("▶"))
        completed_after, integrity = _completed(data)
        assert integrity == "ok"
        # Every track that was followed by another one finished before the next started.
        assert completed_after - completed_before >= started - 1
        completed_before = completed_after


def _running(pid: int) -> bool:
    """Alive and not a zombie (a container's first process may never reap an orphan)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return not any(line.startswith("State:") and "Z" in line.split()[1]
                           for line in status)
    except FileNotFoundError:
        return False


def test_a_child_at_work_ends_when_the_app_is_killed(tmp_path):
    """A training or loudness child of an app that was killed with -9 must not run on for
    nobody (a child left behind by a killed window ran at full speed for 20 minutes)."""
    parent = subprocess.Popen([sys.executable, "-m", "tests.orphan_parent"], stdout=subprocess.PIPE,
                              stdin=subprocess.PIPE, text=True, env=prelude_env(tmp_path))
    child = int(parent.stdout.readline())
    assert _running(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    wait_until(lambda: not _running(child))  # it ran on after the app was killed, before
