"""Scanning real audio files of every supported format with mutagen, and the demo library."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import mutagen
import pytest

from app.library.demo import DEMO_LABEL, MARKER_FILE
from app.settings import LIBRARY_FOLDERS
from tests.audio import make_tone


def test_scan_reads_tags_of_every_format(services, tone_library):
    report = services.library.scanner.scan([tone_library])
    assert (report.files_seen, report.added, report.unreadable) == (6, 6, ())
    tracks = {t.title: t for t in services.tracks.search("")}
    assert set(tracks) == {"Opening", "Second Song", "Third Song", "Night Walk", "Dawn", "Tide"}
    opening = tracks["Opening"]
    assert (opening.artist, opening.album, opening.genre, opening.track_no, opening.year) == (
        "Alpha Band", "First Light", "Rock", 1, 2021)
    assert {t.codec for t in tracks.values()} == {"mp3", "vorbis", "opus", "flac", "aac", "pcm"}
    for track in tracks.values():
        assert 1400 <= track.duration_ms <= 1700, track
    assert [t.title for t in services.tracks.search("beta dawn")] == ["Dawn"]


def test_rescan_is_incremental_and_follows_changes(services, tmp_path):
    music = tmp_path / "music"
    for n in range(3):
        make_tone(music / f"{n}.flac", 300 + n * 100, 0.5, title=f"Song {n}", artist="A")
    scanner = services.library.scanner
    assert scanner.scan([music]).added == 3
    again = scanner.scan([music])
    assert (again.unchanged, again.added, again.updated) == (3, 0, 0)

    make_tone(music / "1.flac", 500, 0.7, title="Song One Renamed", artist="A")
    os.utime(music / "1.flac", (1_700_000_000, 1_700_000_000))  # a different mtime for sure
    (music / "2.flac").unlink()
    changed = scanner.scan([music])
    assert (changed.updated, changed.removed, changed.unchanged) == (1, 1, 1)
    assert sorted(t.title for t in services.tracks.search("")) == ["Song 0", "Song One Renamed"]


def test_unreadable_files_are_reported_and_the_scan_goes_on(services, tmp_path):
    music = tmp_path / "music"
    make_tone(music / "good.mp3", 440, 0.5, title="Good")
    (music / "garbage.mp3").write_bytes(b"\x00\x01not audio" * 50)
    (music / "empty.flac").write_bytes(b"")
    make_tone(music / "cut.ogg", 440, 1.0)
    data = (music / "cut.ogg").read_bytes()
    (music / "cut.ogg").write_bytes(data[:60])  # truncated inside the headers
    report = services.library.scanner.scan([music])
    assert report.added == 1
    assert sorted(os.path.basename(path) for path, _ in report.unreadable) == [
        "cut.ogg", "empty.flac", "garbage.mp3"]
    assert "3 files could not be read: " in report.summary()


def test_symlink_loops_and_missing_folders_do_not_hurt(services, tmp_path):
    music = tmp_path / "music"
    make_tone(music / "a" / "one.wav", 440, 0.3, title="One")
    os.symlink(music, music / "a" / "loop")
    report = services.library.scanner.scan([music])
    assert report.added == 1 and report.files_seen == 1
    # An unplugged folder reports itself and removes nothing from the library.
    moved = tmp_path / "elsewhere"
    shutil.move(music, moved)
    report = services.library.scanner.scan([music])
    assert report.removed == 0 and services.tracks.count() == 1
    assert report.unreadable[0][1] == "folder not found"


def test_cover_art_from_the_folder_image(services, tmp_path):
    music = tmp_path / "music"
    make_tone(music / "one.mp3", 440, 0.3, title="One", album="X")
    (music / "Cover.JPG").write_bytes(b"\xff\xd8\xff fake jpeg")
    services.library.scanner.scan([music])
    assert services.tracks.search("one")[0].cover_path == str(music / "Cover.JPG")


def test_first_run_without_music_creates_a_labelled_demo_library(services, monkeypatch, tmp_path):
    monkeypatch.setattr("app.library.folders.default_music_dir", lambda: tmp_path / "no-music")
    report = services.library.ensure_default()
    assert report is not None and report.unreadable == ()
    tracks = services.tracks.search("")
    assert len(tracks) >= 40
    assert len({t.artist for t in tracks}) >= 4
    assert len({t.album for t in tracks}) >= 8
    assert len({t.genre for t in tracks}) >= 4
    assert all(Path(t.location).is_relative_to(services.profile.demo_library_dir) for t in tracks)
    assert all(mutagen.File(t.location)["organization"] == [DEMO_LABEL] for t in tracks)
    assert all(t.cover_path for t in tracks)
    assert (services.profile.demo_library_dir / MARKER_FILE).exists()
    assert services.settings.read(LIBRARY_FOLDERS) == [str(services.profile.demo_library_dir)]
    assert services.library.ensure_default() is None  # only once


def test_first_run_uses_the_platform_music_folder_when_it_has_music(services, monkeypatch,
                                                                     tone_library):
    monkeypatch.setattr("app.library.folders.default_music_dir", lambda: tone_library)
    services.library.ensure_default()
    assert services.tracks.count() == 6
    assert not services.profile.demo_library_dir.exists()


def test_embedded_cover_art_is_saved_once_per_picture(services, tmp_path):
    from mutagen.flac import FLAC, Picture

    music = tmp_path / "music"
    picture = Picture()
    picture.type, picture.mime, picture.data = 3, "image/png", b"\x89PNG\r\n\x1a\n fake png"
    for n in range(3):
        path = make_tone(music / f"{n}.flac", 440, 0.3, title=f"T{n}", album="Art")
        audio = FLAC(path)
        audio.add_picture(picture)
        audio.save()
    services.library.scanner.scan([music])
    covers = {t.cover_path for t in services.tracks.search("")}
    assert len(covers) == 1
    (cover,) = covers
    assert cover.startswith(str(services.profile.covers_dir)) and cover.endswith(".png")
    with open(cover, "rb") as handle:
        assert handle.read() == picture.data


@pytest.mark.parametrize("extension", [".mp3", ".m4a", ".ogg", ".flac", ".wav"])
def test_embedded_cover_art_is_found_in_every_format(services, tmp_path, extension):
    """Each format keeps its picture its own way (ID3 APIC, MP4 covr, Vorbis comment, FLAC
    block); the scan reads some formats once for both tags and art, others twice."""
    import base64

    from mutagen.flac import Picture
    from mutagen.id3 import APIC, ID3
    from mutagen.mp4 import MP4Cover

    data = b"\x89PNG\r\n\x1a\n" + extension.encode() + b" art"
    path = make_tone(tmp_path / "music" / f"song{extension}", 440, 0.3, title="Pictured")
    audio = mutagen.File(path)
    if extension in (".mp3", ".wav"):
        if audio.tags is None:
            audio.add_tags()
        assert isinstance(audio.tags, ID3)
        audio.tags.add(APIC(mime="image/png", type=3, data=data))
    elif extension == ".m4a":
        audio["covr"] = [MP4Cover(data, imageformat=MP4Cover.FORMAT_PNG)]
    else:
        picture = Picture()
        picture.type, picture.mime, picture.data = 3, "image/png", data
        if extension == ".flac":
            audio.add_picture(picture)
        else:
            audio["metadata_block_picture"] = [base64.b64encode(picture.write()).decode()]
    audio.save()
    services.library.scanner.scan([tmp_path / "music"])
    (track,) = services.tracks.search("")
    assert track.cover_path and track.cover_path.endswith(".png")
    with open(track.cover_path, "rb") as handle:
        assert handle.read() == data


def test_grouped_search_reads_on_until_its_groups_are_full(services):
    """The grouped results read the matches a step at a time and stop once artists and albums
    are full; an artist whose songs come late in the matches must still be found."""
    from app.library.grouped_search import READ_AT_ONCE, grouped_search
    from app.models import TrackTags

    early = [TrackTags(location=f"/g/a{n:03}.flac", title=f"Moon Song {n}", artist="Aaron",
                       album=f"Aaron {n}") for n in range(READ_AT_ONCE * 3)]
    late = [TrackTags(location=f"/g/m{n}.flac", title=f"Tide {n}", artist="Moonbeam",
                      album="Moonbeam Live") for n in range(3)]
    services.tracks.save_tags(early + late)
    results = grouped_search(services.tracks, "moon")
    assert results.artists == ["Moonbeam"]  # after 150 songs by Aaron that only say "moon"
    assert [title for _, title, _ in results.albums] == ["Moonbeam Live"]
    assert len(results.songs) == 10 and results.top == ("artist", "Moonbeam")
