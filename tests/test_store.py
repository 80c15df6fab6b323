"""The SQLite store against a real database file."""

from __future__ import annotations

import sqlite3

import pytest

from app.errors import StoreError
from app.models import AudioSource, EndReason, RepeatMode, TrackTags
from app.store.database import SCHEMA_VERSION, Database
from app.store.queue_store import QueueStore, SavedQueue
from app.store.settings_store import SettingsStore
from app.store.tracks import TrackStore, fts_query


def _tags(n: int, **overrides) -> TrackTags:
    values = dict(location=f"/music/{n}.mp3", title=f"Song {n}", artist="Artist", album="Album",
                  track_no=n, genres=("Rock",), duration_ms=1000 * n)
    values.update(overrides)
    return TrackTags(**values)


def test_new_database_is_migrated_with_wal_and_foreign_keys(tmp_path):
    db = Database(tmp_path / "library.db")
    assert db.scalar("PRAGMA user_version") == SCHEMA_VERSION
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA foreign_keys") == 1
    tables = {row["name"] for row in db.query("SELECT name FROM sqlite_master")}
    assert {"tracks", "artists", "albums", "playlists", "playlist_tracks", "queue_items",
            "settings", "play_events", "tracks_fts"} <= tables
    db.close()


def test_a_database_from_a_newer_version_is_refused_in_words(tmp_path):
    path = tmp_path / "library.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer Prelude"):
        Database(path)


def test_a_file_that_is_not_a_database_is_refused_in_words(tmp_path):
    path = tmp_path / "library.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a Prelude database"):
        Database(path)


def test_search_matches_prefixes_of_every_word_in_library_order(tmp_path):
    tracks = TrackStore(Database(tmp_path / "db"))
    tracks.save_tags([
        _tags(1, title="Yellow Submarine", artist="The Beatles", album="Revolver"),
        _tags(2, title="Let It Be", artist="The Beatles", album="Let It Be"),
        _tags(3, title="Bohemian Rhapsody", artist="Queen", album="A Night at the Opera"),
        _tags(4, title="Café Society", artist="Béla Fleck", album="Ümlaut", genres=("Jazz",)),
    ])
    titles = lambda q: [t.title for t in tracks.search(q)]  # noqa: E731
    assert titles("beat") == ["Let It Be", "Yellow Submarine"]  # album order: Let It Be < Revolver
    assert titles("the beatles yel") == ["Yellow Submarine"]
    assert set(titles("b")) == {"Let It Be", "Yellow Submarine", "Café Society", "Bohemian Rhapsody"}
    assert titles("cafe") == ["Café Society"]  # accents do not matter
    assert titles("jazz") == ["Café Society"]  # genre is searched
    assert titles("nothing-like-this") == []
    assert fts_query('"; DROP TABLE tracks; --') == '"drop"* "table"* "tracks"*'
    assert len(tracks.search("")) == 4


def test_rescanned_tags_update_rows_and_the_search_index(tmp_path):
    tracks = TrackStore(Database(tmp_path / "db"))
    assert tracks.save_tags([_tags(1)]) == (1, 0)
    assert tracks.save_tags([_tags(1, title="Renamed")]) == (0, 1)
    assert [t.title for t in tracks.search("renamed")] == ["Renamed"]
    assert tracks.search("song") == []
    tracks.delete([tracks.search("renamed")[0].id])
    assert tracks.count() == 0
    assert tracks.db.scalar("SELECT count(*) FROM artists") == 0


def test_settings_round_trip_and_survive_a_damaged_value(tmp_path):
    from app.errors import UsageError
    from app.settings import LIBRARY_FOLDERS, VOLUME

    db = Database(tmp_path / "db")
    settings = SettingsStore(db)
    assert settings.read(VOLUME) == 100 and settings.read(LIBRARY_FOLDERS) is None  # defaults
    settings.write(VOLUME, 70)
    settings.write(LIBRARY_FOLDERS, ["/a", "/b"])
    assert settings.read(VOLUME) == 70 and settings.read(LIBRARY_FOLDERS) == ["/a", "/b"]
    for stored in ("{broken", "170", "true", '"loud"', "NaN"):  # damaged, out of bounds, wrong kind
        db.conn.execute("UPDATE settings SET value = ? WHERE key = ?", (stored, VOLUME.key))
        assert settings.read(VOLUME) == 100, stored
    db.conn.execute("UPDATE settings SET value = ? WHERE key = ?", ('["/a", 3, null]', LIBRARY_FOLDERS.key))
    assert settings.read(LIBRARY_FOLDERS) == ["/a"]  # entries of another kind dropped
    with pytest.raises(UsageError):
        settings.write(VOLUME, 101)  # a value the setting does not take is refused, not stored
    assert settings.read(VOLUME) == 100


def test_queue_state_round_trips(tmp_path):
    db = Database(tmp_path / "db")
    tracks = TrackStore(db)
    tracks.save_tags([_tags(n) for n in range(1, 5)])
    ids = tracks.ordered_ids()
    store = QueueStore(db)
    saved = SavedQueue(track_ids=ids, current=2, position_ms=12_345, shuffle=True,
                       play_order=[2, 0, 3, 1], repeat=RepeatMode.ALL, context="album")
    store.save(saved)
    assert QueueStore(Database(tmp_path / "db")).load() == saved


def test_history_rows_are_closed_and_interrupted_ones_recovered(services):
    services.tracks.save_tags([_tags(1)])
    track = services.tracks.search("song")[0]
    first = services.history.start(track, "album", AudioSource.LOCAL)
    services.history.set_startup(first, 4.2)
    services.history.finish(first, EndReason.COMPLETED, 1000)
    second = services.history.start(track, "queue", AudioSource.LOCAL)
    services.history.checkpoint(second, 600)
    assert services.history.close_interrupted() == 1
    events = {e.id: e for e in services.history.recent()}
    assert events[first].end_reason == "completed" and events[first].startup_ms == 4.2
    assert events[second].end_reason == "stopped" and events[second].ms_played == 600


def test_search_order_stays_library_order_through_many_small_inserts(tmp_path):
    """Ranks squeeze new tracks between neighbours and renumber when a gap is used up."""
    import random

    db = Database(tmp_path / "db")
    tracks = TrackStore(db)
    rng = random.Random(5)
    tracks.save_tags([_tags(n, title=f"Song {n}", artist="Same") for n in range(50)])
    for round_no in range(40):  # one track at a time, all landing in the same spot
        tracks.save_tags([_tags(1000 + round_no, title="Song", artist="Same", track_no=1)])
    tracks.save_tags([_tags(2000 + n, artist=rng.choice("ABCDEFG"), title=f"Song {n}")
                      for n in range(30)])
    assert tracks.ordered_ids("song") == tracks.ordered_ids("")  # every track matches "song"
    ranks = [r[0] for r in db.conn.execute("SELECT sort_rank FROM tracks ORDER BY sort_key, id")]
    assert None not in ranks and ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert db.scalar("INSERT INTO tracks_fts(tracks_fts) VALUES ('integrity-check')") is None
    # Renaming moves a track in library order and in the index.
    tracks.save_tags([_tags(3, title="Aardvark", artist="Aaa")])
    assert tracks.search("aardvark")[0].title == "Aardvark"
    assert tracks.ordered_ids("song") == [i for i in tracks.ordered_ids("") if i !=
                                          tracks.search("aardvark")[0].id]
