"""The prefetcher against the real test server (supysonic), through a proxy that stands in for
the link (it logs each stream's Range, and can slow streams down or fail them): order,
cancellation, the cap, integrity, Range, transcoding, offline."""

from __future__ import annotations

import subprocess
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bench.supysonic_server import PASSWORD, USER, SupysonicServer
from app.catalog.servers import ServerConfig
from app.models import AudioSource
from app.playback.sources import Sources
from app.settings import CACHE_CAP_BYTES
from app.streaming.cache import AudioCache
from app.streaming.prefetcher import Prefetcher, head_bytes
from app.streaming.proxy_process import ProxyProcess
from app.streaming.server_streams import ServerStreams
from tests.audio import make_tone
from tests.fault_proxy import FaultProxy
from tests.gil_hog_child import hold_the_gil

SERVER = "home"
SONG_SECONDS = 37.0  # a 128 kbit/s MP3 of ~590 KB: well past its 15 s beginning (264,000 bytes)
CAP_BYTES = 6_000_000  # room for ten of the eight songs
DOWNLOAD_CHUNK = 256 * 1024  # the most one read of a download brings (open_download's chunk)


@dataclass
class Link:
    """The server as the tests see it: the proxy in front of it, and each song's file."""

    proxy: FaultProxy
    files: dict[str, bytes]  # the server's song id -> the file it serves

    def size(self, location: str) -> int:
        return len(self.files[location])


def _serve(tmp_path_factory, name: str, pitches: list[int], seconds: float):
    root = tmp_path_factory.mktemp(name)
    for number, hz in enumerate(pitches, start=1):
        make_tone(root / "music" / "Prefetch" / name / f"{number:02d} Song {number}.mp3", hz,
                  seconds, title=f"Song {number}", artist="Prefetch", album=name, track=number)
    server = SupysonicServer(root / "server", root / "music")
    server.setup()
    server.start()
    return server


@pytest.fixture(scope="module")
def eight_songs_server(tmp_path_factory):
    """supysonic serving one album of eight 37 s MP3s."""
    server = _serve(tmp_path_factory, "Eight", [300 + 40 * n for n in range(8)], SONG_SECONDS)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def three_tones_server(tmp_path_factory):
    """supysonic serving one album of three 6 s MP3 tones (96 KB each), 440, 550, 660 Hz."""
    server = _serve(tmp_path_factory, "Three", [440, 550, 660], 6.0)
    yield server
    server.stop()


def _link(services, server: SupysonicServer, **config) -> tuple[Link, list[int]]:
    """The profile's server is `server` behind a proxy, synced; ids in album order."""
    proxy = FaultProxy(server.url)
    services.servers.save(ServerConfig(SERVER, proxy.url, USER, **config), PASSWORD)
    services.catalog_sync().sync(services.client_for(SERVER))
    tracks = sorted(services.tracks.search(""), key=lambda t: t.track_no)
    folder = server.music / "Prefetch"
    files = {t.location: next(folder.glob(f"*/{t.track_no:02d} {t.title}.mp3")).read_bytes()
             for t in tracks}
    return Link(proxy, files), [t.id for t in tracks]


@pytest.fixture
def linked(services, eight_songs_server):
    link, ids = _link(services, eight_songs_server)
    yield services, link, ids, services.client_for(SERVER)
    link.proxy.close()


def _prefetcher(services, client, cap=CAP_BYTES, publish=lambda event: None, runner_for=None):
    """A cache and its prefetcher; `runner_for(cache, client)` says where its downloads run
    (None: on the prefetcher's own thread)."""
    cache = AudioCache(services.db, services.profile.cache_dir / "audio", cap)
    runner = runner_for(cache, client) if runner_for is not None else None
    return cache, Prefetcher(cache, services.tracks, lambda name: client, publish, runner=runner)


@pytest.fixture
def in_the_proxy():
    """A runner_for that runs the downloads in a stream proxy's process, as the app does."""
    proxies = []

    def proxy_for(cache, client):
        proxies.append(ProxyProcess(cache, lambda name: client))
        return proxies[-1]

    yield proxy_for
    for proxy in proxies:
        proxy.close()


