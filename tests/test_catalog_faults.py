"""A server that is down, slow, wrong or hostile: a clear message, and the library untouched."""

from __future__ import annotations

import threading

import pytest

from app.catalog import client as client_module
from app.catalog.client import SubsonicClient
from app.errors import CatalogError
from tests.fake_subsonic import FakeSubsonic, make_songs, ok

pytestmark = pytest.mark.reliability


@pytest.fixture
def fake():
    server = FakeSubsonic(make_songs(1200))
    yield server
    server.close()


def _client(fake, timeout=5.0) -> SubsonicClient:
    return SubsonicClient("fake", fake.url, "u", "pw", timeout=timeout)


def _titles(services) -> list[str]:
    return sorted(t.title for t in services.tracks.search(""))


def test_paging_syncs_every_song_and_resync_is_cheap(services, fake):
    syncer = services.catalog_sync()
    report = syncer.sync(_client(fake))
    assert (report.songs, report.added, report.method) == (1200, 1200, "search3")
    assert services.tracks.count() == 1200
    fake.calls.clear()
    assert syncer.sync(_client(fake)).skipped
    assert "search3" not in fake.calls


def _fail_second_page(respond):
    def fault(handler, params):
        if int(params.get("songOffset", 0)) == 0:
            return False  # the first page answers normally
        respond(handler)
        return True
    return fault


