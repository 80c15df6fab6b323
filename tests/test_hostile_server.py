"""A hostile server, end to end: ids that look like paths, names with control characters and
10 KB titles, cover art that is not a picture, a huge playlist. Synced, browsed and played for
real; nothing is written outside the profile's data and cache folders, and VLC is only ever
given the loopback proxy's http URLs or files inside the cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.catalog.client import SubsonicClient
from app.catalog.servers import ServerConfig
from app.errors import PreludeError
from app.paths import resolve_profile
from app.playback.events import QueueFinished, TrackFinished
from app.playback.vlc_engine import VlcEngine
from app.services import Services
from tests.audio import make_tone
from tests.fake_subsonic import FakeSubsonic, ok
from tests.images import png_bytes as _png

pytestmark = pytest.mark.reliability

HOSTILE_IDS = ["../../../../tmp/prelude-evil", "/etc/passwd", "..", "C:\\Windows\\win.ini",
               "a/../../b", "%2e%2e%2fescape", "normal-1"]
PLAYLIST_SIZE = 30_000


class RecordingEngine(VlcEngine):
    """The real engine, noting every source it is asked to open."""

    def __init__(self, *args, **kwargs):
        self.opened: list[str] = []
        super().__init__(*args, **kwargs)

    def load(self, source, start_ms=0, duration_hint_ms=None, continuing=False, fade=None):
        self.opened.append(source)
        super().load(source, start_ms, duration_hint_ms, continuing)


def _tree(root: Path, skip: Path) -> set[str]:
    """Files under root, but for the profile and the test keyring (the OS keyring's stand-in)."""
    return {str(p) for p in root.rglob("*")
            if skip not in p.parents and p != skip and p.name != "keyring.json"}


def test_a_hostile_server_stays_data(tmp_path, recorder_factory):
    tone = make_tone(tmp_path / "tone.mp3", 440, 1.0).read_bytes()
    songs = [{"id": song_id, "title": f"T{number}\x00\x1b[2J\r\n" + "x" * 10_000,
              "artist": "Ev\u202eil\x07", "album": "../../album", "albumId": "../al",
              "coverArt": "../../../../tmp/prelude-evil-cover" if number % 2 else song_id,
              "suffix": "../../mp3", "size": len(tone), "duration": 1}
             for number, song_id in enumerate(HOSTILE_IDS)]
    fake = FakeSubsonic(songs)
    fake.payloads = {song_id: tone for song_id in HOSTILE_IDS}
    picture = _png(8, 8, (1, 2, 3))

    def cover(handler, params):  # half of them a picture, half a web page
        is_picture = params.get("id", "").endswith("cover")
        body = picture if is_picture else b"<html>not a picture</html>"
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    entries = [{**songs[n % len(songs)], "title": f"t{n}"} for n in range(PLAYLIST_SIZE)]
    fake.faults["getCoverArt"] = cover
    fake.faults["getPlaylists"] = lambda h, p: h._send(200, ok({"playlists": {"playlist": [
        {"id": "../pl", "name": "Huge\x1b" + "y" * 5000, "songCount": PLAYLIST_SIZE}]}}))
    fake.faults["getPlaylist"] = lambda h, p: h._send(200, ok({"playlist": {
        "id": "../pl", "name": "Huge", "entry": entries}}))

    home = tmp_path / "home"
    home.mkdir()
    before = _tree(tmp_path, home)
    outside_before = set(os.listdir("/tmp"))
    try:
        services = Services.open(resolve_profile(home / "profile"))
        try:
            services.servers.save(ServerConfig("evil", fake.url, "u", auth="token"), "pw")
            services.streams.use_client(SubsonicClient("evil", fake.url, "u", "pw", auth="token"))
            report = services.catalog_sync().sync(services.client_for("evil"))
            assert report.songs == len(HOSTILE_IDS)
            tracks = services.tracks.search("")
            for track in tracks:  # names are text, cut to size, without control characters
                assert len(track.title) <= 1000 and not any(ord(c) < 32 for c in track.title)
            playlists = services.db.query("SELECT id, name FROM playlists")
            assert len(playlists) == 1 and len(playlists[0]["name"]) <= 1000
            assert services.db.scalar("SELECT count(*) FROM playlist_tracks") == PLAYLIST_SIZE

            covers = []
            for track in tracks:
                try:
                    covers.append(Path(services.cover_for(track)))
                except PreludeError as refused:
                    assert "picture" in str(refused) or "image" in str(refused)
            assert covers and all(services.profile.server_covers_dir in c.parents for c in covers)

            engine = RecordingEngine(pcm_sink=lambda pcm: None)
            player = services.start_player(engine)
            done = recorder_factory(services.bus, QueueFinished, TrackFinished)
            player.play_tracks([t.id for t in tracks])
            done.wait_for(lambda r: r.of(QueueFinished), timeout=120)
            reasons = [e.end_reason for e in done.of(TrackFinished)]
            assert reasons == ["completed"] * len(tracks), reasons
            cache_dir = services.profile.cache_dir
            proxy = f"http://127.0.0.1:{services.streams.proxy.port}/"
            for source in engine.opened:
                assert source.startswith(proxy) or cache_dir in Path(source).resolve().parents, \
                    source
            player.shutdown()
        finally:
            services.close()
    finally:
        fake.close()
    assert _tree(tmp_path, home) == before  # nothing written beside the profile
    assert not {n for n in set(os.listdir("/tmp")) - outside_before if "prelude-evil" in n}
    assert json.dumps(report.summary())  # the report is plain text too
