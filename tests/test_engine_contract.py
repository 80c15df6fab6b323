"""One contract, every engine: the null engine and the VLC engine decoding real files."""

from __future__ import annotations

import pytest

from app.errors import PlaybackError
from app.playback.audio_process import AudioProcessEngine
from app.playback.engine import EngineEventKind, EngineState
from app.playback.null_engine import NullEngine
from app.playback.vlc_engine import VlcEngine
from tests.audio import make_tone
from tests.engine_events import EngineEvents
from tests.simulated_output import gapless_on_a_simulated_card

TONE_MS = 1500


def _engine(kind: str):
    if kind == "null":
        return NullEngine()
    if kind == "vlc-gapless":  # Prelude's own output, on a simulated real-time card
        return gapless_on_a_simulated_card()
    if kind == "audio-process":  # the same, in the audio process the default output runs in
        return AudioProcessEngine(build=gapless_on_a_simulated_card)
    return VlcEngine(pcm_sink=lambda pcm: None)


@pytest.fixture(params=["null", "vlc", "vlc-gapless", "audio-process"])
def engine(request):
    made = _engine(request.param)
    yield made
    made.close()


@pytest.fixture(scope="module")
def tone(tmp_path_factory):
    return make_tone(tmp_path_factory.mktemp("contract") / "tone.ogg", 440, TONE_MS / 1000)


def test_plays_to_the_end(engine, tone):
    events = EngineEvents(engine)
    engine.load(str(tone), duration_hint_ms=TONE_MS)
    events.wait(EngineEventKind.FIRST_AUDIO)
    assert engine.state == EngineState.PLAYING
    events.wait(EngineEventKind.ENDED)
    assert abs((engine.duration_ms() or 0) - TONE_MS) < 100
    assert events.of(EngineEventKind.ERROR) == []


def test_pause_resume_and_seek(engine, tone):
    events = EngineEvents(engine)
    engine.load(str(tone), duration_hint_ms=TONE_MS)
    events.wait(EngineEventKind.FIRST_AUDIO)
    engine.pause()
    assert engine.state == EngineState.PAUSED
    events.wait(EngineEventKind.STATE, EngineState.PAUSED)
    engine.resume()
    assert engine.state == EngineState.PLAYING
    engine.seek(1000)
    events.wait(EngineEventKind.ENDED)
    assert not events.of(EngineEventKind.ERROR)


def test_start_position(engine, tmp_path):
    longer = make_tone(tmp_path / "long.flac", 440, 6.0)
    events = EngineEvents(engine)
    engine.load(str(longer), start_ms=4000, duration_hint_ms=6000)
    events.wait(EngineEventKind.FIRST_AUDIO)
    events.wait(EngineEventKind.POSITION)
    assert 3900 <= events.of(EngineEventKind.POSITION)[0].value <= 6000
    events.wait(EngineEventKind.ENDED)


def test_stop_silences_the_old_track(engine, tone):
    events = EngineEvents(engine)
    engine.load(str(tone), duration_hint_ms=TONE_MS)
    events.wait(EngineEventKind.FIRST_AUDIO)
    old = engine.generation
    engine.stop()
    assert engine.state == EngineState.IDLE
    assert engine.generation != old  # anything the old load still reports is recognisably stale


def test_missing_file_is_an_error_event_in_words(engine, tmp_path):
    events = EngineEvents(engine)
    engine.load(str(tmp_path / "gone.mp3"))
    events.wait(EngineEventKind.ERROR)
    assert "not found" in str(events.of(EngineEventKind.ERROR)[0].value)
    assert engine.state == EngineState.ERROR


@pytest.mark.parametrize("url", ["file:///etc/passwd", "smb://host/share/a.mp3",
                                 "FTP://example.invalid/a.mp3"])
def test_only_http_urls_reach_the_engine(engine, url):
    with pytest.raises(PlaybackError, match="only http"):
        engine.load(url)
