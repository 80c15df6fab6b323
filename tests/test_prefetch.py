"""The prefetcher against a scriptable server: order, cancellation, the cap, integrity, Range."""

from __future__ import annotations

import os
import threading
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog.client import SubsonicClient
from app.catalog.servers import ServerConfig
from app.models import AudioSource
from app.playback.sources import Sources
from app.settings import CACHE_CAP_BYTES
from app.streaming.cache import AudioCache
from app.streaming.prefetcher import Prefetcher, head_bytes
from app.streaming.server_streams import ServerStreams
from tests.fake_subsonic import FakeSubsonic, make_songs

SONG_BYTES = 600_000
DOWNLOAD_CHUNK = 256 * 1024  # the most one read of a download brings (open_download's chunk)


@pytest.fixture
def linked(services):
    songs = make_songs(8)
    for song in songs:
        song["size"] = SONG_BYTES
        song["bitRate"] = 128
    fake = FakeSubsonic(songs)
    fake.payloads = {s["id"]: os.urandom(SONG_BYTES) for s in songs}
    services.servers.save(ServerConfig("fake", fake.url, "u", auth="token"), "pw")
    client = SubsonicClient("fake", fake.url, "u", "pw", auth="token")
    services.catalog_sync().sync(client)
    ids = [t.id for t in sorted(services.tracks.search(""), key=lambda t: int(t.location[1:]))]
    yield services, fake, ids, client
    fake.close()


def _prefetcher(services, client, cap=10 * SONG_BYTES, publish=lambda event: None):
    cache = AudioCache(services.db, services.profile.cache_dir / "audio", cap)
    return cache, Prefetcher(cache, services.tracks, lambda name: client, publish)


def test_the_window_is_filled_beginnings_first_then_whole_in_order(linked):
    services, fake, ids, client = linked
    cache, prefetcher = _prefetcher(services, client)
    try:
        prefetcher.set_plan(ids[:4])
        assert prefetcher.wait_idle(30)
        assert prefetcher.finished_order == ids[:4]
        locations = {t.id: t.location for t in services.tracks.get_many(ids)}
        first_requests = [song for song, start in fake.stream_log[:4]]
        assert first_requests == [locations[i] for i in ids[:4]]  # every beginning first
        assert all(start == 0 for _, start in fake.stream_log[:4])
        assert all(start > 0 for _, start in fake.stream_log[4:])  # then resumed, by Range
        for track_id in ids[:4]:
            path = cache.complete_file("fake", locations[track_id])
            assert path.read_bytes() == fake.payloads[locations[track_id]]
    finally:
        prefetcher.stop()


def test_a_queue_edit_cancels_obsolete_downloads(linked):
    services, fake, ids, client = linked
    fake.bytes_per_s = 400_000  # each song takes 1.5 s on this link
    started = threading.Event()
    cache, prefetcher = _prefetcher(
        services, client, publish=lambda e: e.track_id == ids[0] and started.set())
    try:
        prefetcher.set_plan(ids[:2])
        first = services.tracks.get(ids[0])
        assert started.wait(30)  # the first bytes of the first track arrived
        prefetcher.set_plan(ids[5:7])
        assert prefetcher.wait_idle(30)
        assert prefetcher.finished_order == ids[5:7]
        obsolete = cache.entry("fake", first.location)
        assert obsolete is None or not obsolete.complete
        assert obsolete is None or obsolete.have < SONG_BYTES
    finally:
        prefetcher.stop()


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.integers(0, 7), min_size=1, max_size=4), min_size=1, max_size=6))
def test_the_cap_holds_under_random_queue_edits(linked, plans):
    services, fake, ids, client = linked
    cap = 3 * SONG_BYTES + 100_000
    cache, prefetcher = _prefetcher(services, client, cap=cap)
    peak = [0]
    watching = threading.Event()

    def watch():  # samples the files on disk all the while, between the cache's changes
        while not watching.is_set():
            peak[0] = max(peak[0], cache.bytes_on_disk())
            watching.wait(0.001)  # leaves the cache's lock to the prefetcher now and then

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        for plan in plans:
            prefetcher.set_plan([ids[i] for i in plan])
            assert prefetcher.wait_idle(30)
            assert cache.total_bytes() <= cap
    finally:
        watching.set()
        watcher.join()
        prefetcher.stop()
        cache.clear()
    assert peak[0] <= cap


