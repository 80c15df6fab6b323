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


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5999), st.text(max_size=30)), max_size=12))
def test_any_enhanced_line_gives_words_inside_the_line(words):
    line = "[00:01.00]" + "".join(f"<{ms // 6000:02d}:{ms // 100 % 60:02d}.{ms % 100:02d}>{text}"
                                  for ms, text in words)
    for parsed in parse_lrc(line).lines:
        ends = [0]
        for cue in parsed.cues:
            assert ends[-1] <= cue.begin < cue.end <= len(parsed.text)
            assert parsed.text[cue.begin:cue.end].strip() == parsed.text[cue.begin:cue.end]
            ends.append(cue.end)


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


ENHANCED_LRC = """[ti:Words]
[00:01.00]<00:01.00>Hello <00:01.50>bright <00:02.25>world<00:03.00>
[00:04.00]plain line
"""


def test_enhanced_lrc_times_each_word():
    lyrics = parse_lrc(ENHANCED_LRC)
    assert lyrics.word_synced
    first = lyrics.lines[0]
    assert first.text == "Hello bright world" and first.start_ms == 1000
    assert [(c.start_ms, c.end_ms, first.text[c.begin:c.end]) for c in first.cues] == [
        (1000, 1500, "Hello"), (1500, 2250, "bright"), (2250, 3000, "world")]
    assert first.sung_through(900) == 0
    assert first.text[:first.sung_through(1600)] == "Hello bright"
    assert first.sung_through(5000) == len(first.text)
    assert lyrics.lines[1].cues == () and lyrics.lines[1].sung_through(0) == len("plain line")


def test_a_servers_word_synced_lyrics_are_read_by_byte_offsets():
    # The scriptable fake: songLyrics version 2 (enhanced=true, cueLine) is in no server that
    # installs here; the answer follows the OpenSubsonic reference's examples: a translation
    # layer, two singers sharing a line (the main one first), inclusive UTF-8 byte offsets.
    fake = FakeSubsonic(make_songs(1))
    fake.extensions = ["songLyrics"]
    fake.versions = {"songLyrics": [1, 2]}
    fake.lyrics["s0"] = {"structuredLyrics": [
        {"kind": "translation", "lang": "eng", "synced": True,
         "line": [{"start": 0, "value": "not the sung words"}]},
        {"kind": "main", "lang": "ko", "synced": True, "offset": 100, "line": [
            {"start": 2847, "value": "눈을 뜬 순간"}, {"start": 1100, "value": "Hello echo"}],
         "agents": [{"id": "lead", "role": "main"}, {"id": "bg", "role": "bg"}],
         "cueLine": [
             {"index": 0, "agentId": "lead", "start": 2847, "end": 6314, "value": "눈을 뜬 순간", "cue": [
                 {"start": 2847, "end": 3279, "value": "눈을", "byteStart": 0, "byteEnd": 5},
                 {"start": 3682, "end": 4200, "value": "뜬", "byteStart": 7, "byteEnd": 9},
                 {"start": 4600, "end": 6314, "value": "순간", "byteStart": 11, "byteEnd": 16},
                 {"start": 9999, "value": "beyond", "byteStart": 40, "byteEnd": 45}]},
             {"index": 1, "agentId": "lead", "start": 1100, "end": 3000, "value": "Hello", "cue": [
                 {"start": 1100, "end": 1500, "value": "He", "byteStart": 0, "byteEnd": 1},
                 {"start": 1500, "end": 1900, "value": "llo", "byteStart": 2, "byteEnd": 4}]},
             {"index": 1, "agentId": "bg", "start": 1100, "end": 3000, "value": "echo", "cue": [
                 {"start": 2100, "end": 2600, "value": "echo", "byteStart": 0, "byteEnd": 3}]},
         ]},
    ]}
    try:
        client = SubsonicClient("fake", fake.url, "u", "p")
        track = Track(id=1, source="fake", location="s0", title="Song 0", artist="A")
        lyrics = server_lyrics(client, track)
        assert fake.params[-1].get("enhanced") == "true"
        assert lyrics.word_synced
        hello, korean = lyrics.lines  # sorted by start, each with its own words
        assert (hello.start_ms, hello.text) == (1000, "Hello")
        assert [hello.text[c.begin:c.end] for c in hello.cues] == ["He", "llo"]
        assert korean.text == "눈을 뜬 순간"
        assert [(c.start_ms, korean.text[c.begin:c.end]) for c in korean.cues] == [
            (2747, "눈을"), (3582, "뜬"), (4500, "순간")]
        assert korean.text[:korean.sung_through(3600)] == "눈을 뜬"
        fake.versions = {}  # version 1 only: the parameter is not sent
        client = SubsonicClient("fake", fake.url, "u", "p")
        server_lyrics(client, track)
        assert "enhanced" not in fake.params[-1]
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


def test_the_lyrics_view_lights_each_word_as_it_is_sung(qtbot):
    import time

    from ui.widgets.lyrics_view import LyricsView

    view = LyricsView()
    qtbot.addWidget(view)
    view.show()
    view.show_lyrics(parse_lrc(ENHANCED_LRC))
    assert "word-synced" in view.status.text()
    view.follow_position(1600, 10_000)
    assert view.current == 0 and view.sung_text == "Hello bright"
    # Between the player's reports (five a second) the words go on by the clock...
    view.follow_position(2200, 10_000)
    qtbot.waitUntil(lambda: view.sung_text == "Hello bright world", timeout=2000)
    # ...and stop when the reports stop (a pause).
    view.follow_position(1100, 10_000)
    view._reported = (1100, time.monotonic() - 1.0)
    view._between_reports()
    assert view.sung_text == "Hello"
    view.follow_position(4100, 10_000)  # a line without word timing: marked as a whole
    assert view.current == 1 and view.sung_text is None and view.list.item(1).font().bold()
    assert view.list.item(0).foreground().color().alpha() != 0  # its text shown again
