"""Parsers fuzzed with hypothesis: Subsonic responses, history exports, settings, lyrics.

No input may raise anything but the app's own error types (PreludeError and its kinds), and
what is accepted comes out well-formed. The examples run for real: responses through the client's
parser and a sync against a loopback server, exports through the importer into SQLite, settings
through the database into every reader of them.
"""

from __future__ import annotations

import io
import json
import math
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog.client import SubsonicClient
from app.catalog.parse import ERROR_TEXT, body, parse_playlists, parse_songs
from app.errors import PreludeError
from app.history_import.formats import read_export
from app.history_import.importer import import_history
from app.lyrics.lyrics import parse_lrc
from app.settings import EQUALIZER
from app.settings import EVERY as EVERY_SETTING
from tests.fake_subsonic import FakeSubsonic, make_songs

pytestmark = pytest.mark.reliability

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers(-2**70, 2**70)
           | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(max_size=40) | st.sampled_from(["", "..", "../../etc/passwd", "\x00", "ok",
                                                     "1", "-1", "1e999", "NaN", "http://x"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=6)
                           | st.dictionaries(st.text(max_size=12) | st.sampled_from(
                               ["id", "title", "song", "entry", "status", "artist", "album",
                                "duration", "track", "size", "playCount", "starred",
                                "userRating", "coverArt", "playlist", "searchResult3",
                                "subsonic-response", "error", "code", "message"]),
                               inner, max_size=6), max_leaves=30)


def _subsonic(payload) -> dict:
    return {"subsonic-response": {"status": "ok", "version": "1.16.1", **(
        payload if isinstance(payload, dict) else {"searchResult3": payload})}}


# -- Subsonic responses -----------------------------------------------------------------------
@FUZZ
@given(document=json_values | st.builds(_subsonic, json_values))
def test_subsonic_documents_parse_or_fail_in_words(document):
    for key in (None, "searchResult3", "playlist", "playlists", "album"):
        try:
            value = body(document, key)
            raws = (value, value.get("song") if isinstance(value, dict) else None)
            songs = [song for raw in raws for song in parse_songs(raw)]
            playlists = [playlist for raw in raws for playlist in parse_playlists(raw)]
        except PreludeError as error:
            assert str(error)
            continue
        for song in songs:
            assert song.id and isinstance(song.id, str) and len(song.id) <= 512
            assert isinstance(song.title, str) and all(ord(c) >= 32 for c in song.title)
            assert song.duration_ms is None or 0 <= song.duration_ms
            assert not {"", ".", ".."} & set(song.folder.split("/")) or song.folder == ""
        for playlist in playlists:
            assert isinstance(playlist.name, str)


@FUZZ
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode)
       | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_bytes_from_a_server_parse_or_fail_in_words(data):
    client = SubsonicClient("Fuzz", "http://127.0.0.1:9", "u", "p", auth="token")
    try:
        body(client._parse(data))
    except PreludeError as error:
        message = str(error)
        # One sentence for a person: names the server or what was wrong with its answer,
        # never Python's own wording of an exception.
        assert message[:1].isupper() and message.endswith((".", ")")), message
        assert "\n" not in message and "Traceback" not in message and "Error:" not in message
        known = tuple(text[0].upper() + text[1:] for text in ERROR_TEXT.values())
        assert message.startswith(("Fuzz (http://127.0.0.1:9)", "The server", *known)), message


@pytest.fixture(scope="module")
def fuzz_server():
    server = FakeSubsonic(make_songs(3))
    yield server
    server.close()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(songs=json_values)
def test_a_sync_of_fuzzed_songs_keeps_the_database_well_formed(services, fuzz_server, songs):
    fuzz_server.faults["search3"] = lambda handler, params: handler._send(
        200, json.dumps(_subsonic({"searchResult3": {"song": songs}})).encode())
    client = SubsonicClient("fuzz", fuzz_server.url, "u", "p", auth="token")
    try:
        services.catalog_sync().sync(client, full=True)
    except PreludeError:
        pass
    for track in services.tracks.search(""):
        assert isinstance(track.title, str) and track.location
    assert services.db.integrity_check() == "ok"


