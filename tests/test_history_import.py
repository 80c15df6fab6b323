"""Seeding history from Spotify and ListenBrainz exports written by the tests, malformed lines included."""

from __future__ import annotations

import json
import zipfile

import pytest

from app.errors import UsageError
from app.history_import.importer import import_history
from app.history_import.matcher import normalise
from tests.cli import run_prelude


@pytest.fixture
def library(services, tone_library):
    services.library.scanner.scan([tone_library])
    return services


def _extended(path, entries):
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


EXTENDED = [
    {
        "ts": "2024-03-01T10:00:05Z",
        "ms_played": 1500,
        "master_metadata_track_name": "Opening",
        "master_metadata_album_artist_name": "Alpha Band",
        "master_metadata_album_album_name": "First Light",
        "reason_start": "clickrow",
        "reason_end": "trackdone",
        "shuffle": False,
        "skipped": None,
    },
    {
        "ts": "2024-03-01T10:00:09Z",
        "ms_played": 400,
        "master_metadata_track_name": "Second Song (Remastered 2011)",
        "master_metadata_album_artist_name": "ALPHA BAND",
        "master_metadata_album_album_name": "First Light",
        "reason_start": "trackdone",
        "reason_end": "fwdbtn",
        "shuffle": False,
        "skipped": True,
    },
    {
        "ts": "2024-03-01T10:05:00Z",
        "ms_played": 180000,
        "master_metadata_track_name": "Unknown Elsewhere",
        "master_metadata_album_artist_name": "Somebody Else",
        "master_metadata_album_album_name": "X",
        "reason_end": "trackdone",
    },
    {
        "ts": "2024-03-01T11:00:00Z",
        "ms_played": 900000,
        "master_metadata_track_name": None,
        "episode_name": "A podcast",
        "reason_end": "trackdone",
    },
    {
        "ts": "yesterday",
        "ms_played": 100,
        "master_metadata_track_name": "Tide",
        "master_metadata_album_artist_name": "Beta Ensemble",
    },
    {"ms_played": 100},
]


def test_spotify_extended_history_is_matched_and_never_imported_twice(library, tmp_path):
    export = _extended(tmp_path / "Streaming_History_Audio_2024.json", EXTENDED)
    report = import_history(library.db, [export])
    assert (report.entries, report.imported, report.matched, report.unmatched) == (3, 3, 2, 1)
    assert report.malformed == 2 and len(report.problems) == 2
    assert "entry 5" in report.problems[0] and "entry 6" in report.problems[1]
    plays = {e.title: e for e in library.history.recent(10)}
    opening, second = plays["Opening"], plays["Second Song (Remastered 2011)"]
    assert opening.track_id == library.tracks.ordered_ids("opening")[0]
    assert opening.end_reason == "completed" and opening.audio_source is None
    assert second.track_id == library.tracks.ordered_ids("second song")[0]
    assert second.end_reason == "skipped" and second.ms_played == 400
    assert opening.ended_at - opening.started_at == pytest.approx(1.5)
    assert plays["Unknown Elsewhere"].track_id is None

    again = import_history(library.db, [export])
    assert (again.imported, again.duplicates) == (0, 3)
    assert library.history.count() == 3


def test_spotify_basic_and_listenbrainz_exports(library, tmp_path):
    basic = tmp_path / "StreamingHistory0.json"
    basic.write_text(
        json.dumps(
            [
                {
                    "endTime": "2023-05-01 09:00",
                    "artistName": "Beta Ensemble",
                    "trackName": "Tide",
                    "msPlayed": 1500,
                },
                {
                    "endTime": "2023-05-01 09:01",
                    "artistName": "Beta Ensemble",
                    "trackName": "Dawn",
                    "msPlayed": 300,
                },
                {
                    "endTime": "2023-05-01",
                    "artistName": "Beta Ensemble",
                    "trackName": "Dawn",
                    "msPlayed": 300,
                },
            ]
        ),
        encoding="utf-8",
    )
    listens = tmp_path / "listens" / "2023" / "5.jsonl"
    listens.parent.mkdir(parents=True)
    listens.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "listened_at": 1683000000,
                        "track_metadata": {
                            "artist_name": "Beta Ensemble",
                            "track_name": "Night Walk",
                            "release_name": "Quiet Hours",
                        },
                    }
                ),
                "{broken",
                json.dumps({"listened_at": 1683000300, "track_metadata": {"artist_name": "Nobody"}}),
                json.dumps(
                    {
                        "listened_at": 1683000600,
                        "track_metadata": {
                            "artist_name": "The Alpha Band",
                            "track_name": "Third Song feat. Someone",
                        },
                    }
                ),
            ]
        ),
        encoding="utf-8",
    )
    report = import_history(library.db, [basic, tmp_path / "listens"])
    assert (report.files, report.entries, report.matched, report.unmatched) == (2, 4, 4, 0)
    assert report.malformed == 3
    plays = {e.title: e for e in library.history.recent(10)}
    assert plays["Tide"].end_reason == "completed"  # played its whole length
    assert plays["Dawn"].end_reason == "skipped"
    night = plays["Night Walk"]
    assert (
        night.started_at == 1683000000 and night.ms_played == library.tracks.get(night.track_id).duration_ms
    )


def test_a_zip_export_and_the_command_line(library, profile, tmp_path):
    archive = tmp_path / "my_spotify_data.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(
            "Spotify Extended Streaming History/Streaming_History_Audio_2024.json", json.dumps(EXTENDED[:3])
        )
        zipped.writestr("Spotify Extended Streaming History/ReadMeFirst.pdf", b"%PDF")
    library.close()
    done = run_prelude(profile.data_dir, "history", "import", str(archive), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["imported"], report["matched"], report["unmatched"], report["malformed"]) == (3, 2, 1, 0)
    again = run_prelude(profile.data_dir, "history", "import", str(archive))
    assert again.returncode == 0 and "0 imported" in again.stdout and "3 already imported" in again.stdout
    missing = run_prelude(profile.data_dir, "history", "import", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_not_an_export_is_refused_in_words(library, tmp_path):
    other = tmp_path / "settings.json"
    other.write_text('{"volume": 3}', encoding="utf-8")
    with pytest.raises(UsageError, match="not a Spotify or ListenBrainz history export"):
        import_history(library.db, [other])


def test_names_are_compared_loosely():
    assert normalise("The Beatles") == normalise("beatles")
    assert normalise("Café del Mar") == normalise("Cafe Del Mar")
    assert normalise("Song - Remastered 2009") == normalise("Song") == normalise("Song (Live)")
    assert normalise("Song feat. X") == normalise("song")
