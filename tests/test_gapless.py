"""Prelude's own output: real libvlc decoding into the PcmRing, played by a simulated real-time
card that keeps every sample it played, so what a listener hears is checked sample for sample."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import soundfile

from app.bench.gap_bench import decode_alone, make_cut_tone
from app.bench.pcm_analysis import RATE, audible_seconds, dominant_frequency, longest_silence_s
from app.bench.simulated_card import SimulatedCard
from app.errors import PlaybackError
from app.playback.engine import EngineEventKind
from app.playback.events import (
    PlaybackFailed,
    PositionChanged,
    QueueFinished,
    TrackFinished,
)
from app.playback.gapless_output import GaplessOutput
from app.playback.pcm_ring import PcmRing
from app.playback.vlc_engine import VlcEngine
from tests.conftest import WAIT_S
from tests.engine_events import EngineEvents


def _gapless_engine(card=None) -> tuple[VlcEngine, SimulatedCard]:
    card = card or SimulatedCard()
    return VlcEngine(gapless=GaplessOutput(card)), card


def _scan(services, folder):
    services.library.scanner.scan([folder])
    return {track.title: track.id for track in services.tracks.search("")}


def _write(path, *parts: tuple[float, float]) -> None:
    """A FLAC of consecutive tones: (frequency, seconds) each."""
    tones = [0.3 * np.sin(2 * np.pi * freq * np.arange(int(secs * RATE)) / RATE)
             for freq, secs in parts]
    mono = np.concatenate(tones)
    soundfile.write(path, np.stack([mono, mono], axis=1), RATE, format="FLAC")


def _frequency_at(samples: np.ndarray, start_s: float, length_s: float = 0.05) -> float:
    return dominant_frequency(samples[int(start_s * RATE): int((start_s + length_s) * RATE)])


def _last_at(samples: np.ndarray, frequency: float, step_s: float = 0.01,
             window_s: float = 0.05) -> float:
    """Where the last 50 ms window dominated by `frequency` ends, in seconds (to 10 ms)."""
    last = 0.0
    for start in np.arange(0, samples.size / RATE - window_s, step_s):
        window = samples[int(start * RATE): int((start + window_s) * RATE)]
        if np.abs(window).max() > 0.01 and abs(dominant_frequency(window) - frequency) < 30:
            last = start + window_s
    return last


def _audible_s(samples: np.ndarray) -> float:
    return audible_seconds(samples, threshold=0.02)  # the tones here are at 0.3 or quieter


@pytest.mark.parametrize("extension", ["wav", "flac", "ogg", "mp3"])
def test_an_album_cut_in_two_plays_without_a_gap(services, tmp_path, recorder_factory,
                                                  extension):
    first, second = make_cut_tone(tmp_path, extension)
    ids = _scan(services, tmp_path)
    engine, card = _gapless_engine()
    player = services.start_player(engine)
    events = recorder_factory(services.bus, TrackFinished, QueueFinished)
    player.play_tracks([ids[f"{extension} part 1"], ids[f"{extension} part 2"]])
    events.wait_for(lambda r: r.of(QueueFinished))
    assert engine._gapless.ring.wait_until_empty(WAIT_S)  # the last track's tail is heard too
    heard = card.played_mono()
    # The gap bench measured the files' own silence at the cut: 0 for these, 3.1 ms for Vorbis.
    own_ms = 3.2 if extension == "ogg" else 0.0
    assert longest_silence_s(heard) * 1000 <= own_ms + 1.0
    # Both halves whole: as long as libvlc makes each file when decoding it alone (its Vorbis
    # decoder drops ~30 ms of every file, whichever output it feeds).
    whole = _audible_s(decode_alone(first)) + _audible_s(decode_alone(second))
    assert abs(_audible_s(heard) - whole) < 0.005
    assert [e.end_reason for e in events.of(TrackFinished)] == ["completed", "completed"]
    assert [e.track_id for e in services.history.recent()] == [ids[f"{extension} part 2"],
                                                              ids[f"{extension} part 1"]]


def test_a_skip_cuts_the_queued_audio_of_the_old_track(services, tmp_path, recorder_factory):
    _write(tmp_path / "low.flac", (440, 4.0))
    _write(tmp_path / "high.flac", (880, 2.0))
    ids = _scan(services, tmp_path)
    engine, card = _gapless_engine()
    player = services.start_player(engine)
    events = recorder_factory(services.bus, PositionChanged, QueueFinished)
    player.play_tracks([ids["low"], ids["high"]])
    events.wait_for(lambda r: any(e.position_ms >= 800 for e in r.of(PositionChanged)))
    skipped_at = card.played_s()
    player.next()
    events.wait_for(lambda r: r.of(QueueFinished))
    heard = card.played_mono()
    # Only what the card had already taken, plus the moment the command needs, is old audio.
    assert 0.8 < _last_at(heard, 440) < skipped_at + 0.05
    assert abs(_frequency_at(heard, _last_at(heard, 440) + 0.05) - 880) < 5


def test_seek_lands_where_asked_and_the_position_follows_what_is_heard(tmp_path):
    _write(tmp_path / "two.flac", (440, 3.0), (880, 3.0))
    engine, card = _gapless_engine()
    events = EngineEvents(engine)
    try:
        engine.load(str(tmp_path / "two.flac"))
        events.wait_for(lambda e: e.kind == EngineEventKind.FIRST_AUDIO)
        seek_at = card.played_s()
        engine.seek(4000)
        events.wait_for(lambda e: e.kind == EngineEventKind.POSITION and e.value >= 4300)
        heard = card.played_mono()
        assert _last_at(heard, 440) < seek_at + 0.05  # the old place stops at once
        assert abs(_frequency_at(heard, heard.size / RATE - 0.1) - 880) < 5
        # The position is the audio the card took since the seek, not libvlc's decoding clock
        # (which runs ahead by what is queued).
        played_since = heard.size / RATE - _last_at(heard, 440)
        assert abs(engine.position_ms() - (4000 + played_since * 1000)) < 60
    finally:
        engine.close()


def _loud_runs(samples: np.ndarray, min_gap_s: float = 0.005) -> list[tuple[int, int]]:
    """(first, last) sample of each stretch of sound, split at silences of min_gap_s or more."""
    loud = np.flatnonzero(np.abs(samples) > 0.02)
    breaks = np.flatnonzero(np.diff(loud) > min_gap_s * RATE)
    starts = [loud[0], *loud[breaks + 1]]
    ends = [*loud[breaks], loud[-1]]
    return list(zip(starts, ends, strict=True))


def test_pause_is_silent_at_once_and_resume_loses_nothing(tmp_path):
    _write(tmp_path / "tone.flac", (440, 2.0))
    engine, card = _gapless_engine()
    events = EngineEvents(engine)
    try:
        engine.load(str(tmp_path / "tone.flac"))
        events.wait_for(lambda e: e.kind == EngineEventKind.POSITION and e.value >= 500)
        engine.pause()
        paused_at, position = card.played_s(), engine.position_ms()
        assert engine._gapless.ring.queued_s() > 0.1  # audio was waiting: pause kept it
        assert card.wait_until_played(paused_at + 0.1, WAIT_S)  # a tenth of a second paused
        resumed_at = card.played_s()
        assert engine.position_ms() == position  # nothing played while paused
        engine.resume()
        events.wait_for(lambda e: e.kind == EngineEventKind.ENDED)
        assert engine._gapless.ring.wait_until_empty(WAIT_S)
        runs = _loud_runs(card.played_mono())
        assert len(runs) == 2  # before the pause and after it
        (first, pause_from), (pause_to, last) = runs
        assert pause_from / RATE < paused_at + 0.02  # silent within a card period or two
        assert pause_to / RATE >= resumed_at - 0.01  # and no sound until resumed
        # Every sample once: the two stretches add up to the file.
        assert abs((pause_from - first + 1 + last - pause_to + 1) / RATE - 2.0) < 0.003
    finally:
        engine.close()


def test_volume_changes_what_comes_out_next_not_after_the_queue(tmp_path):
    _write(tmp_path / "tone.flac", (440, 3.0))
    engine, card = _gapless_engine()
    events = EngineEvents(engine)
    try:
        engine.set_volume(100)
        engine.load(str(tmp_path / "tone.flac"))
        events.wait_for(lambda e: e.kind == EngineEventKind.POSITION and e.value >= 500)
        engine.set_volume(50)
        changed_at = card.played_s()
        events.wait_for(lambda e: e.kind == EngineEventKind.POSITION and e.value >= 1500)
        heard = card.played_mono()
        before = np.abs(heard[int((changed_at - 0.2) * RATE): int(changed_at * RATE)]).max()
        after = np.abs(heard[int((changed_at + 0.03) * RATE): int((changed_at + 0.2) * RATE)]).max()
        assert after / before == pytest.approx(0.5 ** 3, rel=0.02)  # cubic, as libvlc's outputs
    finally:
        engine.close()


class StuckCard(SimulatedCard):
    """A device that stopped taking audio (unplugged, or its driver hung)."""

    def start(self, source) -> None:
        self.source = source


def test_a_stuck_device_never_hangs_skips_or_closing(tmp_path):
    _write(tmp_path / "a.flac", (440, 5.0))
    _write(tmp_path / "b.flac", (880, 5.0))
    engine, _ = _gapless_engine(StuckCard())
    done = threading.Event()

    def skip_then_close():
        engine.load(str(tmp_path / "b.flac"))  # libvlc's audio thread is waiting for room
        engine.close()
        done.set()

    engine.load(str(tmp_path / "a.flac"))
    ring = engine._gapless.ring
    with ring._lock:  # a stuck device hears nothing: wait until the decoder waits for room
        assert ring._lock.wait_for(lambda: ring._queued_frames >= ring.ahead_frames, WAIT_S)
    threading.Thread(target=skip_then_close, daemon=True).start()
    assert done.wait(WAIT_S)


def _pcm(seconds: float, value: int = 1000) -> bytes:
    return np.full(int(seconds * RATE) * 2, value, dtype=np.int16).tobytes()


def test_the_ring_counts_each_track_and_a_clear_frees_a_waiting_writer():
    ring = PcmRing(ahead_s=0.1)
    ring.write(_pcm(0.1), generation=1)
    returned = threading.Event()
    writer = threading.Thread(target=lambda: (ring.write(_pcm(0.1), 1), returned.set()))
    writer.start()
    assert not returned.wait(0.2)  # full: the decoder waits, as on a device
    ring.clear()
    assert returned.wait(WAIT_S)
    assert ring.queued_s() == 0  # the waiting chunk went with the rest
    ring.write(_pcm(0.05, 100), generation=1)
    ring.write(_pcm(0.05, 200), generation=2)
    out = bytearray(int(0.08 * RATE) * 4)
    ring.fill(out)
    assert ring.played_frames(1) == int(0.05 * RATE)
    assert ring.played_frames(2) == int(0.08 * RATE) - int(0.05 * RATE)


def test_only_a_flush_after_a_seek_drops_audio():
    ring = PcmRing(ahead_s=1.0)
    ring.write(_pcm(0.2), generation=1)
    ring.flushed()  # libvlc flushes when a media stops too: the queued tail stays
    assert ring.queued_s() == pytest.approx(0.2, abs=0.001)
    ring.drop_until_flush()
    ring.write(_pcm(0.2), generation=1)  # decoded before the seek, handed over after it
    assert ring.queued_s() == 0
    ring.flushed()
    ring.write(_pcm(0.2), generation=1)
    assert ring.queued_s() == pytest.approx(0.2, abs=0.001)


def test_server_tracks_through_the_stream_proxy_play_without_a_gap(services, cut_tone_server,
                                                                   recorder_factory, tmp_path):
    from app.bench.supysonic_server import PASSWORD, USER
    from app.catalog.servers import ServerConfig

    services.servers.save(ServerConfig("home", cut_tone_server.url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for("home"))
    ids = {track.title: track.id for track in services.tracks.search("")}
    engine, card = _gapless_engine()
    player = services.start_player(engine)
    events = recorder_factory(services.bus, TrackFinished, QueueFinished)
    player.play_tracks([ids["mp3 part 1"], ids["mp3 part 2"]])
    events.wait_for(lambda r: r.of(QueueFinished))
    assert engine._gapless.ring.wait_until_empty(WAIT_S)
    assert [e.end_reason for e in events.of(TrackFinished)] == ["completed", "completed"]
    heard = card.played_mono()
    assert longest_silence_s(heard) < 0.001  # the second opened over HTTP within the 300 ms
    local = make_cut_tone(tmp_path, "mp3")
    whole = _audible_s(decode_alone(local[0])) + _audible_s(decode_alone(local[1]))
    assert abs(_audible_s(heard) - whole) < 0.005


def test_the_next_server_track_is_offered_to_the_output_as_the_one_before_starts(
        services, cut_tone_server, recorder_factory):
    """The next server track is told to the output when the one before starts, as the stream
    proxy's URL (its own process serves it as the cache fills), so the audio process starts it
    at the cut on its own, however busy the app's process is. Before, a track was offered only
    once its whole file was in the cache, and a busy app's download came too late for the cut
    (holes of 0.2-5 s in test_sound_server_output). Once offered as a stream it is not taken
    back for the file: the output may have started it already."""
    from app.bench.supysonic_server import PASSWORD, USER
    from app.catalog.servers import ServerConfig
    from app.streaming.cache import cache_key
    from app.streaming.events import CacheProgress

    services.servers.save(ServerConfig("home", cut_tone_server.url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for("home"))
    ids = {track.title: track.id for track in services.tracks.search("")}
    engine, _ = _gapless_engine()
    offers = []
    # Taken, as the audio process takes offers (this engine in the test's process takes none).
    engine.set_next = lambda source, hint=None, fade=None: offers.append(source) or True
    player = services.start_player(engine)
    events = recorder_factory(services.bus, CacheProgress, TrackFinished)
    player.play_tracks([ids["mp3 part 1"], ids["mp3 part 2"]])
    player.call(lambda: None)  # the first track's load is done
    second = services.tracks.get(ids["mp3 part 2"])
    proxy_url = (f"http://127.0.0.1:{services.streams.proxy.port}/"
                 f"{services.streams.proxy.token}/{cache_key('home', second.location)}")
    assert [offer for offer in offers if offer] == [proxy_url]
    events.wait_for(lambda r: any(e.track_id == second.id and e.complete
                                  for e in r.of(CacheProgress)))
    player.call(lambda: None)  # what the completion asked of the player thread is done
    assert not events.of(TrackFinished)  # still within the first track
    assert services.audio_cache.complete_file("home", second.location) is not None
    assert [offer for offer in offers if offer] == [proxy_url]  # the stream stays what follows


def test_the_window_drives_the_gapless_output(qtbot, services, tmp_path):
    from PySide6.QtCore import Qt

    from app.playback.engine import EngineState
    from tests.gui_window import WAIT_MS, library_window

    (tmp_path / "music").mkdir()
    make_cut_tone(tmp_path / "music", "flac")
    engine, card = _gapless_engine()
    with library_window(qtbot, services, tmp_path / "music", engine) as window:
        services.set_autoplay(False)  # the album, then silence
        window.table.setFocus()
        with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
            qtbot.keyClick(window.table, Qt.Key_Space)  # plays the library from the top
        slider = window.transport.seek_slider
        qtbot.waitUntil(lambda: slider.value() >= 1000, timeout=WAIT_MS)
        qtbot.mouseClick(window.transport.play_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: window.player.state == EngineState.PAUSED, timeout=WAIT_MS)
        paused_at, shown = card.played_s(), slider.value()
        assert card.wait_until_played(paused_at + 0.2, WAIT_S)
        heard = card.played_mono()
        assert np.abs(heard[int((paused_at + 0.03) * RATE):]).max() == 0  # silent while paused
        # The slider shows what was heard: the card's tone so far, not libvlc's decoding clock.
        assert abs(shown - _audible_s(heard) * 1000) < 300
        with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
            qtbot.mouseClick(window.transport.play_button, Qt.LeftButton)  # on to part 2
        qtbot.waitUntil(lambda: window.player.state == EngineState.EMPTY, timeout=WAIT_MS)
        assert engine._gapless.ring.wait_until_empty(WAIT_S)
        runs = _loud_runs(card.played_mono())
        assert len(runs) == 2  # the pause is the only silence: none at the cut


class BusyCard(SimulatedCard):
    """A device another program holds exclusively."""

    def start(self, source) -> None:
        raise PlaybackError("The sound device could not be opened: Device or resource busy.")


def test_a_device_that_cannot_open_falls_back_to_vlcs_output(services, tmp_path,
                                                             recorder_factory):
    _write(tmp_path / "short.flac", (440, 2.0))
    ids = _scan(services, tmp_path)
    engine, _ = _gapless_engine(BusyCard())
    player = services.start_player(engine)
    events = recorder_factory(services.bus, PlaybackFailed, TrackFinished, QueueFinished)
    player.play_tracks([ids["short"]])
    events.wait_for(lambda r: r.of(QueueFinished))
    assert [e.end_reason for e in events.of(TrackFinished)] == ["completed"]  # it played
    assert [e.message for e in events.of(PlaybackFailed)] == [
        "The sound device could not be opened: Device or resource busy. Playing through VLC's "
        "own output instead (with a short gap between tracks)."]


def test_audio_a_device_hands_back_at_a_pause_plays_next_in_order():
    """A pause takes back what the device was fed but never played: it goes back in front,
    counts as not played, and is the first thing taken on resume."""
    ring = PcmRing(ahead_s=1.0)
    ring.write(_pcm(0.05, 100), generation=1)
    ring.write(_pcm(0.05, 200), generation=2)
    taken = ring.take(int(0.08 * RATE))
    assert [generation for generation, _ in taken] == [1, 2]
    unplayed = [taken[-1]]  # the device played generation 1's audio, not yet generation 2's
    ring.pause()
    assert ring.take(100) == []  # nothing is fed while paused
    ring.give_back(unplayed)
    assert ring.played_frames(2) == 0
    ring.resume()
    again = ring.take(int(0.05 * RATE))
    assert again[0] == unplayed[0]  # the same samples, first
    assert b"".join(pcm for _, pcm in again) == _pcm(0.05, 200)
