"""The default output's own process: the app drives it like any engine, survives its death, and
never leaves it behind."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.playback.audio_process import AudioProcessEngine
from app.playback.engine import EngineEventKind, EngineState
from tests.audio import make_tone
from tests.conftest import WAIT_S
from tests.engine_events import EngineEvents
from tests.simulated_output import gapless_on_a_simulated_card

ROOT = Path(__file__).parent.parent


@pytest.fixture
def engine():
    made = AudioProcessEngine(build=gapless_on_a_simulated_card)
    yield made
    made.close()


def _wait_for_exit(pid: int) -> bool:
    """True once the process has ended (waited on as an event, not polled)."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([handle], [], [], WAIT_S)[0])
    finally:
        os.close(handle)


def test_a_killed_audio_process_is_said_in_words_and_the_next_track_plays(engine, tmp_path):
    tone = make_tone(tmp_path / "tone.flac", 440, 4.0)
    events = EngineEvents(engine)
    engine.load(str(tone), duration_hint_ms=4000)
    events.wait(EngineEventKind.FIRST_AUDIO)
    first_child, killed_generation = engine._process.pid, engine.generation
    os.kill(first_child, signal.SIGKILL)  # as a crash inside libvlc would end it
    events.wait(EngineEventKind.ERROR)
    assert "audio engine stopped unexpectedly" in events.of(EngineEventKind.ERROR)[0].value
    engine.load(str(tone), duration_hint_ms=4000)
    assert engine._process.pid != first_child
    assert engine.generation > killed_generation  # the old load's events stay recognisably old
    events.wait(EngineEventKind.FIRST_AUDIO)
    assert engine.state == EngineState.PLAYING


def test_errors_raised_in_the_audio_process_reach_the_caller_in_words(engine):
    with pytest.raises(Exception, match="only http"):
        engine.load("ftp://example.invalid/a.mp3")
    assert engine.state == EngineState.EMPTY  # and it still answers


def test_the_audio_process_ends_with_the_app_even_after_kill_9(tmp_path):
    tone = make_tone(tmp_path / "tone.flac", 440, 30.0)
    app = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\n"
         "from app.playback.audio_process import AudioProcessEngine\n"
         "from tests.simulated_output import gapless_on_a_simulated_card\n"
         "if __name__ == '__main__':\n"
         "    engine = AudioProcessEngine(build=gapless_on_a_simulated_card)\n"
         "    engine.load(sys.argv[1])\n"
         "    print(engine._process.pid, flush=True)\n"
         "    sys.stdin.read()\n", str(tone)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        audio_pid = int(app.stdout.readline())
        app.kill()
        app.wait(WAIT_S)
        assert _wait_for_exit(audio_pid), "the audio process outlived the app"
    finally:
        app.kill()


def test_the_offered_next_track_starts_in_the_audio_process_and_the_app_adopts_it(engine, tmp_path):
    first = make_tone(tmp_path / "first.flac", 440, 1.0)
    second = make_tone(tmp_path / "second.flac", 660, 1.0)
    events = EngineEvents(engine)
    engine.load(str(first), duration_hint_ms=1000)
    events.wait(EngineEventKind.FIRST_AUDIO)
    first_heard = events.of(EngineEventKind.FIRST_AUDIO)[0].at
    ended = engine.generation
    engine.set_next(str(second), 1000)  # it may come after the end (a short track): still on time
    events.wait_for(lambda e: e.kind == EngineEventKind.ENDED and e.generation == ended)
    busy_until = time.monotonic() + 2.5  # the app too busy to load it for longer than the tail
    while time.monotonic() < busy_until:
        sorted(range(500_000, 0, -1))
    engine.load(str(second), 0, 1000, continuing=True)
    assert engine.generation == ended + 1
    events.wait(EngineEventKind.FIRST_AUDIO)  # held for the app, then handed over
    second_heard = events.of(EngineEventKind.FIRST_AUDIO)[0].at
    assert abs(second_heard - first_heard - 1.0) < 0.05  # right after the first: no gap
    events.wait(EngineEventKind.ENDED)
    assert events.of(EngineEventKind.ERROR) == []


def test_a_different_track_than_offered_is_loaded_as_asked(engine, tmp_path):
    first = make_tone(tmp_path / "first.flac", 440, 1.0)
    offered = make_tone(tmp_path / "offered.flac", 660, 1.0)
    asked = make_tone(tmp_path / "asked.flac", 880, 1.5)
    events = EngineEvents(engine)
    engine.load(str(first), duration_hint_ms=1000)
    ended = engine.generation
    engine.set_next(str(offered), 1000)
    events.wait_for(lambda e: e.kind == EngineEventKind.ENDED and e.generation == ended)
    engine.load(str(asked), 0, 1500, continuing=True)  # the queue changed at the last moment
    assert engine.generation == ended + 2  # the offered one started and was replaced
    events.wait(EngineEventKind.DURATION)
    assert events.of(EngineEventKind.DURATION)[-1].value == 1500


def test_a_track_offered_after_the_end_stays_new_to_the_app_until_its_load(engine, tmp_path):
    """The next track offered only after the current one was decoded to its end (its download
    finished late) starts at once in the audio process; the answer to that offer must not make
    it the app's track yet, or the app drops the end it waits for as stale and takes the new
    track's end for it (then waits forever for an end that came already)."""
    first = make_tone(tmp_path / "first.flac", 440, 0.5)
    second = make_tone(tmp_path / "second.flac", 660, 0.5)
    events = EngineEvents(engine)
    engine.load(str(first), duration_hint_ms=500)
    ended = engine.generation
    events.wait_for(lambda e: e.kind == EngineEventKind.ENDED and e.generation == ended)
    engine.set_next(str(second), 500)  # after the end: started there at once
    assert engine.generation == ended  # still the app's first track
    second_ended = threading.Event()
    engine.set_listener(lambda e: e.kind == EngineEventKind.ENDED and e.generation > ended
                        and second_ended.set())
    assert not second_ended.wait(1.5)  # the second's end held back while the app is busy...
    engine.load(str(second), 0, 500, continuing=True)  # ...until its load adopts it
    assert engine.generation == ended + 1
    assert second_ended.wait(WAIT_S)  # then handed over: the player moves on