def test_a_truncated_or_damaged_file_is_never_played(linked):
    services, fake, ids, client = linked
    track = services.tracks.get(ids[0])
    data = fake.payloads[track.location]

    def cut_short(handler, params):  # announces the whole file, sends half, hangs up
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data[: len(data) // 2])
        handler.close_connection = True

    fake.faults["stream"] = cut_short
    cache, prefetcher = _prefetcher(services, client)
    streams = ServerStreams(services.servers, cache)
    sources = Sources()
    streams.register(sources)
    try:
        prefetcher.set_plan([ids[0]])
        assert prefetcher.wait_idle(30)
        assert cache.complete_file("fake", track.location) is None
        assert sources.resolve(track)[1] == AudioSource.STREAM
        fake.faults.clear()
        prefetcher.set_plan([ids[0]])
        assert prefetcher.wait_idle(30)
        path = cache.complete_file("fake", track.location)
        assert path.read_bytes() == data
        assert sources.resolve(track) == (str(path), AudioSource.CACHE)
        with open(path, "r+b") as handle:  # damaged on disk afterwards
            handle.truncate(1000)
        assert sources.resolve(track)[1] == AudioSource.STREAM
    finally:
        prefetcher.stop()


def test_an_interrupted_download_resumes_with_range_after_a_restart(linked):
    services, fake, ids, client = linked
    track = services.tracks.get(ids[1])
    cache, prefetcher = _prefetcher(services, client)
    prefetcher._next_job = lambda plan: (track, head_bytes(track)) if not cache.entry(
        "fake", track.location) else None  # only the beginning, as if the app died after it
    prefetcher.set_plan([ids[1]])
    assert prefetcher.wait_idle(30)
    prefetcher.stop()
    have = cache.entry("fake", track.location).have
    assert 0 < have < SONG_BYTES

    reopened = AudioCache(services.db, cache.directory, cache.cap_bytes)  # a new start
    assert reopened.entry("fake", track.location).have == have
    fake.stream_log.clear()
    prefetcher = Prefetcher(reopened, services.tracks, lambda name: client)
    try:
        prefetcher.set_plan([ids[1]])
        assert prefetcher.wait_idle(30)
        assert fake.stream_log == [(track.location, have)]
        assert reopened.complete_file("fake", track.location).read_bytes() == \
            fake.payloads[track.location]
    finally:
        prefetcher.stop()


def test_a_complete_entry_whose_file_is_gone_is_fetched_again_after_a_restart(linked):
    """A kill -9 between an eviction's removing the file and forgetting the entry."""
    services, fake, ids, client = linked
    track = services.tracks.get(ids[2])
    cache, prefetcher = _prefetcher(services, client)
    try:
        prefetcher.set_plan([ids[2]])
        assert prefetcher.wait_idle(30)
    finally:
        prefetcher.stop()
    entry = cache.entry("fake", track.location)
    assert entry.complete
    cache.final_path(entry).unlink()  # the eviction's first step, then the kill

    reopened = AudioCache(services.db, cache.directory, cache.cap_bytes)  # a new start
    assert not reopened.entry("fake", track.location).complete
    assert reopened.complete_file("fake", track.location) is None
    prefetcher = Prefetcher(reopened, services.tracks, lambda name: client)
    try:
        prefetcher.set_plan([ids[2]])
        assert prefetcher.wait_idle(30)
        assert reopened.complete_file("fake", track.location).read_bytes() == \
            fake.payloads[track.location]
    finally:
        prefetcher.stop()


def test_prefetched_server_tracks_play_from_the_cache(services, subsonic, recorder_factory):
    from app.bench.supysonic_server import PASSWORD, USER
    from app.playback.events import QueueFinished
    from app.playback.vlc_engine import VlcEngine
    from tests.audio import dominant_frequency, pcm_to_mono

    services.servers.save(ServerConfig("home", subsonic.url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for("home"))
    chunks: list[bytes] = []
    player = services.start_player(VlcEngine(pcm_sink=chunks.append))
    assert services.prefetcher is not None
    ids = [t.id for t in services.tracks.search("gamma")][:2]
    services.prefetcher.set_plan(ids)
    assert services.prefetcher.wait_idle(30)
    finished = recorder_factory(services.bus, QueueFinished)
    player.play_tracks(ids)
    finished.wait_for(lambda r: r.of(QueueFinished))
    history = list(reversed(services.history.recent()))
    assert [(e.audio_source, e.end_reason) for e in history] == [("cache", "completed")] * 2
    samples = pcm_to_mono(b"".join(chunks))
    assert abs(dominant_frequency(samples[4410:int(1.5 * 44100)]) - 440) < 3


@pytest.fixture
def tone_server(services, tmp_path):
    """A scriptable server whose songs are real mp3 files (6 s tones of different pitches)."""
    from tests.audio import make_tone

    songs = make_songs(3)
    fake = FakeSubsonic(songs)
    for song, hz in zip(songs, (440, 550, 660), strict=True):
        path = make_tone(tmp_path / f"{song['id']}.mp3", hz, 6.0)
        fake.payloads[song["id"]] = path.read_bytes()
        song.update(size=path.stat().st_size, bitRate=128, duration=6, suffix="mp3")
    services.servers.save(ServerConfig("fake", fake.url, "u", auth="token"), "pw")
    services.catalog_sync().sync(services.client_for("fake"))
    ids = [t.id for t in sorted(services.tracks.search(""), key=lambda t: int(t.location[1:]))]
    yield fake, ids
    fake.close()


def test_a_track_plays_while_it_is_still_arriving(services, tone_server, recorder_factory):
    """Over a link barely faster than the music, the first track starts long before its file is
    complete (through the loopback proxy) and comes out whole and right."""
    from app.playback.events import QueueFinished
    from app.playback.vlc_engine import VlcEngine
    from tests.audio import audible_seconds, dominant_frequency, pcm_to_mono

    fake, ids = tone_server
    fake.bytes_per_s = 40_000  # a 96 KB file takes 2.4 s
    chunks: list[bytes] = []
    player = services.start_player(VlcEngine(pcm_sink=chunks.append))
    finished = recorder_factory(services.bus, QueueFinished)
    player.play_tracks(ids[:1])
    finished.wait_for(lambda r: r.of(QueueFinished))
    event = services.history.recent(1)[0]
    assert (event.audio_source, event.end_reason) == ("stream", "completed")
    assert event.startup_ms < 2000  # long before the 2.4 s the whole file needs
    samples = pcm_to_mono(b"".join(chunks))
    assert abs(audible_seconds(samples) - 6.0) < 0.15
    assert abs(dominant_frequency(samples) - 440) < 3


def test_offline_cached_tracks_play_and_the_others_are_skipped_in_words(
        services, tone_server, recorder_factory):
    from app.playback.events import PlaybackFailed, QueueFinished, TrackStarted
    from app.playback.vlc_engine import VlcEngine
    from app.streaming.events import ServerUnreachable

    fake, ids = tone_server
    player = services.start_player(VlcEngine(pcm_sink=lambda pcm: None))
    services.prefetcher.set_plan(ids[:1])
    assert services.prefetcher.wait_idle(30)
    fake.close()  # the server goes away
    events = recorder_factory(services.bus, TrackStarted, PlaybackFailed, QueueFinished,
                              ServerUnreachable)
    player.play_tracks(ids[:2])
    events.wait_for(lambda r: r.of(QueueFinished))
    assert [e.track.id for e in events.of(TrackStarted)] == [ids[0]]
    assert events.of(ServerUnreachable)
    message = events.of(PlaybackFailed)[0].message
    assert "is not available offline" in message
    reasons = [(e.track_id, e.audio_source, e.end_reason)
               for e in reversed(services.history.recent())]
    assert reasons[0] == (ids[0], "cache", "completed") and reasons[1][2] == "error"


def test_kill_9_mid_download_then_restart_resumes_with_range_and_plays_intact(
        profile, tmp_path, recorder_factory):
    """A real process is killed in the middle of a download; the next start resumes the
    partial file with an HTTP Range, and what plays is the whole, right audio."""
    import signal
    import subprocess
    import sys

    from app.paths import resolve_profile
    from app.playback.events import QueueFinished
    from app.playback.vlc_engine import VlcEngine
    from app.services import Services
    from tests.audio import audible_seconds, dominant_frequency, make_tone, pcm_to_mono

    songs = make_songs(1)
    mp3 = make_tone(tmp_path / "s0.mp3", 550, 8.0)
    songs[0].update(size=mp3.stat().st_size, bitRate=128, duration=8, suffix="mp3")
    fake = FakeSubsonic(songs)
    fake.payloads = {"s0": mp3.read_bytes()}
    fake.bytes_per_s = 50_000  # 128 KB take 2.6 s: there is a middle to kill in
    try:
        child = subprocess.Popen([sys.executable, "-m", "tests.prefetch_child",
                                  str(profile.data_dir), fake.url],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = child.stdout.readline()
        assert line, child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        fake.bytes_per_s = None
        fake.stream_log.clear()

        services = Services.open(resolve_profile(profile.data_dir))
        try:
            track = services.tracks.search("")[0]
            entry = services.audio_cache.entry("fake", "s0")
            assert 0 < entry.have < len(fake.payloads["s0"]) and not entry.complete
            chunks: list[bytes] = []
            player = services.start_player(VlcEngine(pcm_sink=chunks.append))
            services.prefetcher.set_plan([track.id])
            assert services.prefetcher.wait_idle(30)
            assert fake.stream_log == [("s0", entry.have)]  # resumed, not started over
            assert services.audio_cache.complete_file("fake", "s0").read_bytes() == \
                fake.payloads["s0"]
            finished = recorder_factory(services.bus, QueueFinished)
            player.play_tracks([track.id])
            finished.wait_for(lambda r: r.of(QueueFinished))
            assert services.history.recent(1)[0].audio_source == "cache"
            samples = pcm_to_mono(b"".join(chunks))
            assert abs(audible_seconds(samples) - 8.0) < 0.15
            assert abs(dominant_frequency(samples) - 550) < 3
        finally:
            services.close()
    finally:
        fake.close()


def test_pinned_albums_stay_offline_beyond_the_cap_and_play_without_the_server(
        services, tone_server, recorder_factory):
    from app.playback.events import QueueFinished, TrackStarted
    from app.playback.vlc_engine import VlcEngine
    from app.store.pins import Pins

    fake, ids = tone_server
    services.settings.write(CACHE_CAP_BYTES, 50_000)  # smaller than one track
    player = services.start_player(VlcEngine(pcm_sink=lambda pcm: None))
    album_ids = {t.album_id for t in services.tracks.get_many(ids)}
    pins = Pins(services.db)
    for album_id in album_ids:
        pins.pin("album", album_id)
    services.prefetcher.refresh_pins()
    assert services.prefetcher.wait_idle(30)
    for track in services.tracks.get_many(ids):
        entry = services.audio_cache.entry("fake", track.location)
        assert entry.complete and entry.pinned
    assert services.audio_cache.total_bytes() <= 50_000  # the LRU part still within its cap
    fake.close()  # offline now
    events = recorder_factory(services.bus, TrackStarted, QueueFinished)
    player.play_tracks(ids[:2])
    events.wait_for(lambda r: r.of(QueueFinished))
    assert [e.track.id for e in events.of(TrackStarted)] == ids[:2]
    assert [e.audio_source for e in services.history.recent(2)] == ["cache", "cache"]

    for album_id in album_ids:
        pins.unpin("album", album_id)
    services.prefetcher.refresh_pins()
    assert not any(e.pinned for e in services.audio_cache.entries())


def test_a_track_usually_skipped_gets_only_its_beginning_and_the_next_one_moves_up(linked):
    """History says ids[1] is skipped every time: the window fetches ids[1]'s beginning only
    and reaches one track further, so ids[4] is on disk whole."""
    from app.models import AudioSource, EndReason
    from app.recommend.skips import SkipPredictor
    from app.streaming.prefetcher import head_bytes

    services, fake, ids, client = linked
    for _ in range(4):
        play = services.history.start(services.tracks.get(ids[1]), "queue", AudioSource.STREAM)
        services.history.finish(play, EndReason.SKIPPED, 3000)
    for other in (ids[2], ids[3]):
        play = services.history.start(services.tracks.get(other), "queue", AudioSource.STREAM)
        services.history.finish(play, EndReason.COMPLETED, 180_000)
    predictor = SkipPredictor(services.db)
    chances = predictor.likelihoods(ids[:5])
    assert chances[ids[1]] > 0.6 > chances[ids[2]]
    cache = AudioCache(services.db, services.profile.cache_dir / "audio", 10 * SONG_BYTES)
    prefetcher = Prefetcher(cache, services.tracks, lambda name: client, skips=predictor,
                            depth=3)
    try:
        prefetcher.set_plan(ids[:7], playing=True)
        assert prefetcher.wait_idle(30)
        location = {t.id: t.location for t in services.tracks.get_many(ids)}
        skipped = cache.entry("fake", location[ids[1]])
        # Its 15 s beginning (128 kbit/s, and 10% over: 264,000 bytes, README's "264 KB"),
        # and at most what one read of the download brought past it.
        head = head_bytes(services.tracks.get(ids[1]))
        assert head == 264_000
        assert not skipped.complete and head <= skipped.have < head + DOWNLOAD_CHUNK
        assert [tid for tid in prefetcher.finished_order] == [ids[0], ids[2], ids[3], ids[4]]
        assert cache.entry("fake", location[ids[5]]) is None
        # What it saved: the bytes of the skipped track's unheard rest went to ids[4].
        fetched = sum(e.have for e in cache.entries())
        assert fetched == 4 * SONG_BYTES + skipped.have
    finally:
        prefetcher.stop()


def test_a_server_asked_to_transcode_is_streamed_live_not_prefetched(linked):
    services, fake, ids, client = linked
    services.servers.save(ServerConfig("fake", fake.url, "u", "token", None, 96, "opus"), "pw")
    streams = ServerStreams(services.servers, AudioCache(services.db, services.profile.cache_dir
                                                         / "audio"))
    cache, prefetcher = _prefetcher(services, client)
    prefetcher.wanted = streams.prefetchable
    try:
        prefetcher.set_plan(ids[:3])
        assert prefetcher.wait_idle(30)
        assert cache.entries() == [] and fake.stream_log == []
        sources = Sources()
        streams.register(sources)
        track = services.tracks.get(ids[0])
        url, kind = sources.resolve(track)
        # Live, relayed by the loopback proxy: VLC never gets a server URL (or its login).
        assert kind == AudioSource.STREAM
        assert url.startswith(f"http://127.0.0.1:{streams.proxy.port}/") and "u=" not in url
        with urllib.request.urlopen(url, timeout=30) as answer:
            assert answer.read() == fake.payloads[track.location]
        asked = fake.params[fake.calls.index("stream")]
        assert (asked["maxBitRate"], asked["format"]) == ("96", "opus")
    finally:
        prefetcher.stop()
        streams.close()


def test_the_window_wires_servers_on_the_player_thread(linked):
    """start_player(connect_in_background=True), as the window calls it: the wiring is queued
    to the player thread ahead of any command, and server tracks then resolve via the proxy."""
    from app.playback.null_engine import NullEngine

    services, fake, ids, client = linked
    services.streams.use_client(client)
    player = services.start_player(NullEngine(), connect_in_background=True)
    player.call(lambda: None)  # everything queued before this has run
    assert services.prefetcher is not None and services.streams.proxy is not None
    source, kind = player.call(lambda: player.sources.resolve(services.tracks.get(ids[0])))
    assert kind == AudioSource.STREAM and source.startswith("http://127.0.0.1:")
