"""Lyrics: LRC parsing, a server's structured lyrics, and the Lyrics tab following playback."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalog.client import SubsonicClient
from app.lyrics.finder import local_lyrics, server_lyrics
from app.lyrics.lyrics import parse_lrc
from app.models import Track
from tests.fake_subsonic import FakeSubsonic, make_songs

LRC = """[ar:Alpha Band]
[ti:Opening]
[offset:+500]
[00:01.00]First line
[00:03.50][00:09.00]Chorus
[00:05.25]Second line
not a timed line
"""


def test_lrc_lines_are_timed_sorted_and_offset():
    lyrics = parse_lrc(LRC)
    assert lyrics.synced
    assert [(line.start_ms, line.text) for line in lyrics.lines] == [
        (500, "First line"), (3000, "Chorus"), (4750, "Second line"), (8500, "Chorus")]
    assert lyrics.line_at(0) is None and lyrics.line_at(500) == 0
    assert lyrics.line_at(4000) == 1 and lyrics.line_at(60_000) == 3


def test_text_without_stamps_is_plain():
    lyrics = parse_lrc("just words\n\nmore words\n")
    assert not lyrics.synced and [line.text for line in lyrics.lines] == ["just words", "more words"]
    assert lyrics.line_at(1000) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_parses_without_raising(text):
    lyrics = parse_lrc(text)
    assert all(line.start_ms is None or line.start_ms >= 0 for line in lyrics.lines)
    assert all(char.isprintable() for line in lyrics.lines for char in line.text)


def test_an_lrc_beside_a_local_track_is_found(tmp_path):
    audio = tmp_path / "01 Opening.mp3"
    audio.write_bytes(b"")
    (tmp_path / "01 Opening.lrc").write_text(LRC, encoding="utf-8")
    track = Track(id=1, source="local", location=str(audio), title="Opening")
    assert local_lyrics(track).synced
    (tmp_path / "01 Opening.lrc").unlink()
    assert local_lyrics(track) is None


def test_a_servers_synced_lyrics_are_preferred_and_cleaned():
    # The scriptable fake: OpenSubsonic's songLyrics extension (getLyricsBySongId) is in no
    # server that installs here (supysonic 0.7.9 has only the older getLyrics).
    fake = FakeSubsonic(make_songs(1))
    fake.extensions = ["songLyrics"]
    fake.lyrics["s0"] = {"structuredLyrics": [
        {"lang": "xxx", "synced": False, "line": [{"value": "plain one"}]},
        {"lang": "xxx", "synced": True, "offset": 100, "line": [
            {"start": 2100, "value": "second\u0007"}, {"start": 1100, "value": "first"}]},
    ]}
    try:
        client = SubsonicClient("fake", fake.url, "u", "p")
        track = Track(id=1, source="fake", location="s0", title="Song 0", artist="A")
        lyrics = server_lyrics(client, track)
        assert lyrics.synced and lyrics.source == "fake"
        assert [(line.start_ms, line.text) for line in lyrics.lines] == [(1000, "first"), (2000, "second")]
        fake.extensions = []  # a server without the extension, and no getLyrics either
        assert server_lyrics(client, track) is None
    finally:
        fake.close()


def test_the_lyrics_tab_follows_playback(qtbot, services, tmp_path):
    from app.playback.null_engine import NullEngine
    from tests.audio import make_tone
    from ui.main import build_window

    make_tone(tmp_path / "music" / "01 Opening.mp3", 440, 20, title="Opening", artist="Alpha Band")
    (tmp_path / "music" / "01 Opening.lrc").write_text(LRC, encoding="utf-8")
    services.library.scanner.scan([tmp_path / "music"])
    services.start_player(NullEngine())
    window = build_window(services)
    qtbot.addWidget(window)
    view = window.lyrics_view
    with qtbot.waitSignal(window.bridge.track_started, timeout=30_000):
        window.player.play_tracks(services.tracks.ordered_ids("opening"))
    qtbot.waitUntil(lambda: view.lyrics is not None, timeout=30_000)
    assert view.list.count() == 4 and "synced" in view.status.text()
    window.bridge.position_changed.emit(4000, 20_000)
    assert view.current == 1 and view.list.item(1).font().bold()
    window.bridge.position_changed.emit(9000, 20_000)
    assert view.current == 3 and not view.list.item(1).font().bold()
    window.bridge.detach()
