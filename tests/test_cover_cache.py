"""Server cover art: fetched once, checked to be a picture, cached within a cap. Covers come
from the real test server; answers that are not pictures from the scriptable fake (no real
server sends a shell script as a cover)."""

from __future__ import annotations

import pytest

from app.bench.supysonic_server import PASSWORD, USER, SupysonicServer
from app.catalog.client import SubsonicClient
from app.catalog.cover_cache import CoverCache
from app.catalog.servers import ServerConfig
from app.errors import CatalogError
from tests.audio import make_tone
from tests.fake_subsonic import FakeSubsonic, make_songs
from tests.images import png_bytes as _png


def test_cover_art_from_a_real_server_is_cached(services, subsonic):
    services.servers.save(ServerConfig("home", subsonic.url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for("home"))
    track = services.tracks.search("remote one")[0]
    assert track.cover_path  # the server's cover art id
    path = services.cover_for(track)
    assert path.startswith(str(services.profile.server_covers_dir))
    with open(path, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    cache = CoverCache(services.profile.server_covers_dir)
    assert str(cache.cached("home", track.cover_path)) == path
    assert services.cover_for(track) == path


@pytest.fixture
def fake():
    server = FakeSubsonic(make_songs(1))
    yield server
    server.close()


def _serve(fake, data: bytes, content_type: str = "image/png"):
    def respond(handler, params):
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    fake.faults["getCoverArt"] = respond


def test_a_cover_that_is_not_a_picture_is_refused(tmp_path, fake):
    cache = CoverCache(tmp_path / "covers")
    client = SubsonicClient("fake", fake.url, "u", "pw", auth="token")
    _serve(fake, b"#!/bin/sh\nrm -rf /\n", "image/jpeg")
    with pytest.raises(CatalogError, match="not a picture"):
        cache.get(client, "../../evil")
    _serve(fake, b'{"subsonic-response": {"status": "failed", "error": {"code": 70}}}',
           "application/json")
    with pytest.raises(CatalogError, match="could not find"):
        cache.get(client, "missing")
    assert cache.usage_bytes() == 0


@pytest.fixture(scope="module")
def five_covers_server(tmp_path_factory):
    """The test server with five albums, each with a cover of its own."""
    root = tmp_path_factory.mktemp("covers-server")
    for number in range(5):
        album = root / "music" / "Painter" / f"Canvas {number}"
        make_tone(album / "01 Song.mp3", 300 + 60 * number, 0.5, title=f"Song {number}",
                  artist="Painter", album=f"Canvas {number}", track=1)
        (album / "cover.png").write_bytes(_png(200, 200, (40 * number, 20, 30)))
    server = SupysonicServer(root / "server", root / "music")
    server.setup()
    server.start()
    yield server
    server.stop()


def test_the_cache_stays_under_its_cap_dropping_the_least_recently_used(
        tmp_path, services, five_covers_server):
    services.servers.save(ServerConfig("home", five_covers_server.url, USER), PASSWORD)
    client = services.client_for("home")
    services.catalog_sync().sync(client)
    cover_ids = [t.cover_path for t in sorted(services.tracks.search(""), key=lambda t: t.album)]
    assert len(set(cover_ids)) == 5
    sizes = sorted(CoverCache(tmp_path / "sizes").get(client, c).stat().st_size for c in cover_ids)
    cache = CoverCache(tmp_path / "covers", cap_bytes=sum(sizes[-3:]))  # room for three
    first = cache.get(client, cover_ids[0])
    for cover_id in cover_ids[1:]:
        cache.get(client, cover_id)
        assert cache.usage_bytes() <= cache.cap_bytes
    assert not first.exists()
    assert all(p.parent == tmp_path / "covers" for p in (tmp_path / "covers").iterdir())
