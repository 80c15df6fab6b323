"""The server's newer abilities in radio, autoplay, paths and artist pages: its sonic neighbours
(`sonicSimilarity`: getSonicSimilarTracks, findSonicPath) and its top songs (getTopSongs, by id
where it offers `topSongsByArtistId`), and the same features from the device without them.

Through the scriptable fake: no server that installs here offers sonicSimilarity or
topSongsByArtistId (supysonic 0.7.9 has neither, nor getTopSongs); the fake answers them in the
shapes of the OpenSubsonic reference (tests/fake_subsonic.py)."""

from __future__ import annotations

import pytest

from app.catalog.servers import ServerConfig
from app.models import AudioSource, EndReason
from app.paths import resolve_profile
from app.playback.events import PlanChanged, QueueChanged
from app.playback.null_engine import NullEngine
from app.services import Services
from tests.conftest import wait_until
from tests.fake_subsonic import FakeSubsonic, make_songs, synced_profile


@pytest.fixture
def fake():
    server = FakeSubsonic(make_songs(40))
    server.extensions = ["sonicSimilarity", "topSongsByArtistId"]
    yield server
    server.close()


def _profile(tmp_path, fake, name="home") -> Services:
    return synced_profile(tmp_path / name, fake)


@pytest.fixture
def services(tmp_path, fake):
    services = _profile(tmp_path, fake)
    yield services
    services.close()


def _ids(services, *remote_ids) -> list[int]:
    known = services.tracks.ids_by_location("home", list(remote_ids))
    return [known[remote_id] for remote_id in remote_ids]


def test_a_radio_blends_the_servers_sonic_neighbours_with_their_reason(services, fake):
    fake.sonic["s0"] = ["s5", "s0", "s12", "s99", "s3"]  # itself and an unknown song are left out
    seed, *alike = _ids(services, "s0", "s5", "s12", "s3")
    radio = services.radio.from_track(seed, limit=12)
    assert radio.track_ids[0::2][:3] == alike  # every other pick the server's, likest first
    reasons = dict((item.track_id, item.reason) for item in radio.items)
    assert reasons[alike[0]] == "Sounds like Artist 0 — Song 0 (by home)"
    own = [item for item in radio.items if item.track_id not in alike]
    assert len(own) == 9 and all(item.reason.startswith("Radio from") for item in own)
    assert seed not in radio.track_ids and len(set(radio.track_ids)) == 12


def test_without_the_extension_the_radio_is_the_devices_own(tmp_path, fake):
    fake.extensions = []
    fake.sonic["s0"] = ["s5"]
    services = _profile(tmp_path, fake, "plain")
    try:
        seed = _ids(services, "s0")[0]
        radio = services.radio.from_track(seed, limit=12)
        assert len(radio.track_ids) == 12
        assert not any(item.reason.startswith("Sounds like") for item in radio.items)
        assert "getSonicSimilarTracks" not in fake.calls  # not asked of a server that lacks it
    finally:
        services.close()


def test_autoplay_uses_neighbours_asked_ahead_and_never_waits_for_them(services, fake):
    fake.sonic["s0"] = ["s7", "s8"]
    seed, first, second = _ids(services, "s0", "s7", "s8")
    before = services.radio.autoplay([seed], 6)  # not asked yet: the device's picks alone
    assert len(before) == 6 and "getSonicSimilarTracks" not in fake.calls
    assert all(why == "Autoplay, after Artist 0 — Song 0" for _, why in before)
    services.radio.look_ahead(services.tracks.get(seed)).result(timeout=30)
    after = services.radio.autoplay([seed], 6)
    assert [after[0], after[2]] == [(first, "Sounds like Artist 0 — Song 0 (by home)"),
                                    (second, "Sounds like Artist 0 — Song 0 (by home)")]


def test_the_queue_says_why_autoplay_and_radio_tracks_are_there(services, fake):
    fake.sonic["s0"] = ["s7"]
    fake.payloads = {song["id"]: b"\0" * 4096 for song in fake.songs}  # what prefetch fetches
    seed, alike = _ids(services, "s0", "s7")
    services.start_player(NullEngine(speed=0.01))
    services.enable_recommendations()  # autoplay on; a server track's start asks for neighbours
    seen: list[QueueChanged] = []
    services.bus.subscribe(QueueChanged, seen.append)
    plans: list[PlanChanged] = []
    services.bus.subscribe(PlanChanged, plans.append)
    services.player.play_tracks([seed], 0, context="radio", reasons={seed: "Radio seed"}).result(30)
    assert dict(seen[-1].reasons) == {seed: "Radio seed"}
    # Autoplay chose as the track started; once the server has answered, it chooses again.
    wait_until(lambda: "getSonicSimilarTracks" in fake.calls)
    services.radio._ahead.submit(lambda: None).result(30)  # the look-ahead and its callback done
    services.player.call(lambda: None)  # and what that callback asked of the player
    assert plans[-1].track_ids[:2] == (seed, alike)
    services.player.next().result(30)  # the queue ran out: autoplay goes on, and says why
    queued = dict(seen[-1].reasons)
    assert queued[alike] == "Sounds like Artist 0 — Song 0 (by home)" and seed in queued
    services.player.play_tracks([seed], 0).result(30)  # a queue chosen by hand has no reasons
    assert seen[-1].reasons == ()


