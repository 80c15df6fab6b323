"""Fault injection: every fault of tests/fault_proxy.py against sync, browse, play, prefetch and
the outbox, between the app and a real OpenSubsonic server (supysonic on loopback).

For each pair: the operation ends within bounded time (no hang), says what happened in words,
works again once the fault ends, and the library, history and cache are intact afterwards.
Runnable alone: `pytest tests/test_fault_injection.py`.
"""

from __future__ import annotations

import hashlib

import pytest

from app.bench.supysonic_server import PASSWORD
from app.errors import PreludeError
from app.playback.events import PlaybackFailed, TrackFinished
from app.settings import SERVERS
from app.streaming.events import ServerUnreachable
from tests.audio import dominant_frequency, pcm_to_mono
from tests.fault_proxy import FAULTS, SERVER, FaultProxy, add_server_behind

pytestmark = pytest.mark.reliability

BOUND_S = 40  # no operation may take longer than this under any fault


@pytest.fixture
def proxy(subsonic):
    proxy = FaultProxy(subsonic.url)
    yield proxy
    proxy.close()


@pytest.fixture
def faulty(services, proxy):
    add_server_behind(services, proxy)
    assert len(services.tracks.search("")) >= 4
    return services


def assert_words(message: object) -> None:
    """A sentence for a person: not empty, not a traceback, no secrets."""
    assert isinstance(message, str) and len(message) > 10, message
    for bad in ("Traceback", "File \"", PASSWORD, "object at 0x", "Errno"):
        assert bad not in message, message


def snapshot(services) -> dict:
    return {"titles": sorted(t.title for t in services.tracks.search("")),
            "plays": len(services.history.recent(1000)),
            "settings": services.settings.read(SERVERS)}


def assert_intact(services, before: dict, subsonic) -> None:
    assert services.db.integrity_check() == "ok"
    now = snapshot(services)
    assert now["titles"] == before["titles"]
    assert now["plays"] >= before["plays"]  # nothing finished is lost
    assert now["settings"] == before["settings"]
    originals = {hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in subsonic.music.rglob("*") if p.suffix in (".mp3", ".flac")}
    for entry in services.audio_cache.entries():
        if entry.complete:  # a finished entry is exactly one of the server's files
            data = services.audio_cache.final_path(entry).read_bytes()
            assert len(data) == entry.size
            assert hashlib.sha256(data).hexdigest() in originals, entry.key


def _track(services, title="Remote Two"):
    return next(t for t in services.tracks.search(title) if t.source == SERVER)


# -- the operations -------------------------------------------------------------------------
def op_sync(services, proxy, fault):
    proxy.inject(fault)
    with pytest.raises(PreludeError) as failed:
        services.catalog_sync().sync(services.client_for(SERVER), full=True)
    assert_words(str(failed.value))
    proxy.clear()
    report = services.catalog_sync().sync(services.client_for(SERVER), full=True)
    assert report is not None