@pytest.fixture(params=["here", "in the proxy's process"])
def runner_for(request, in_the_proxy):
    """Downloads on the prefetcher's own thread, or in the stream proxy's process as the app
    runs them: the plan's rules hold for both."""
    return in_the_proxy if request.param != "here" else None


def test_the_window_is_filled_beginnings_first_then_whole_in_order(linked, runner_for):
    services, link, ids, client = linked
    cache, prefetcher = _prefetcher(services, client, runner_for=runner_for)
    try:
        prefetcher.set_plan(ids[:4])
        assert prefetcher.wait_idle(30)
        assert prefetcher.finished_order == ids[:4]
        locations = {t.id: t.location for t in services.tracks.get_many(ids)}
        first_requests = [song for song, start in link.proxy.streams[:4]]
        assert first_requests == [locations[i] for i in ids[:4]]  # every beginning first
        assert all(start == 0 for _, start in link.proxy.streams[:4])
        assert all(start > 0 for _, start in link.proxy.streams[4:])  # then resumed, by Range
        for track_id in ids[:4]:
            path = cache.complete_file(SERVER, locations[track_id])
            assert path.read_bytes() == link.files[locations[track_id]]
    finally:
        prefetcher.stop()


def test_a_queue_edit_cancels_obsolete_downloads(linked, runner_for):
    services, link, ids, client = linked
    link.proxy.bytes_per_s = 400_000  # each song takes 1.5 s on this link
    started = threading.Event()
    cache, prefetcher = _prefetcher(
        services, client, publish=lambda e: e.track_id == ids[0] and started.set(),
        runner_for=runner_for)
    try:
        prefetcher.set_plan(ids[:2])
        first = services.tracks.get(ids[0])
        assert started.wait(30)  # the first bytes of the first track arrived
        prefetcher.set_plan(ids[5:7])
        assert prefetcher.wait_idle(30)
        assert prefetcher.finished_order == ids[5:7]
        obsolete = cache.entry(SERVER, first.location)
        assert obsolete is None or not obsolete.complete
        assert obsolete is None or obsolete.have < link.size(first.location)
    finally:
        prefetcher.stop()


def test_a_plan_change_that_leaves_the_download_next_lets_it_go_on(linked, runner_for):
    """A song added after the one arriving (or autoplay's picks chosen again) changes the plan
    but not what comes next: the download goes on, no second request for it."""
    services, link, ids, client = linked
    started = threading.Event()
    cache, prefetcher = _prefetcher(
        services, client, publish=lambda e: e.track_id == ids[1] and started.set(),
        runner_for=runner_for)
    try:
        prefetcher.set_plan(ids[:1])  # the playing track, whole in the cache already
        assert prefetcher.wait_idle(30)
        link.proxy.bytes_per_s = 400_000  # the next takes 1.5 s on this link
        prefetcher.set_plan(ids[:2], playing=True)
        assert started.wait(30)  # the first bytes of the next track arrived
        prefetcher.set_plan(ids[:3], playing=True)  # one more after it
        assert prefetcher.wait_idle(60)
        following = services.tracks.get(ids[1])
        asked = [start for song, start in link.proxy.streams if song == following.location]
        # Its beginning, then (after the beginning of the one added) the rest by Range; the
        # change did not stop it halfway through its beginning and ask again.
        assert len(asked) == 2 and asked[0] == 0, asked
        assert cache.complete_file(SERVER, following.location).read_bytes() \
            == link.files[following.location]
    finally:
        prefetcher.stop()


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.integers(0, 7), min_size=1, max_size=4), min_size=1, max_size=6))
def test_the_cap_holds_under_random_queue_edits(linked, plans):
    services, link, ids, client = linked
    cap = 3 * max(map(len, link.files.values())) + 100_000
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
    services, link, ids, client = linked
    track = services.tracks.get(ids[0])
    data = link.files[track.location]
    # The whole file announced, half of it sent, then the connection closed.
    link.proxy.inject("truncated", applies=lambda method: method == "stream")
    cache, prefetcher = _prefetcher(services, client)
    streams = ServerStreams(services.servers, cache)
    sources = Sources()
    streams.register(sources)
    try:
        prefetcher.set_plan([ids[0]])
        assert prefetcher.wait_idle(30)
        assert cache.complete_file(SERVER, track.location) is None
        assert sources.resolve(track)[1] == AudioSource.STREAM
        link.proxy.clear()
        prefetcher.set_plan([ids[0]])
        assert prefetcher.wait_idle(30)
        path = cache.complete_file(SERVER, track.location)
        assert path.read_bytes() == data
        assert sources.resolve(track) == (str(path), AudioSource.CACHE)
        with open(path, "r+b") as handle:  # damaged on disk afterwards
            handle.truncate(1000)
        assert sources.resolve(track)[1] == AudioSource.STREAM
    finally:
        prefetcher.stop()