def test_a_path_between_two_songs_comes_from_the_server_or_the_device(services, fake):
    fake.sonic["s1"] = ["s4", "s9", "s30"]
    start, end, *middle = _ids(services, "s1", "s30", "s4", "s9")
    path = services.radio.path(start, end)
    assert path.track_ids == [start, *middle, end]
    assert path.items[1].reason == "home's sonic path from Artist 1 — Song 1 to Artist 2 — Song 30"
    fake.extensions = []  # a server without it (asked again by a new profile)
    fake.sonic.clear()
    plain = _profile(services.profile.data_dir.parent, fake, "other")
    try:
        start, end = _ids(plain, "s1", "s30")
        path = plain.radio.path(start, end, count=8)
        assert path.track_ids[0] == start and path.track_ids[-1] == end
        assert len(path.track_ids) == 8 and len(set(path.track_ids)) == 8
        assert path.items[3].reason == "On the way from Artist 1 — Song 1 to Artist 2 — Song 30"
    finally:
        plain.close()


def test_top_songs_by_the_artists_id_by_name_or_by_this_persons_plays(services, fake):
    fake.top_songs["ar3"] = ["s10", "s3"]  # by id: the topSongsByArtistId extension
    fake.top_songs["Artist 3"] = ["s17"]  # by name: what a server without it is asked
    top = services.radio.top_songs("Artist 3", ["home"])
    assert (top.track_ids, top.source) == (_ids(services, "s10", "s3"), "home")
    assert fake.params[-1]["id"] == "ar3" and fake.params[-1]["artist"] == "Artist 3"
    fake.extensions = []
    plain = _profile(services.profile.data_dir.parent, fake, "other")
    try:
        assert plain.radio.top_songs("Artist 3", ["home"]).track_ids == _ids(plain, "s17")
        assert "id" not in fake.params[-1]
        fake.top_songs.clear()  # the server knows none (or cannot say): this person's plays
        liked = _ids(plain, "s25")[0]  # by Artist 4
        play = plain.history.start(plain.tracks.get(liked), "queue", AudioSource.STREAM)
        plain.history.finish(play, EndReason.COMPLETED, 180_000)
        top = plain.radio.top_songs("Artist 4", ["home"])
        assert (top.track_ids, top.source) == ([liked], "your plays")
    finally:
        plain.close()


def test_the_radio_command_shows_the_servers_picks_and_why(services, fake, capsys):
    import json
    from types import SimpleNamespace

    from ui.cli.recommend_commands import recommend_command

    fake.sonic["s0"] = ["s5"]
    args = SimpleNamespace(limit=5, train=False, radio="Song 0", artist=False, json=True)
    assert recommend_command(services, args) == 0
    listed = json.loads(capsys.readouterr().out)["tracks"]
    assert listed[0]["title"] == "Song 5"
    assert listed[0]["reason"] == "Sounds like Artist 0 — Song 0 (by home)"