def op_browse(services, proxy, fault):
    track = _track(services)
    proxy.inject(fault, lambda method: method == "getCoverArt")
    with pytest.raises(PreludeError) as failed:
        services.cover_for(track)
    assert_words(str(failed.value))
    assert not any(services.profile.server_covers_dir.rglob("*.part"))
    proxy.clear()
    with open(services.cover_for(track), "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


class Capture:
    """The engine's PCM sink; `take()` starts a new recording."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def __call__(self, pcm: bytes) -> None:
        self.chunks.append(pcm)

    def take(self) -> list[bytes]:
        self.chunks = []
        return self.chunks


def _play_once(player, capture, recorder, track) -> tuple[str, str | None, bytes]:
    chunks = capture.take()
    since = len(recorder.events)
    player.play_tracks([track.id])
    recorder.wait_for(lambda r: any(isinstance(e, TrackFinished) for e in r.events[since:]),
                      timeout=BOUND_S)
    finished = next(e for e in recorder.events[since:] if isinstance(e, TrackFinished))
    failure = next((e.message for e in recorder.events[since:]
                    if isinstance(e, PlaybackFailed)), None)
    return finished.end_reason, failure, b"".join(chunks)


def op_play(services, proxy, fault, recorder_factory):
    from app.playback.vlc_engine import VlcEngine

    track = _track(services)
    capture = Capture()
    player = services.start_player(VlcEngine(pcm_sink=capture))
    recorder = recorder_factory(services.bus, TrackFinished, PlaybackFailed)
    proxy.inject(fault, lambda method: method == "stream")
    reason, failure, pcm = _play_once(player, capture, recorder, track)
    if reason == "completed":  # the app got the whole file after all (a retry, a resume)
        assert abs(dominant_frequency(pcm_to_mono(pcm)[4410:-4410]) - 550) < 3
    else:
        assert reason == "error"
        assert_words(failure)
    proxy.clear()  # and the person presses play again (the app tries an offline server again
    services.streams.offline_retry_s = 0  # after offline_retry_s; here at once, not in 10 s)
    reason, failure, pcm = _play_once(player, capture, recorder, track)
    assert (reason, failure) == ("completed", None)
    assert abs(dominant_frequency(pcm_to_mono(pcm)[4410:-4410]) - 550) < 3
    player.stop()


def op_prefetch(services, proxy, fault, recorder_factory):
    from app.playback.vlc_engine import VlcEngine

    track = _track(services)
    services.start_player(VlcEngine(pcm_sink=lambda pcm: None))
    prefetcher = services.prefetcher
    told = recorder_factory(services.bus, ServerUnreachable)
    proxy.inject(fault, lambda method: method == "stream")
    prefetcher.set_plan([track.id])
    assert prefetcher.wait_idle(BOUND_S)
    entry = services.audio_cache.entry(SERVER, track.location)
    assert entry is None or not entry.complete or fault in ("http503",)  # 503 is retried
    for event in told.of(ServerUnreachable):
        assert_words(event.message)
    proxy.clear()
    prefetcher.offline.discard(SERVER)
    prefetcher.set_plan([])
    prefetcher.set_plan([track.id])
    assert prefetcher.wait_idle(BOUND_S)
    entry = services.audio_cache.entry(SERVER, track.location)
    assert entry is not None and entry.complete


def op_outbox(services, proxy, fault, subsonic):
    track = _track(services, "Remote Three")
    services.writeback().set_starred([track.id], True)
    sender = services.outbox_sender()
    proxy.inject(fault)
    report = sender.flush()
    if fault == "wrong_shape":
        # The server did it and said "ok" (only the rest of its answer is odd): delivered.
        assert (report.sent, report.waiting) == (1, 0), report
    else:
        assert (report.sent, report.waiting, report.dropped) == (0, 1, 0), report
        assert_words(report.error)
        proxy.clear()
        report = sender.flush()
        assert (report.sent, report.waiting, report.dropped) == (1, 0, 0), report
    proxy.clear()
    starred = subsonic.api("getStarred2")["starred2"].get("song", [])
    assert track.location in {song["id"] for song in starred}
    services.writeback().set_starred([track.id], False)
    assert sender.flush().sent == 1


OPERATIONS = ("sync", "browse", "play", "prefetch", "outbox")


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_fault(faulty, proxy, subsonic, recorder_factory, operation, fault):
    before = snapshot(faulty)
    if operation == "sync":
        op_sync(faulty, proxy, fault)
    elif operation == "browse":
        op_browse(faulty, proxy, fault)
    elif operation == "play":
        op_play(faulty, proxy, fault, recorder_factory)
    elif operation == "prefetch":
        op_prefetch(faulty, proxy, fault, recorder_factory)
    else:
        op_outbox(faulty, proxy, fault, subsonic)
    if operation != "play":
        assert proxy.faulted >= 1 or fault == "refused"  # the fault really was met
    assert_intact(faulty, before, subsonic)
