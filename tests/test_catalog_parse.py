"""Parsing recorded responses from several servers (read in place from ../shared) and junk."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalog.client import SubsonicClient
from app.catalog.parse import body, clean_id, clean_text, parse_playlists, parse_song, parse_songs
from app.errors import CatalogError

# Read in place from ../shared beside the checkout (never copied into the project).
FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "subsonic-responses"


def _load(name: str):
    """The first response recorded in a file; a missing fixture fails the test."""
    return json.loads(_responses(name)[0])


def _responses(name: str) -> list[bytes]:
    """Every response recorded in a file (several are separated by lines of '=')."""
    path = FIXTURES / name
    if not path.exists():
        pytest.fail(f"shared fixtures not found at {FIXTURES}")
    return [part for part in re.split(rb"(?m)^=+\s*$", path.read_bytes()) if part.strip()]


def _recorded_files() -> list[str]:
    if not FIXTURES.is_dir():
        pytest.fail(f"shared fixtures not found at {FIXTURES}")  # at collection: fails the run
    return sorted(path.name for path in FIXTURES.iterdir() if path.name != "README.md")


def _lists_of_songs(node):
    """Every list of songs in a document, wherever it sits (song, entry, child)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("song", "entry", "child") and isinstance(value, list):
                yield value
            else:
                yield from _lists_of_songs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _lists_of_songs(item)


@pytest.mark.parametrize("name", _recorded_files())
def test_every_recorded_response_parses_or_fails_in_words(name):
    """Each response recorded from Navidrome, Airsonic, Gonic, Revel and supysonic, read as the
    client reads a server's bytes: a failed ping or an HTML page is a CatalogError naming the
    server; every other answer is accepted, and every song in it comes out with its id."""
    client = SubsonicClient("Recorded", "http://127.0.0.1:9", "u", "p", auth="token")
    for data in _responses(name):
        if name.startswith("ping_failed"):
            with pytest.raises(CatalogError, match=r"^Recorded \(http://127\.0\.0\.1:9\)"):
                body(client._parse(data))
            continue
        answer = body(client._parse(data))
        assert answer["status"] == "ok"
        for raws in _lists_of_songs(answer):
            files = [raw for raw in raws if not raw.get("isDir")]
            songs = parse_songs(files)
            assert [song.id for song in songs] == [str(raw["id"]) for raw in files], name
            assert all(song.title for song in songs), name
        if "playlists" in answer:
            playlists = parse_playlists(answer["playlists"].get("playlist"))
            assert playlists and all(playlist.id and playlist.name for playlist in playlists)


def test_navidrome_search3_songs():
    result = body(_load("search3-navidrome.json"), "searchResult3")
    raw = result["song"]
    songs = parse_songs(raw)
    assert len(songs) == len(raw) > 0
    first, raw_first = songs[0], raw[0]
    assert first.id == raw_first["id"] and first.title == raw_first["title"]
    assert first.duration_ms == raw_first["duration"] * 1000


def test_airsonic_album_songs_and_missing_ids():
    album = body(_load("get_album-airsonic.json"), "album")
    songs = parse_songs(album["song"])
    assert len(songs) == album["songCount"]
    assert all(song.album == album["name"] for song in songs)
    for name in ("get_song_details_no_albumid-airsonic.json",
                 "get_song_details_no_artistid-airsonic.json"):
        song = parse_song(body(_load(name), "song"))
        assert song is not None and song.title


def test_empty_lists_in_every_shape():
    assert parse_songs(None) == [] and parse_songs({}) == [] and parse_songs([]) == []
    assert len(parse_songs({"id": "1", "title": "Alone"})) == 1  # a lone object, not a list
    assert body(_load("get_playlists-airsonic.json"), "playlists") is not None


def test_not_a_subsonic_answer_is_a_clear_error():
    with pytest.raises(CatalogError, match="not an OpenSubsonic response"):
        body({"I'm json from another service": True})
    with pytest.raises(CatalogError, match="Wrong username or password"):
        body({"subsonic-response": {"status": "failed", "error": {"code": 40, "message": "x"}}})
    with pytest.raises(CatalogError, match="wrong shape"):
        body({"subsonic-response": {"status": "ok", "searchResult3": "nope"}}, "searchResult3")


def test_hostile_values_are_bounded_and_never_paths():
    song = parse_song({"id": "../../etc/passwd", "title": "A\x00B\x1b[31m" + "x" * 20_000,
                       "artist": "\u202etxt.exe", "duration": -5, "track": "3/12",
                       "suffix": "../mp3", "size": 10**20})
    assert song.id == "../../etc/passwd"  # ids are opaque and only ever sent back as parameters
    assert "\x00" not in song.title and "\x1b" not in song.title and len(song.title) == 1000
    assert song.duration_ms is None and song.size is None and song.suffix is None
    assert "\u202e" not in song.artist
    assert clean_id("a\nb") is None and clean_id("x" * 500) is None and clean_id(True) is None
    assert clean_text(["list"]) == ""


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8),
                                                                      children, max_size=5),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(json_values, st.sampled_from([None, "searchResult3", "album", "song"]))
def test_any_json_gives_songs_or_a_catalog_error(document, key):
    wrapped = {"subsonic-response": {"status": "ok", key or "x": document}}
    for candidate in (document, wrapped):
        try:
            result = body(candidate, key)
            songs = parse_songs(result.get("song")) if isinstance(result, dict) else []
            songs += parse_songs(document)
        except CatalogError as error:
            assert str(error)  # in words, never a bare exception
            continue
        # Whatever came in, what comes out is songs with an id and bounded text.
        assert all(isinstance(song.id, str) and song.id for song in songs)
        assert all(isinstance(song.title, str) and len(song.title) <= 1000 for song in songs)


def test_server_play_counts_are_read_when_given():
    entries = body(_load("get_playlist_details-navidrome.json"), "playlist")["entry"]
    assert [song.play_count for song in parse_songs(entries)] == [20, 18]
    assert parse_song({"id": "1", "title": "t"}).play_count is None
    assert parse_song({"id": "1", "title": "t", "playCount": "lots"}).play_count is None
