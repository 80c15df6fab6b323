"""The player end to end: real files, real libvlc, a real database, history checked."""

from __future__ import annotations

import pytest

from app.models import RepeatMode
from app.paths import resolve_profile
from app.playback.engine import EngineState
from app.playback.events import (
    PlaybackFailed,
    PlayerStateChanged,
    PositionChanged,
    QueueFinished,
    TrackStarted,
)
from app.playback.null_engine import NullEngine
from app.playback.vlc_engine import VlcEngine
from app.services import Services
from tests.audio import dominant_frequency, make_tone, pcm_to_mono
from tests.conftest import wait_until


@pytest.fixture
def library(services, tone_library):
    services.library.scanner.scan([tone_library])
    return services


def _ids(services, query):
    return services.tracks.ordered_ids(query)


def test_the_queue_plays_through_and_history_records_each_play(library, recorder_factory):
    chunks: list[bytes] = []
    player = library.start_player(VlcEngine(pcm_sink=chunks.append))
    events = recorder_factory(library.bus, TrackStarted, QueueFinished, PlaybackFailed)
    ids = _ids(library, "alpha")  # mp3 440 Hz, ogg 550 Hz, flac 660 Hz
    player.play_tracks(ids, context="album")
    events.wait_for(lambda r: r.of(QueueFinished))
    assert [e.track.id for e in events.of(TrackStarted)] == ids
    assert events.of(PlaybackFailed) == []
    history = list(reversed(library.history.recent()))
    assert [e.track_id for e in history] == ids
    for event in history:
        assert (event.end_reason, event.context, event.audio_source) == ("completed", "album", "local")
        assert event.startup_ms is not None and 0 <= event.startup_ms < 2000
        assert 500 <= event.ms_played <= 2500
    samples = pcm_to_mono(b"".join(chunks))
    assert 4.2 < samples.size / 44100 < 5.0  # three 1.5 s tracks
    third = samples[-int(0.6 * 44100):-int(0.2 * 44100)]
    assert abs(dominant_frequency(third) - 660) < 5  # the last one is the 660 Hz track


def test_errors_are_reported_in_words_recorded_and_skipped(library, recorder_factory, tmp_path):
    extra = tmp_path / "extra"
    make_tone(extra / "gone.flac", 300, 0.5, title="Gone Song", artist="Zed")
    broken = make_tone(extra / "broken.mp3", 300, 0.5, title="Broken Song", artist="Zed")
    library.library.scanner.scan([extra])
    (extra / "gone.flac").unlink()
    broken.write_bytes(b"\xff\xfb\x90\x00" + bytes(range(256)) * 8)

    player = library.start_player(VlcEngine(pcm_sink=lambda pcm: None))
    events = recorder_factory(library.bus, TrackStarted, QueueFinished, PlaybackFailed)
    good = _ids(library, "opening")
    ids = _ids(library, "gone") + _ids(library, "broken") + good
    player.play_tracks(ids)
    events.wait_for(lambda r: r.of(QueueFinished))
    messages = [e.message for e in events.of(PlaybackFailed)]
    assert messages[0].startswith("Could not play “Zed — Gone Song”: File not found")
    assert messages[1] == "Could not play “Zed — Broken Song”: the file could not be decoded"
    reasons = [(e.track_id, e.end_reason) for e in reversed(library.history.recent())]
    assert reasons == [(ids[0], "error"), (ids[1], "error"), (good[0], "completed")]


def test_a_queue_where_nothing_plays_stops_with_a_message(library, recorder_factory, tmp_path):
    player = library.start_player(VlcEngine(pcm_sink=lambda pcm: None))
    events = recorder_factory(library.bus, QueueFinished, PlaybackFailed)
    ids = _ids(library, "beta")
    library.db.conn.execute("UPDATE tracks SET location = location || '.missing'")
    player.set_repeat(RepeatMode.ALL)  # would loop forever if failures did not stop it
    player.play_tracks(ids)
    events.wait_for(lambda r: r.of(QueueFinished))
    assert events.of(PlaybackFailed)[-1].message == "None of the tracks in the queue could be played."
    assert player.call(lambda: player.state) == EngineState.ERROR


def test_skip_stop_previous_and_states_with_the_null_engine(library, recorder_factory):
    player = library.start_player(NullEngine(speed=0.5))
    events = recorder_factory(library.bus, TrackStarted, PlayerStateChanged)
    ids = _ids(library, "")
    player.play_tracks(ids, start_index=0)
    events.wait_for(lambda r: len(r.of(TrackStarted)) == 1)
    player.next()
    events.wait_for(lambda r: len(r.of(TrackStarted)) == 2)
    player.pause()
    events.wait_for(lambda r: r.of(PlayerStateChanged)[-1].state == EngineState.PAUSED)
    player.toggle()
    events.wait_for(lambda r: r.of(PlayerStateChanged)[-1].state == EngineState.PLAYING)
    player.previous()  # early in the track: goes back to the first one
    events.wait_for(lambda r: len(r.of(TrackStarted)) == 3)
    assert events.of(TrackStarted)[-1].track.id == ids[0]
    player.stop()
    events.wait_for(lambda r: r.of(PlayerStateChanged)[-1].state == EngineState.IDLE)
    reasons = [e.end_reason for e in reversed(library.history.recent())]
    assert reasons == ["skipped", "skipped", "stopped"]


def test_the_app_reopens_on_the_same_track_and_position(library, recorder_factory):
    player = library.start_player(NullEngine(speed=0.1))
    events = recorder_factory(library.bus, TrackStarted)
    ids = _ids(library, "")
    player.play_tracks(ids, start_index=2)
    events.wait_for(lambda r: r.of(TrackStarted))
    player.seek(1200)
    player.set_shuffle(True)
    player.pause()
    player.shutdown()
    library.close()

    reopened = Services.open(resolve_profile(library.profile.data_dir))
    try:
        player = reopened.start_player(NullEngine(speed=0.1))
        events = recorder_factory(reopened.bus, TrackStarted)
        restored = player.call(player._restore)
        assert restored.id == ids[2]
        assert player.queue.shuffle and player.queue.track_ids == ids
        assert 1100 <= player.position_ms <= 1400
        player.toggle()  # resumes where it was
        events.wait_for(lambda r: r.of(TrackStarted))
        assert events.of(TrackStarted)[0].track.id == ids[2]
        assert player.call(player.engine.position_ms) >= 1100
    finally:
        reopened.close()


def test_a_pause_is_shown_and_saved_where_the_engine_stopped(library, recorder_factory):
    """Positions are published 5 times a second; the pause itself says where it stopped, so the
    slider, the saved queue and a server's paused report agree with the engine."""
    player = library.start_player(NullEngine())
    positions = recorder_factory(library.bus, PositionChanged)
    player.play_tracks(_ids(library, ""))
    wait_until(lambda: player.call(player.engine.position_ms) > 100)
    player.pause()
    stopped_at = player.call(player.engine.position_ms)
    assert stopped_at > 100
    assert positions.of(PositionChanged)[-1].position_ms == stopped_at
    assert library.queue_store.load().position_ms == stopped_at