FAULTS = {
    "HTTP 500": (lambda h: h._send(500, b"oops"), "answered HTTP 500"),
    "invalid JSON": (lambda h: h._send(200, b"{not json"), "not a JSON response"),
    "wrong shape": (lambda h: h._send(200, ok({"searchResult3": "nope"})), "wrong shape"),
    "list of the wrong shape": (lambda h: h._send(200, ok({"searchResult3": {"song": "x"}})),
                                "wrong shape"),
    "truncated body": (lambda h: h._send(200, b'{"subsonic-response": {"sta', length=5000),
                       "broke off its answer|Talking to fake|Could not reach fake"),
    "redirect to a file": (lambda h: (h.send_response(302), h.send_header(
        "Location", "file:///etc/passwd"), h.send_header("Content-Length", "0"),
        h.end_headers()), "redirected elsewhere"),
    "html error page": (lambda h: h._send(200, b"<html><body>404</body></html>"),
                        "not a JSON response"),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_fault_mid_sync_leaves_the_previous_catalog_intact(services, fake, name):
    syncer = services.catalog_sync()
    syncer.sync(_client(fake))
    before = _titles(services)
    fake.songs = make_songs(1300, prefix="new")  # the server changed...
    respond, message = FAULTS[name]
    fake.faults["search3"] = _fail_second_page(respond)  # ...and fails halfway through
    with pytest.raises(CatalogError, match=message):
        syncer.sync(_client(fake))
    assert _titles(services) == before
    assert services.db.integrity_check() == "ok"


def test_a_server_that_stalls_times_out_in_words(services, fake):
    release = threading.Event()

    def stall(handler, params):
        release.wait(10)  # the fault: no answer until the test is over
        return False

    fake.faults["ping"] = stall
    try:
        with pytest.raises(CatalogError, match=r"did not answer within 1 s"):
            _client(fake, timeout=1.0).ping()
    finally:
        release.set()


def test_a_huge_answer_is_refused(services, fake, monkeypatch):
    monkeypatch.setattr(client_module, "MAX_RESPONSE_BYTES", 20_000)
    with pytest.raises(CatalogError, match="too large"):
        services.catalog_sync().sync(_client(fake))
    assert services.tracks.count() == 0


def test_hostile_ids_and_names_stay_data(services, fake, tmp_path):
    fake.songs = [
        {"id": "../../../../tmp/evil", "title": "Evil\x00Title\x1b[2J", "artist": "A" * 10_000},
        {"id": "/etc/passwd", "title": "Absolute"},
        {"id": "ok-1", "title": "Fine", "duration": "NaN", "track": {"x": 1}},
        {"id": None, "title": "No id"},
        {"title": "Missing id"},
        "not even an object",
    ]
    report = services.catalog_sync().sync(_client(fake))
    assert report.songs == 3
    tracks = {t.location: t for t in services.tracks.search("")}
    assert set(tracks) == {"../../../../tmp/evil", "/etc/passwd", "ok-1"}
    assert tracks["../../../../tmp/evil"].title == "Evil Title [2J"
    assert len(tracks["../../../../tmp/evil"].artist) == 1000
    assert tracks["ok-1"].duration_ms is None
    # Played, such ids travel only as a URL parameter to the server, never as a path.
    url = _client(fake).stream_url("../../../../tmp/evil")
    assert url.startswith(fake.url + "/rest/stream.view?id=..%2F..%2F")


def test_a_server_without_empty_query_search_is_walked_album_by_album(services, fake):
    fake.faults["search3"] = lambda handler, params: handler._send(200, (
        b'{"subsonic-response": {"status": "failed", "error": {"code": 10, '
        b'"message": "query is required"}}}'))
    report = services.catalog_sync().sync(_client(fake))
    assert (report.songs, report.method) == (1200, "albums")
    assert services.tracks.count() == 1200


def test_api_key_login_where_the_server_offers_it(tmp_path, fake):
    import subprocess

    from tests.cli import PRELUDE, prelude_env, run_prelude

    data = tmp_path / "data"

    def add(name):
        return subprocess.run([PRELUDE, "server", "add", name, fake.url, "--user", "u",
                               "--api-key-stdin"], input="KEY-123\n", env=prelude_env(data),
                              capture_output=True, text=True, timeout=60)

    refused = add("nokeys")
    assert refused.returncode == 2 and "does not offer API keys" in refused.stderr
    fake.extensions = ["apiKeyAuthentication"]
    assert add("keyed").returncode == 0
    fake.params.clear()
    assert run_prelude(data, "sync").returncode == 0
    assert fake.params and all(p.get("apiKey") == "KEY-123" and "u" not in p and "t" not in p
                               and "p" not in p for p in fake.params)


@pytest.mark.parametrize("location", ["file:///etc/passwd", "http://127.0.0.2:9/elsewhere.mp3"])
def test_a_stream_that_redirects_is_refused_not_followed(services, fake, location):
    """libvlc would follow a redirect to file:// itself: the proxy VLC plays from does not."""
    import urllib.error
    import urllib.request

    from app.catalog.servers import ServerConfig
    from app.playback.sources import Sources
    from app.streaming.server_streams import ServerStreams

    services.servers.save(ServerConfig("slim", fake.url, "u", "token", None, 128, "opus"), "pw")
    services.catalog_sync().sync(services.client_for("slim"))
    fake.faults["stream"] = lambda h, p: (h.send_response(302), h.send_header("Location", location),
                                          h.send_header("Content-Length", "0"), h.end_headers())
    streams = ServerStreams(services.servers)
    sources = Sources()
    streams.register(sources)
    track = services.tracks.search("")[0]
    try:
        url, kind = sources.resolve(track)
        assert url.startswith("http://127.0.0.1:") and fake.url not in url
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=30)
        assert refused.value.code == 502
        assert "answered HTTP 302" in sources.explain(track)
        asked = fake.params[fake.calls.index("stream")]
        assert (asked["maxBitRate"], asked["format"]) == ("128", "opus")
    finally:
        streams.close()


def test_a_scrobble_is_not_retried_once_the_server_had_it(fake):
    """A 503 after the server got the request: a read call is retried, a scrobble is not."""
    fake.faults["scrobble"] = lambda handler, params: handler._send(503, b"busy")
    fake.faults["getIndexes"] = lambda handler, params: handler._send(503, b"busy")
    client = _client(fake)
    client.auth = "token"
    with pytest.raises(CatalogError, match="HTTP 503"):
        client.call("scrobble", id="s1", submission="true")
    with pytest.raises(CatalogError, match="HTTP 503"):
        client.call("getIndexes")
    assert fake.calls.count("scrobble") == 1
    assert fake.calls.count("getIndexes") == 4  # the first try and three retries