# -- history exports --------------------------------------------------------------------------
def _spotify_entry(values):
    keys = ["ts", "ms_played", "master_metadata_track_name", "master_metadata_album_artist_name",
            "master_metadata_album_album_name", "spotify_track_uri", "reason_end", "skipped"]
    return dict(zip(keys, values, strict=False))


exports = (st.text(max_size=400)
           | json_values.map(json.dumps)
           | st.lists(st.lists(json_values, min_size=8, max_size=8).map(_spotify_entry),
                      max_size=5).map(json.dumps)
           | st.lists(st.fixed_dictionaries({"endTime": json_values, "artistName": json_values,
                                             "trackName": json_values, "msPlayed": json_values}),
                      max_size=5).map(json.dumps)
           | st.lists(st.fixed_dictionaries({"listened_at": json_values,
                                             "track_metadata": json_values}),
                      max_size=5).map(lambda rows: "\n".join(json.dumps(r) for r in rows)))


@FUZZ
@given(name=st.sampled_from(["Streaming_History_Audio_2020.json", "StreamingHistory0.json",
                             "listens.jsonl", "x.json"]), text=exports)
def test_history_exports_parse_or_fail_in_words(name, text):
    try:
        for play in read_export(name, text):
            assert play is not None
    except PreludeError as error:
        assert str(error)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=exports, as_zip=st.booleans(), garbage=st.binary(max_size=200))
def test_importing_fuzzed_files_keeps_history_well_formed(services, tmp_path_factory, text,
                                                         as_zip, garbage):
    folder = tmp_path_factory.mktemp("export")
    if as_zip:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("Spotify/Streaming_History_Audio_1.json", text)
        path = folder / "my_spotify_data.zip"
        path.write_bytes(buffer.getvalue() if garbage[:1] != b"\x00" else garbage)
    else:
        path = folder / "Streaming_History_Audio_1.json"
        path.write_text(text, encoding="utf-8")
    try:
        import_history(services.db, [path])
    except PreludeError:
        pass
    for row in services.db.query("SELECT ms_played, started_at FROM play_events"):
        assert row["ms_played"] is None or row["ms_played"] >= 0
        assert math.isfinite(row["started_at"])
    assert services.db.integrity_check() == "ok"


# -- settings ---------------------------------------------------------------------------------
SETTING_KEYS = [setting.key for setting in EVERY_SETTING]  # every setting, as declared


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({key: json_values.map(json.dumps) | st.text(max_size=30)
                                     for key in SETTING_KEYS}),
       servers=st.lists(st.fixed_dictionaries({
           "name": json_values | st.just("home"), "url": json_values | st.just("http://h"),
           "user": json_values | st.just("me")}, optional={
           "auth": json_values, "max_bitrate_kbps": json_values, "certificate": json_values}),
           max_size=3).map(json.dumps))
def test_any_stored_settings_load(services, values, servers):
    """Every setting, on any stored value (JSON or not): a value it declares it takes, and its
    readers cope with it."""
    from app.playback.sound import Equalizer

    with services.db.transaction() as conn:
        conn.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                         [*values.items(), ("catalog.servers", servers)])
    stored = services.settings
    for server in services.servers.all():
        assert isinstance(server.url, str) and isinstance(server.name, str)
        try:
            server.client()  # its address checked, its password looked up
        except PreludeError:
            pass
    for setting in EVERY_SETTING:
        value = stored.read(setting)
        assert setting.accepts(value), (setting.key, value)
        stored.write(setting, value)  # what is read can be written back
    assert all(isinstance(f, str) for f in services.library.folders())
    equalizer = Equalizer.from_setting(stored.read(EQUALIZER))
    assert equalizer is None or all(-20 <= g <= 20 for g in equalizer.gains_db)
    services.has_servers()


# -- lyrics -----------------------------------------------------------------------------------
@FUZZ
@given(text=st.text(max_size=500) | st.lists(
    st.tuples(st.integers(-5, 200), st.integers(-5, 99), st.text(max_size=20)), max_size=10
).map(lambda lines: "\n".join(f"[{m}:{s}.{s}]{t}" for m, s, t in lines)))
def test_lrc_lyrics_parse_anything(text):
    lyrics = parse_lrc(text)
    times = [line.start_ms for line in lyrics.lines if line.start_ms is not None]
    assert times == sorted(times) and all(t >= 0 for t in times)