def test_an_artist_page_has_the_servers_picture_and_top_songs(qtbot, services, fake):
    from app.playback.null_engine import NullEngine as Engine
    from tests.images import png_bytes
    from ui.main import build_window

    fake.pictures["ar-ar3"] = png_bytes(64, 64, (200, 20, 20))  # Artist 3's picture, red
    fake.top_songs["ar3"] = ["s17", "s3"]
    services.start_player(Engine(speed=0.01))
    window = build_window(services)
    qtbot.addWidget(window)
    try:
        window.open_group("artists", "Artist 3")
        view = window.views["artists"]
        qtbot.waitUntil(lambda: view.selected_key() == "Artist 3"
                        and view.song_switch.note == "by plays on home", timeout=30_000)
        assert list(view.model.ids) == _ids(services, "s17", "s3")
        qtbot.waitUntil(lambda: view.header.art.pixmap() is not None
                        and not view.header.art.pixmap().isNull()
                        and view.header.art.pixmap().toImage().pixelColor(40, 40).red() > 150,
                        timeout=30_000)
        assert "getCoverArt" in fake.calls
        # In search too: the artist's row and the top result show their picture.
        from ui.models.cover_keys import ArtistPicture
        from ui.models.roles import COVER_PATH
        from ui.widgets.thumbnails import shared_thumbnails
        from ui.widgets.two_line_delegate import THUMB_PX

        window.search_box.setText("artist 3")
        results = window.search_results
        qtbot.waitUntil(lambda: results.count() > 0 and window.top_result.kind == "artist", timeout=30_000)
        key = results.item(0).data(COVER_PATH)
        assert key == window.top_result.cover and isinstance(key, ArtistPicture)
        thumbnails = shared_thumbnails(THUMB_PX)
        qtbot.waitUntil(lambda: thumbnails.get(key) is not None, timeout=30_000)
        assert thumbnails.get(key).toImage().pixelColor(10, 10).red() > 150
        # Picture and top songs (and the search's rows) found the artist with one question.
        lookups = [params for method, params in zip(fake.calls, fake.params, strict=True)
                   if method == "search3" and params.get("query") == "Artist 3"]
        assert len(lookups) == 1
    finally:
        window.bridge.detach()


@pytest.mark.parametrize("payload", [
    {"sonicMatch": "not a list"}, {"sonicMatch": [1, None, {"entry": "x"}, {"entry": {"id": {}}}]},
    {"sonicSimilarTracks": {"sonicMatch": [{"id": "s5"}]}},  # wrapped, and flat: still read
    {"sonicMatch": [{"entry": {"id": "s5"}, "similarity": "high"}] * 5000},
])
def test_a_strange_sonic_answer_gives_what_can_be_read_and_never_breaks(services, fake, payload):
    from tests.fake_subsonic import ok

    def answer(handler, params):
        data = ok(payload)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    fake.faults["getSonicSimilarTracks"] = answer
    seed, alike = _ids(services, "s0", "s5")
    found = services.radio.similarity.similar(services.tracks.get(seed))
    assert found in ([], [alike])
    radio = services.radio.from_track(seed, limit=8)
    assert len(radio.track_ids) == 8 and seed not in radio.track_ids


def test_a_real_server_without_these_calls_leaves_the_device_to_answer(tmp_path, subsonic):
    """supysonic 0.7.9 lists no sonicSimilarity and has no getTopSongs: the same lists come
    from the device, and nothing breaks."""
    from app.bench.supysonic_server import PASSWORD, USER

    services = Services.open(resolve_profile(tmp_path / "real"))
    try:
        services.servers.save(ServerConfig("home", subsonic.url, USER), PASSWORD)
        services.catalog_sync().sync(services.client_for("home"))
        ids = {services.tracks.get(i).title: i for i in services.tracks.ordered_ids("")}
        radio = services.radio.from_track(ids["Remote One"], limit=3)
        assert radio.track_ids and not any(i.reason.startswith("Sounds like") for i in radio.items)
        path = services.radio.path(ids["Remote One"], ids["Doomed"], count=4)
        assert path.track_ids[0] == ids["Remote One"] and path.track_ids[-1] == ids["Doomed"]
        assert path.items[0].reason.startswith("On the way from")
        play = services.history.start(services.tracks.get(ids["Remote Two"]), "queue", AudioSource.STREAM)
        services.history.finish(play, EndReason.COMPLETED, 2000)
        top = services.radio.top_songs("Gamma Group", ["home"])
        assert (top.track_ids, top.source) == ([ids["Remote Two"]], "your plays")
    finally:
        services.close()



def test_home_gives_a_server_artists_station_their_album_cover_once_cached(tmp_path, fake):
    from app.library.home_feed import load_home
    from tests.images import png_bytes

    for song in fake.songs:
        if song["artist"] == "Artist 2":
            song["coverArt"] = "cv2"
    fake.pictures["cv2"] = png_bytes(32, 32, (20, 200, 20))
    services = synced_profile(tmp_path / "home", fake)
    try:
        liked = _ids(services, "s2")[0]
        play = services.history.start(services.tracks.get(liked), "queue", AudioSource.STREAM)
        services.history.finish(play, EndReason.COMPLETED, 180_000)
        station = next(card for card in load_home(services).stations if card.key == "Artist 2")
        assert station.cover is None  # Home never waits for a download...
        services.server_cover("home", "cv2")  # ...but once the cover cache has it (a row read it)
        station = next(card for card in load_home(services).stations if card.key == "Artist 2")
        assert station.cover and station.cover == str(services.server_covers.cached("home", "cv2"))
    finally:
        services.close()