def test_an_interrupted_download_resumes_with_range_after_a_restart(linked):
    services, link, ids, client = linked
    track = services.tracks.get(ids[1])
    cache, prefetcher = _prefetcher(services, client)
    prefetcher._next_job = lambda plan: (track, head_bytes(track)) if not cache.entry(
        SERVER, track.location) else None  # only the beginning, as if the app died after it
    prefetcher.set_plan([ids[1]])
    assert prefetcher.wait_idle(30)
    prefetcher.stop()
    have = cache.entry(SERVER, track.location).have
    assert 0 < have < link.size(track.location)

    reopened = AudioCache(services.db, cache.directory, cache.cap_bytes)  # a new start
    assert reopened.entry(SERVER, track.location).have == have
    link.proxy.streams.clear()
    prefetcher = Prefetcher(reopened, services.tracks, lambda name: client)
    try:
        prefetcher.set_plan([ids[1]])
        assert prefetcher.wait_idle(30)
        assert link.proxy.streams == [(track.location, have)]
        assert reopened.complete_file(SERVER, track.location).read_bytes() == \
            link.files[track.location]
    finally:
        prefetcher.stop()


def test_a_complete_entry_whose_file_is_gone_is_fetched_again_after_a_restart(linked):
    """A kill -9 between an eviction's removing the file and forgetting the entry."""
    services, link, ids, client = linked
    track = services.tracks.get(ids[2])
    cache, prefetcher = _prefetcher(services, client)
    try:
        prefetcher.set_plan([ids[2]])
        assert prefetcher.wait_idle(30)
    finally:
        prefetcher.stop()
    entry = cache.entry(SERVER, track.location)
    assert entry.complete
    cache.final_path(entry).unlink()  # the eviction's first step, then the kill

    reopened = AudioCache(services.db, cache.directory, cache.cap_bytes)  # a new start
    assert not reopened.entry(SERVER, track.location).complete
    assert reopened.complete_file(SERVER, track.location) is None
    prefetcher = Prefetcher(reopened, services.tracks, lambda name: client)
    try:
        prefetcher.set_plan([ids[2]])
        assert prefetcher.wait_idle(30)
        assert reopened.complete_file(SERVER, track.location).read_bytes() == \
            link.files[track.location]
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
def tone_server(services, three_tones_server):
    """The profile linked to the three tones (6 s MP3s of 440, 550, 660 Hz) behind the proxy."""
    link, ids = _link(services, three_tones_server)
    yield link, ids
    link.proxy.close()


