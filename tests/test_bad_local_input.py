"""Bad local input: corrupt and truncated audio in every supported format, broken tags, things
that only look like audio (a FIFO, a folder, a dangling link), non-UTF-8 names, unreadable
folders. The scan goes on and says what it skipped; playing them fails in words and moves on."""

from __future__ import annotations

import os
import random

import pytest

from app.playback.events import PlaybackFailed, QueueFinished, TrackFinished
from app.playback.vlc_engine import VlcEngine
from app.store.location_text import MARK
from tests.audio import CODECS, make_tone

pytestmark = pytest.mark.reliability


def _corrupt_library(root):
    rng = random.Random(8)
    for extension in CODECS:
        good = make_tone(root / "good" / f"good{extension}", 440, 1.0, title=f"Good {extension}")
        data = good.read_bytes()
        (root / "bad" / f"truncated{extension}").write_bytes(data[: len(data) * 2 // 5])
        (root / "bad" / f"garbled{extension}").write_bytes(
            data[:256] + rng.randbytes(max(0, len(data) - 256)))
        (root / "bad" / f"noise{extension}").write_bytes(rng.randbytes(20_000))
    # Tags that lie: an ID3 header claiming a tag larger than the file, frames of garbage.
    mp3 = (root / "good" / "good.mp3").read_bytes()
    (root / "bad" / "lying-tag.mp3").write_bytes(b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + mp3)
    (root / "bad" / "garbage-frames.mp3").write_bytes(
        b"ID3\x03\x00\x00\x00\x00\x01\x00" + b"TIT2" + b"\xff" * 200 + mp3)
    # Things that only look like audio.
    os.mkfifo(root / "bad" / "a-fifo.mp3")  # opening it to read would wait forever
    (root / "bad" / "a-folder.flac").mkdir()
    os.symlink(root / "nowhere.ogg", root / "bad" / "dangling.ogg")
    # A name that is not UTF-8 (as a USB stick from an old system might have).
    os.rename(make_tone(root / "good" / "latin1.wav", 550, 1.0),
              os.fsencode(root / "good") + b"/caf\xe9 \xff.wav")


def test_bad_files_are_skipped_in_words_and_the_rest_plays(services, tmp_path,
                                                           recorder_factory):
    music = tmp_path / "music"
    (music / "bad").mkdir(parents=True)
    _corrupt_library(music)
    locked = music / "locked"
    make_tone(locked / "hidden.mp3", 440, 0.5)
    locked.chmod(0)  # unreadable (to anyone but root: the tests may run as root)
    try:
        report = services.library.scanner.scan([music])
    finally:
        locked.chmod(0o755)
    summary = report.summary()
    assert "Traceback" not in summary
    titles = {t.title for t in services.tracks.search("")}
    assert {f"Good {extension}" for extension in CODECS} <= titles
    odd = [t for t in services.tracks.search("") if t.location.startswith(MARK)]
    assert [t.title for t in odd] == ["caf\ufffd \ufffd"]  # the odd name too, shown readably
    unreadable = {os.path.basename(path) for path, _ in report.unreadable}
    assert {"noise.mp3", "noise.flac", "truncated.flac"} & unreadable
    for _, reason in report.unreadable:
        assert reason and "Traceback" not in reason

    tracks = services.tracks.search("")
    player = services.start_player(VlcEngine(pcm_sink=lambda pcm: None))
    events = recorder_factory(services.bus, TrackFinished, PlaybackFailed, QueueFinished)
    player.play_tracks([t.id for t in tracks])
    events.wait_for(lambda r: r.of(QueueFinished), timeout=180)
    finished = {e.track.location: e.end_reason for e in events.of(TrackFinished)}
    assert len(finished) == len(tracks)  # every one was tried; none hung the queue
    good = [t for t in tracks if "/good/" in t.location or t.location.startswith(MARK)]
    assert all(finished[t.location] == "completed" for t in good)
    for failure in events.of(PlaybackFailed):
        assert failure.message.startswith("Could not play") and "Traceback" not in failure.message
    player.shutdown()
