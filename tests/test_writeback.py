"""Favourites, ratings, playlists and scrobbles reach the server, through a durable outbox."""

from __future__ import annotations

import pytest

from app.bench.supysonic_server import PASSWORD, USER
from app.catalog.client import SubsonicClient
from app.catalog.servers import ServerConfig
from app.paths import resolve_profile
from app.playback.events import TrackStarted
from app.playback.null_engine import NullEngine
from app.services import Services
from app.store.outbox_queue import Outbox
from tests.conftest import wait_until
from tests.fake_subsonic import FakeSubsonic, make_songs


@pytest.fixture
def linked(services, subsonic):
    """A profile with the supysonic server added and synced."""
    services.servers.save(ServerConfig("home", subsonic.url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for("home"))
    return services


def _remote(services, title):
    return services.tracks.search(title)[0]


def test_star_and_rating_reach_the_server(linked, subsonic):
    one, two = _remote(linked, "remote one"), _remote(linked, "remote two")
    writeback = linked.writeback()
    writeback.set_starred([one.id, two.id], True)
    writeback.set_rating(one.id, 4)
    assert linked.outbox_sender().flush().sent == 2
    starred = {s["id"] for s in subsonic.api("getStarred2")["starred2"]["song"]}
    assert starred == {one.location, two.location}
    assert subsonic.api("getSong", id=one.location)["song"]["userRating"] == 4
    writeback.set_starred([two.id], False)
    linked.outbox_sender().flush()
    assert [s["id"] for s in subsonic.api("getStarred2")["starred2"]["song"]] == [one.location]
    # A later sync keeps them, and the local rows say the same.
    linked.catalog_sync().sync(linked.client_for("home"), full=True)
    row = linked.db.query_one("SELECT starred, rating FROM tracks WHERE id = ?", (one.id,))
    assert row == {"starred": 1, "rating": 4}
    writeback.set_starred([one.id], False)
    writeback.set_rating(one.id, 0)
    linked.outbox_sender().flush()


def test_playlist_create_rename_edit_delete_on_the_server(linked, subsonic):
    ids = [t.id for t in linked.tracks.search("gamma")]
    writeback = linked.writeback()
    playlist = writeback.create_playlist("Road Trip", ids[:2], server="home")
    writeback.rename_playlist(playlist, "Long Road Trip")
    writeback.set_playlist_tracks(playlist, [ids[2], ids[0]])
    assert linked.outbox_sender().flush().sent == 3
    listed = subsonic.api("getPlaylists")["playlists"]["playlist"]
    (remote,) = [p for p in listed if p["name"] == "Long Road Trip"]
    entries = subsonic.api("getPlaylist", id=remote["id"])["playlist"]["entry"]
    locations = {t.id: t.location for t in linked.tracks.search("gamma")}
    assert [e["id"] for e in entries] == [locations[ids[2]], locations[ids[0]]]
    writeback.delete_playlist(playlist)
    linked.outbox_sender().flush()
    assert not [p for p in subsonic.api("getPlaylists")["playlists"].get("playlist", [])
                if p["name"] == "Long Road Trip"]


def test_a_server_playlist_made_elsewhere_is_synced(linked, subsonic):
    songs = subsonic.api("search3", query="", songCount=10)["searchResult3"]["song"]
    subsonic.api("createPlaylist", name="From Another Client", songId=[songs[0]["id"]])
    try:
        linked.catalog_sync().sync(linked.client_for("home"))
        row = linked.db.query_one("SELECT id FROM playlists WHERE name = 'From Another Client'")
        assert row is not None
        assert linked.writeback().playlist_track_ids(row["id"]) == [
            _remote(linked, songs[0]["title"]).id]
    finally:
        for p in subsonic.api("getPlaylists")["playlists"].get("playlist", []):
            subsonic.api("deletePlaylist", id=p["id"])


def test_scrobbles_reach_the_server_once(linked, subsonic, recorder_factory):
    player = linked.start_player(NullEngine(speed=4))
    started = recorder_factory(linked.bus, TrackStarted)
    track = _remote(linked, "remote two")
    before = len(subsonic.listens.listens)
    player.play_tracks([track.id])
    started.wait_for(lambda r: r.of(TrackStarted))
    listens = subsonic.listens.wait_for(
        lambda got: any(p.get("listen_type") == "single" for p in got[before:]))
    singles = [p for p in listens[before:] if p.get("listen_type") == "single"]
    assert len(singles) == 1
    assert singles[0]["payload"][0]["track_metadata"]["track_name"] == "Remote Two"
    assert any(p.get("listen_type") == "playing_now" for p in listens[before:])


# -- durability, against a server that comes and goes --------------------------------------------
@pytest.fixture
def fake_linked(profile):
    """A profile linked to a scriptable server with five songs: (services, fake, track ids).
    The fake, because these tests need a server that answers 503 for a while, then refuses one
    item for good (answers a real server gives only when broken)."""
    fake = FakeSubsonic(make_songs(5))
    services = Services.open(profile)
    services.servers.save(ServerConfig("fake", fake.url, "u", auth="token"), "pw")
    services.catalog_sync().sync(SubsonicClient("fake", fake.url, "u", "pw"))
    yield services, fake, [t.id for t in services.tracks.search("")]
    services.close()
    fake.close()


def test_changes_made_offline_are_sent_later_in_order_and_once(profile, fake_linked):
    services, fake, ids = fake_linked
    fake.faults = {m: (lambda h, p: h._send(503, b"down")) for m in
                   ("star", "unstar", "setRating")}
    writeback = services.writeback()
    writeback.set_starred([ids[0]], True)
    writeback.set_rating(ids[1], 5)
    writeback.set_starred([ids[0]], False)
    report = services.outbox_sender().flush()
    assert report.sent == 0 and report.waiting == 3 and "503" in report.error
    services.close()  # the app quits while the server is down...

    fake.faults = {}
    fake.calls.clear()
    reopened = Services.open(resolve_profile(profile.data_dir))  # ...and starts again
    try:
        assert Outbox(reopened.db).count() == 3
        assert reopened.outbox_sender().flush().sent == 3
        assert [c for c in fake.calls if c in ("star", "unstar", "setRating")] == [
            "star", "setRating", "unstar"]
        assert reopened.outbox_sender().flush().sent == 0  # nothing twice
    finally:
        reopened.close()


def test_a_database_that_cannot_be_written_keeps_the_change_queued_and_says_so(fake_linked):
    """The server is down and the outbox cannot record the failed try (a full disk): the flush
    says so in words instead of raising (it used to end the sender's thread with a traceback),
    and the change is sent once the database can be written again."""
    services, fake, ids = fake_linked
    fake.faults = {"star": lambda h, p: h._send(503, b"down")}
    services.writeback().set_starred([ids[0]], True)
    services.db.conn.execute("PRAGMA query_only = ON")  # every write on this thread now fails
    report = services.outbox_sender().flush()
    assert report.sent == 0 and "the database cannot be written right now" in report.error
    services.db.conn.execute("PRAGMA query_only = OFF")
    assert Outbox(services.db).count() == 1
    fake.faults = {}
    assert services.outbox_sender().flush().sent == 1 and Outbox(services.db).count() == 0


def test_a_refused_change_is_dropped_with_a_message_and_does_not_block(fake_linked):
    services, fake, ids = fake_linked
    fake.faults = {"star": lambda h, p: h._send(200, b'{"subsonic-response": {"status": '
                                                b'"failed", "error": {"code": 70}}}')}
    services.writeback().set_starred([ids[0]], True)
    services.writeback().set_rating(ids[1], 3)
    report = services.outbox_sender().flush()
    assert (report.sent, report.dropped) == (1, 1)


# -- playback reporting (OpenSubsonic's playbackReport) ------------------------------------------
def _reports(fake) -> list[dict]:
    return [params for params in list(fake.params) if "state" in params]


def test_a_server_that_reports_playback_hears_the_timeline_and_no_scrobble(fake_linked,
                                                                           recorder_factory):
    """The fake, because no server installable here offers the playbackReport extension (it
    answers as the OpenSubsonic reference describes reportPlayback: an empty response)."""
    from app.playback.events import TrackFinished

    services, fake, ids = fake_linked
    fake.extensions = ["playbackReport"]
    fake.payloads = {f"s{n}": bytes(7_000_000) for n in range(2)}  # the size the catalog says
    player = services.start_player(NullEngine(speed=40))  # 180 s songs in 4.5 s
    finished = recorder_factory(services.bus, TrackFinished)
    player.play_tracks([ids[0]])
    states = lambda: [r["state"] for r in _reports(fake)]  # noqa: E731
    wait_until(lambda: states()[-1:] == ["playing"])
    player.pause()
    wait_until(lambda: states()[-1:] == ["paused"])
    player.toggle()
    finished.wait_for(lambda r: r.of(TrackFinished))
    wait_until(lambda: states()[-1:] == ["stopped"])
    assert states() == ["starting", "playing", "paused", "playing", "stopped"]
    reports = _reports(fake)
    assert {r["mediaId"] for r in reports} == {"s0"} and reports[0]["mediaType"] == "song"
    assert reports[-1]["positionMs"] == "180000" and 0 < int(reports[2]["positionMs"]) < 180000
    services.outbox_sender().flush()
    assert "scrobble" not in fake.calls  # counted once, by the server, from the reports


def test_a_report_that_does_not_arrive_leaves_the_play_to_the_scrobble(fake_linked,
                                                                       recorder_factory):
    from app.playback.events import TrackFinished

    services, fake, ids = fake_linked
    fake.extensions = ["playbackReport"]
    fake.faults = {"reportPlayback": lambda handler, params: handler._send(503, b"busy")}
    fake.payloads = {f"s{n}": bytes(7_000_000) for n in range(2)}
    player = services.start_player(NullEngine(speed=40))
    finished = recorder_factory(services.bus, TrackFinished)
    player.play_tracks([ids[1]])
    finished.wait_for(lambda r: r.of(TrackFinished))
    services.outbox_sender().flush()  # (the sender's own thread may have sent it already)
    scrobbles = lambda: [p for p in list(fake.params) if p.get("submission") == "true"]  # noqa: E731
    wait_until(lambda: scrobbles())
    assert [p["id"] for p in scrobbles()] == ["s1"]
    # only `starting` was tried (the client retries a 503 itself); nothing after it
    assert {p["state"] for p in list(fake.params) if "state" in p} == {"starting"}


def test_a_server_without_extensions_is_asked_once_and_scrobbled_as_before(fake_linked,
                                                                          recorder_factory):
    from app.playback.events import TrackFinished

    services, fake, ids = fake_linked
    fake.faults = {"getOpenSubsonicExtensions": lambda handler, params: handler._send(
        200, b'{"subsonic-response": {"status": "failed", "version": "1.16.1", '
             b'"error": {"code": 70, "message": "unknown method"}}}')}
    fake.payloads = {f"s{n}": bytes(7_000_000) for n in range(2)}
    player = services.start_player(NullEngine(speed=40))
    finished = recorder_factory(services.bus, TrackFinished)
    player.play_tracks(ids[:2])
    finished.wait_for(lambda r: len(r.of(TrackFinished)) == 2)
    services.outbox_sender().flush()
    assert fake.calls.count("getOpenSubsonicExtensions") == 1  # its answer stands
    assert len([p for p in list(fake.params) if p.get("submission") == "true"]) == 2