def test_a_track_plays_while_it_is_still_arriving(services, tone_server, recorder_factory):
    """Over a link barely faster than the music, the first track starts long before its file is
    complete (through the loopback proxy) and comes out whole and right."""
    from app.playback.events import QueueFinished
    from app.playback.vlc_engine import VlcEngine
    from tests.audio import audible_seconds, dominant_frequency, pcm_to_mono

    link, ids = tone_server
    link.proxy.bytes_per_s = 40_000  # a 96 KB file takes 2.4 s
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

    link, ids = tone_server
    player = services.start_player(VlcEngine(pcm_sink=lambda pcm: None))
    services.prefetcher.set_plan(ids[:1])
    assert services.prefetcher.wait_idle(30)
    link.proxy.inject("refused")  # the server goes away
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
        profile, three_tones_server, recorder_factory):
    """A real process is killed in the middle of a download; the next start resumes the
    partial file with an HTTP Range, and what plays is the whole, right audio."""
    import signal
    import subprocess
    import sys

    from app.paths import resolve_profile
    from app.playback.events import QueueFinished
    from app.playback.vlc_engine import VlcEngine
    from app.services import Services
    from tests.audio import audible_seconds, dominant_frequency, pcm_to_mono

    proxy = FaultProxy(three_tones_server.url)
    proxy.bytes_per_s = 20_000  # 64 KB take 3.3 s, the whole 96 KB 4.9 s: a middle to kill in
    try:
        child = subprocess.Popen([sys.executable, "-m", "tests.prefetch_child",
                                  str(profile.data_dir), proxy.url, SERVER],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = child.stdout.readline()
        assert line, child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        proxy.bytes_per_s = None
        proxy.streams.clear()

        services = Services.open(resolve_profile(profile.data_dir))
        try:
            track = services.tracks.get(int(line.split()[0]))
            whole = next(three_tones_server.music.glob(f"*/*/{track.track_no:02d} {track.title}.mp3"))
            entry = services.audio_cache.entry(SERVER, track.location)
            assert 0 < entry.have < whole.stat().st_size and not entry.complete
            chunks: list[bytes] = []
            player = services.start_player(VlcEngine(pcm_sink=chunks.append))
            services.prefetcher.set_plan([track.id])
            assert services.prefetcher.wait_idle(30)
            assert proxy.streams == [(track.location, entry.have)]  # resumed, not started over
            assert services.audio_cache.complete_file(SERVER, track.location).read_bytes() == \
                whole.read_bytes()
            finished = recorder_factory(services.bus, QueueFinished)
            player.play_tracks([track.id])
            finished.wait_for(lambda r: r.of(QueueFinished))
            assert services.history.recent(1)[0].audio_source == "cache"
            samples = pcm_to_mono(b"".join(chunks))
            assert abs(audible_seconds(samples) - 6.0) < 0.15
            hz = {1: 440, 2: 550, 3: 660}[track.track_no]
            assert abs(dominant_frequency(samples) - hz) < 3
        finally:
            services.close()
    finally:
        proxy.close()


def test_pinned_albums_stay_offline_beyond_the_cap_and_play_without_the_server(
        services, tone_server, recorder_factory):
    from app.playback.events import QueueFinished, TrackStarted
    from app.playback.vlc_engine import VlcEngine
    from app.store.pins import Pins

    link, ids = tone_server
    services.settings.write(CACHE_CAP_BYTES, 50_000)  # smaller than one track
    player = services.start_player(VlcEngine(pcm_sink=lambda pcm: None))
    album_ids = {t.album_id for t in services.tracks.get_many(ids)}
    pins = Pins(services.db)
    for album_id in album_ids:
        pins.pin("album", album_id)
    services.prefetcher.refresh_pins()
    assert services.prefetcher.wait_idle(30)
    for track in services.tracks.get_many(ids):
        entry = services.audio_cache.entry(SERVER, track.location)
        assert entry.complete and entry.pinned
    assert services.audio_cache.total_bytes() <= 50_000  # the LRU part still within its cap
    link.proxy.inject("refused")  # offline now
    events = recorder_factory(services.bus, TrackStarted, QueueFinished)
    player.play_tracks(ids[:2])
    events.wait_for(lambda r: r.of(QueueFinished))
    assert [e.track.id for e in events.of(TrackStarted)] == ids[:2]
    assert [e.audio_source for e in services.history.recent(2)] == ["cache", "cache"]

    for album_id in album_ids:
        pins.unpin("album", album_id)
    services.prefetcher.refresh_pins()
    assert not any(e.pinned for e in services.audio_cache.entries())


def test_a_track_usually_skipped_gets_only_its_beginning_and_the_next_one_moves_up(linked,
                                                                                  runner_for):
    """History says ids[1] is skipped every time: the window fetches ids[1]'s beginning only
    and reaches one track further, so ids[4] is on disk whole. The last progress said of the
    beginning is what the cache holds (a download in the proxy's process reports only every
    50 ms, so its end is said once more)."""
    from app.models import AudioSource, EndReason
    from app.recommend.skips import SkipPredictor
    from app.streaming.prefetcher import head_bytes

    services, link, ids, client = linked
    for _ in range(4):
        play = services.history.start(services.tracks.get(ids[1]), "queue", AudioSource.STREAM)
        services.history.finish(play, EndReason.SKIPPED, 3000)
    for other in (ids[2], ids[3]):
        play = services.history.start(services.tracks.get(other), "queue", AudioSource.STREAM)
        services.history.finish(play, EndReason.COMPLETED, 180_000)
    predictor = SkipPredictor(services.db)
    chances = predictor.likelihoods(ids[:5])
    assert chances[ids[1]] > 0.6 > chances[ids[2]]
    cache = AudioCache(services.db, services.profile.cache_dir / "audio", CAP_BYTES)
    progress = []
    prefetcher = Prefetcher(cache, services.tracks, lambda name: client, progress.append,
                            skips=predictor, depth=3,
                            runner=runner_for(cache, client) if runner_for else None)
    try:
        prefetcher.set_plan(ids[:7], playing=True)
        assert prefetcher.wait_idle(30)
        location = {t.id: t.location for t in services.tracks.get_many(ids)}
        skipped = cache.entry(SERVER, location[ids[1]])
        # Its 15 s beginning (128 kbit/s, and 10% over: 264,000 bytes, README's "264 KB"),
        # and at most what one read of the download brought past it.
        head = head_bytes(services.tracks.get(ids[1]))
        assert head == 264_000
        assert not skipped.complete and head <= skipped.have < head + DOWNLOAD_CHUNK
        said = [event for event in progress if event.track_id == ids[1]]
        assert said[-1].have == skipped.have and not said[-1].complete
        assert [tid for tid in prefetcher.finished_order] == [ids[0], ids[2], ids[3], ids[4]]
        assert cache.entry(SERVER, location[ids[5]]) is None
        # What it saved: the bytes of the skipped track's unheard rest went to ids[4].
        fetched = sum(e.have for e in cache.entries())
        assert fetched == sum(link.size(location[i]) for i in (ids[0], ids[2], ids[3], ids[4])) \
            + skipped.have
    finally:
        prefetcher.stop()


def test_a_server_asked_to_transcode_is_streamed_live_not_prefetched(linked):
    services, link, ids, client = linked
    services.servers.save(ServerConfig(SERVER, link.proxy.url, USER, max_bitrate_kbps=96,
                                       stream_format="opus"), PASSWORD)
    streams = ServerStreams(services.servers, AudioCache(services.db, services.profile.cache_dir
                                                         / "audio"))
    cache, prefetcher = _prefetcher(services, client)
    prefetcher.wanted = streams.prefetchable
    try:
        prefetcher.set_plan(ids[:3])
        assert prefetcher.wait_idle(30)
        assert cache.entries() == [] and link.proxy.streams == []
        sources = Sources()
        streams.register(sources)
        track = services.tracks.get(ids[0])
        url, kind = sources.resolve(track)
        # Live, relayed by the loopback proxy: VLC never gets a server URL (or its login).
        assert kind == AudioSource.STREAM
        assert url.startswith(f"http://127.0.0.1:{streams.proxy.port}/") and "u=" not in url
        with urllib.request.urlopen(url, timeout=30) as answer:
            relayed = answer.read()
        # The server transcoded it: Ogg Opus, about 96 kbit/s for the 37 s song.
        assert relayed[:4] == b"OggS" and b"OpusHead" in relayed[:200]
        assert 0.5 < len(relayed) * 8 / 1000 / SONG_SECONDS / 96 < 1.5
        asked = [query for method, query in link.proxy.requests if method == "stream"]
        assert [(q["maxBitRate"], q["format"]) for q in asked] == [("96", "opus")]
    finally:
        prefetcher.stop()
        streams.close()


def test_the_window_wires_servers_on_the_player_thread(linked):
    """start_player(connect_in_background=True), as the window calls it: the wiring is queued
    to the player thread ahead of any command, and server tracks then resolve via the proxy."""
    from app.playback.null_engine import NullEngine

    services, link, ids, client = linked
    services.streams.use_client(client)
    player = services.start_player(NullEngine(), connect_in_background=True)
    player.call(lambda: None)  # everything queued before this has run
    assert services.prefetcher is not None and services.streams.proxy is not None
    source, kind = player.call(lambda: player.sources.resolve(services.tracks.get(ids[0])))
    assert kind == AudioSource.STREAM and source.startswith("http://127.0.0.1:")


def test_asked_from_the_end_a_live_stream_says_so_instead_of_failing_the_track(linked):
    """VLC may ask for the bytes from a file's end (a real server answers 416 to that; seen
    as "Could not play" when the cache could not be written and tracks streamed live)."""
    services, link, ids, client = linked
    track = services.tracks.get(ids[0])
    size = link.size(track.location)
    chunks, total, _ = client.open_download(track.location, start=size)
    assert (list(chunks), total) == ([], size)
    streams = ServerStreams(services.servers, AudioCache(services.db, services.profile.cache_dir
                                                         / "audio"))
    try:
        streams.register(Sources())
        live = streams.proxy.live_url(SERVER, track.location)
        request = urllib.request.Request(live, headers={"Range": f"bytes={size}-"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 416
        assert refused.value.headers["Content-Range"] == f"bytes */{size}"
        assert streams.proxy.stopped(SERVER, track.location) == (None, False)  # not a failure
        request = urllib.request.Request(live, headers={"Range": f"bytes={size - 1000}-"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.read() == link.files[track.location][-1000:]
    finally:
        streams.close()


def test_a_client_that_hangs_up_on_the_proxy_prints_no_traceback(capsys, caplog):
    """VLC hangs up on the proxy at every seek, stop and skip; socketserver printed each as a
    traceback on the terminal (seen in `prelude bench playback`'s output)."""
    from app.loopback import LoopbackServer

    server = LoopbackServer(lambda handler: None, "prelude-test")
    try:
        for error in (ConnectionResetError(104, "Connection reset by peer"),
                      ValueError("a request it could not read")):
            try:
                raise error
            except (ConnectionResetError, ValueError):
                server.server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.close()
    assert capsys.readouterr().err == ""
    assert [record.getMessage() for record in caplog.records] == [
        "loopback request failed: a request it could not read"]


@pytest.fixture(scope="module")
def long_wav_server(tmp_path_factory):
    """supysonic serving one 30 s WAV (5.3 MB), behind a 16 Mbit/s link in a process of its
    own (a link in the test's process would stop while the test holds its GIL)."""
    root = tmp_path_factory.mktemp("wav")
    song = make_tone(root / "music" / "Prefetch" / "Wav" / "01 Long.wav", 500, 30.0,
                     title="Long", artist="Prefetch", album="Wav", track=1)
    server = SupysonicServer(root / "server", root / "music")
    server.setup()
    server.start()
    link = subprocess.Popen([sys.executable, "-m", "tests.link_child", server.url, "0", "16000"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield link.stdout.readline().strip(), song.read_bytes()
    finally:
        link.stdin.close()
        link.wait(10)
        server.stop()


def test_a_download_goes_on_while_a_thread_of_the_app_holds_the_gil(services, long_wav_server,
                                                                    in_the_proxy):
    """The app's downloads run in the stream proxy's process: while a thread of the app holds
    its GIL (one C call, as a big JSON parse does), the track goes on arriving and is whole in
    the cache when the hold ends. (On the prefetcher's own thread nothing moved during such a
    hold: every chunk needs this process's GIL; a track could end before the next one came.)"""
    url, song = long_wav_server
    services.servers.save(ServerConfig(SERVER, url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for(SERVER))
    [track] = services.tracks.search("")
    arriving = threading.Event()
    cache, prefetcher = _prefetcher(
        services, services.client_for(SERVER), cap=4 * len(song),
        publish=lambda event: arriving.set(), runner_for=in_the_proxy)
    # Its beginning is in the cache already, so the one download is the rest: 2.4 MB, ~1.2 s
    # on this link.
    entry = cache.begin(SERVER, track.location, "wav")
    cache.set_size(entry.key, len(song))
    cache.append(entry.key, song[:head_bytes(track)], set())
    try:
        prefetcher.set_plan([track.id])
        assert arriving.wait(30)  # the first bytes of the rest arrived
        held = hold_the_gil(4.0)
        entry = cache.entry(SERVER, track.location)
        assert entry.complete, f"{entry.have:,} of {len(song):,} bytes after a {held:.1f} s hold"
        assert cache.complete_file(SERVER, track.location).read_bytes() == song
    finally:
        prefetcher.stop()
