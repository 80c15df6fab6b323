"""Smart playlists: rules read from text, evaluated by SQL over a real library and history, and
the `prelude smart-playlist` commands."""

from __future__ import annotations

import json
import time

import pytest

from app.errors import UsageError
from app.library.smart_rules import parse_rule, smart_playlist
from app.models import AudioSource, EndReason, TrackTags
from app.store.smart_playlists import SmartPlaylists
from tests.cli import run_prelude

DAY = 86400.0


def _tags(title, artist="Ann", genres=("Rock",), year=2000, seconds=200, source="local"):
    return TrackTags(location=f"/music/{title}.flac" if source == "local" else f"id-{title}",
                     title=title, artist=artist, album=f"{artist} album", album_artist=artist,
                     year=year, genres=genres, duration_ms=seconds * 1000, source=source)


def _play(services, title, reason: EndReason, days_ago: float, ms_played=200_000):
    track = services.tracks.search(title)[0]
    play = services.history.start(track, "queue", AudioSource.LOCAL,
                                  started_at=time.time() - days_ago * DAY)
    services.history.finish(play, reason, ms_played)


@pytest.fixture
def library(services):
    services.tracks.save_tags([
        _tags("Blue Train", "Coltrane", ("Jazz", "Hard Bop"), 1958, 643),
        _tags("So What", "Davis", ("Jazz",), 1959, 562),
        _tags("Jazzercise", "Gym Band", ("Pop",), 1985, 180),
        _tags("Anthem", "Ann", ("Rock",), 2001, 240),
        _tags("Stream Song", "Remote", ("Rock",), 2010, 300, source="home"),
        _tags("Kept Song", "Remote", ("Rock",), 2011, 300, source="home"),
    ])
    _play(services, "Anthem", EndReason.SKIPPED, 1, 5_000)
    _play(services, "Anthem", EndReason.SKIPPED, 2, 8_000)
    _play(services, "Anthem", EndReason.COMPLETED, 3)
    _play(services, "So What", EndReason.COMPLETED, 200)
    _play(services, "Blue Train", EndReason.COMPLETED, 10)
    ids = {t.title: t.id for t in services.tracks.search("")}
    services.writeback().set_starred([ids["So What"], ids["Blue Train"]], True)
    services.writeback().set_rating(ids["Blue Train"], 5)
    cache = services.audio_cache
    entry = cache.begin("home", "id-Kept Song", "flac")
    cache.set_size(entry.key, 4)
    cache.append(entry.key, b"fLaC", protect=set())
    assert cache.finish(entry.key)
    return services


def _titles(services, *rules, **options) -> list[str]:
    playlist = smart_playlist("test", list(rules), **options)
    ids = SmartPlaylists(services.db).track_ids(playlist)
    return [track.title for track in services.tracks.get_many(ids)]


def test_rules_select_by_tags_history_and_where_the_audio_is(library):
    assert sorted(_titles(library, "genre is jazz")) == ["Blue Train", "So What"]  # not "Jazzercise"
    assert _titles(library, "title contains JAZZ") == ["Jazzercise"]
    assert _titles(library, "genre is Hard Bop") == ["Blue Train"]  # one of its genres
    assert _titles(library, "year between 1955..1958") == ["Blue Train"]
    assert _titles(library, "duration gt 10m") == ["Blue Train"]
    # Anthem's skips after 5 s and 8 s are no plays; its completed one is
    assert sorted(_titles(library, "play_count is 1")) == ["Anthem", "Blue Train", "So What"]
    assert _titles(library, "skip_count is 2") == ["Anthem"]
    assert _titles(library, "skip_rate gt 60") == ["Anthem"]  # 2 of 3
    assert sorted(_titles(library, "last_played in_last 30d")) == ["Anthem", "Blue Train"]
    assert _titles(library, "favourite is true", "last_played not_in_last 90d") == ["So What"]
    assert _titles(library, "rating is 5") == ["Blue Train"]
    assert _titles(library, "source is home", "cached is false") == ["Stream Song"]
    assert "Kept Song" in _titles(library, "cached is true")
    assert sorted(_titles(library, "artist is davis", "year gt 2005", match_any=True)) == [
        "Kept Song", "So What", "Stream Song"]
    assert _titles(library, "year at_least 1950", sort="-year", limit=2) == ["Kept Song",
                                                                              "Stream Song"]
    assert _titles(library, "title contains %") == []  # a LIKE wildcard is a character here


def test_the_built_in_set_is_evaluated_and_kept(library):
    playlists = SmartPlaylists(library.db)
    names = [p.name for p in playlists.all()]
    assert names[:4] == ["Recently added", "Never played", "Most skipped", "Forgotten favourites"]
    titles = lambda name: [t.title for t in library.tracks.get_many(  # noqa: E731
        playlists.track_ids(playlists.get(name)))]
    assert titles("Forgotten favourites") == ["So What"]
    assert titles("Most skipped") == ["Anthem"]
    assert "Anthem" not in titles("Never played") and "Jazzercise" in titles("Never played")
    assert len(titles("Recently added")) == 6
    with pytest.raises(UsageError, match="built in"):
        playlists.remove("Never played")


@pytest.mark.parametrize("rule, says", [
    ("colour is blue", "unknown field “colour”"),
    ("year is soon", "“soon” is not a number"),
    ("rating is 7", "a rating from 0 to 5"),
    ("added in_last forever", "a span such as 30d"),
    ("genre gt Jazz", "“gt” does not apply to genre"),
    ("year between 2000", "two values"),
    ("added before yesterday", "a date as YYYY-MM-DD"),
    ("genre", "a rule is 'FIELD OPERATOR VALUE'"),
])
def test_a_wrong_rule_is_one_clear_line(rule, says):
    with pytest.raises(UsageError, match=says):
        parse_rule(rule)


def test_the_command_adds_lists_shows_and_removes_and_refuses_a_bad_rule(tmp_path, tone_library):
    data = tmp_path / "data"
    assert run_prelude(data, "scan", str(tone_library)).returncode == 0
    added = run_prelude(data, "smart-playlist", "add", "Late Jazz", "--rule", "genre is Jazz",
                        "--rule", "duration at_least 0", "--sort", "title")
    assert added.returncode == 0, added.stderr
    assert "Late Jazz" in added.stdout and "3 songs" in added.stdout
    refused = run_prelude(data, "smart-playlist", "add", "Broken", "--rule", "genre is Jazz",
                          "--rule", "tempo gt 120")
    assert refused.returncode == 2
    assert refused.stderr.strip().count("\n") == 0 and "unknown field “tempo”" in refused.stderr
    listed = json.loads(run_prelude(data, "smart-playlist", "list", "--json").stdout)
    assert [p["name"] for p in listed if not p["built_in"]] == ["Late Jazz"]  # nothing of "Broken"
    mine = next(p for p in listed if p["name"] == "Late Jazz")
    assert mine["rules"] == ["genre is Jazz", "duration at_least 0"] and mine["tracks"] == 3
    shown = json.loads(run_prelude(data, "smart-playlist", "show", "late jazz", "--json").stdout)
    assert [t["title"] for t in shown] == ["Dawn", "Night Walk", "Tide"]  # by title
    assert run_prelude(data, "smart-playlist", "remove", "Late Jazz").returncode == 0
    gone = run_prelude(data, "smart-playlist", "show", "Late Jazz")
    assert gone.returncode == 1 and "no smart playlist is named" in gone.stderr


def test_play_counts_follow_every_way_plays_are_written(library):
    """The counts are kept by triggers: an import (INSERT OR IGNORE, whose conflict policy the
    triggers inherit: once they kept only the first play), a play in progress and its end."""
    from app.store.history import add_past_plays

    jazz = library.tracks.search("Jazzercise")[0]
    imported = [{"track_id": jazz.id, "title": jazz.title, "started_at": time.time() - n * DAY,
                 "ms_played": 180_000, "end_reason": "completed", "audio_source": None,
                 "origin": "spotify", "import_key": f"spotify-{n}"} for n in range(1, 4)]
    add_past_plays(library.db, imported, imported)  # the same export twice adds nothing
    assert _titles(library, "play_count is 3") == ["Jazzercise"]
    playing = library.history.start(jazz, "queue", AudioSource.LOCAL)
    assert _titles(library, "play_count is 3", "last_played in_last 1h") == ["Jazzercise"]
    library.history.finish(playing, EndReason.SKIPPED, 4_000)
    assert _titles(library, "play_count is 3", "skip_count is 1") == ["Jazzercise"]


def test_a_snapshot_goes_to_the_server_as_an_ordinary_playlist(services, subsonic, capsys,
                                                               tone_library):
    """Against supysonic: the songs of a smart playlist that come from that server, now, as a
    playlist there (through the outbox); the local songs that also match stay out of it."""
    from types import SimpleNamespace

    from app.bench.supysonic_server import PASSWORD, USER
    from app.catalog.servers import ServerConfig
    from ui.cli.smart_commands import smart_playlist_command

    services.servers.save(ServerConfig("home", subsonic.url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for("home"))
    services.library.scanner.scan([tone_library])
    SmartPlaylists(services.db).add(smart_playlist("Remote or local", [
        "title contains remote", "genre is Jazz"], match_any=True, sort="title"))
    args = SimpleNamespace(smart_command="snapshot", name="remote or local", to="home",
                           title="Far Away Picks")
    assert smart_playlist_command(services, args) == 0
    assert "Saved 3 songs of “Remote or local” on home" in capsys.readouterr().out
    listed = subsonic.api("getPlaylists")["playlists"]["playlist"]
    (remote,) = [p for p in listed if p["name"] == "Far Away Picks"]
    entries = subsonic.api("getPlaylist", id=remote["id"])["playlist"]["entry"]
    assert [e["title"] for e in entries] == ["Remote One", "Remote Three", "Remote Two"]
    local = SimpleNamespace(smart_command="snapshot", name="Remote or local", to="local",
                            title=None)
    assert smart_playlist_command(services, local) == 0
    assert "Saved 3 songs of “Remote or local” on this computer" in capsys.readouterr().out
    with pytest.raises(UsageError, match="no server is named “away”"):
        smart_playlist_command(services, SimpleNamespace(smart_command="snapshot",
                                                         name="Remote or local", to="away",
                                                         title=None))
    writeback = services.writeback()  # tidy the shared server for the tests after this one
    for playlist_id in [row[0] for row in services.db.conn.execute(
            "SELECT id FROM playlists WHERE source = 'home'")]:
        writeback.delete_playlist(playlist_id)
    services.outbox_sender().flush()


def test_kept_offline_it_follows_its_rules_and_an_edit_keeps_the_pin(library):
    from app.store.pins import Pins

    smart, pins = SmartPlaylists(library.db), Pins(library.db)
    smart.add(smart_playlist("Rock", ["genre is Rock"]))
    pins.pin("smart", smart.get("Rock").ref)
    titles = lambda: sorted(t.title for t in library.tracks.get_many(pins.track_ids()))  # noqa: E731
    assert titles() == ["Kept Song", "Stream Song"]  # the server's songs: "Anthem" is a file here
    library.tracks.save_tags([_tags("New Rock", "Remote", ("Rock",), 2012, 200, source="home")])
    assert titles() == ["Kept Song", "New Rock", "Stream Song"]  # as the library is now
    smart.add(smart_playlist("Rock since 2011", ["genre is Rock", "year at_least 2011"]),
              replacing="Rock")
    assert titles() == ["Kept Song", "New Rock"]  # the same pin, the rules as edited
    smart.remove("Rock since 2011")
    assert pins.all() == [] and titles() == []
    pins.pin("smart", smart.get("Forgotten favourites").ref)  # a built-in one too
    assert pins.all() == [("smart", -4)]


def test_a_first_scan_dates_each_file_by_its_time_on_disk(services, tmp_path):
    """A collection years old is not all "recently added" after its first scan."""
    import os

    from tests.audio import make_tone

    old = make_tone(tmp_path / "old" / "old.flac", 440, 0.3, title="Old Song", artist="Ann")
    make_tone(tmp_path / "old" / "new.flac", 550, 0.3, title="New Song", artist="Ann")
    os.utime(old, (1_500_000_000, 1_500_000_000))  # July 2017
    services.library.scanner.scan([tmp_path / "old"])
    assert _titles(services, "added before 2018-01-01") == ["Old Song"]
    assert _titles(services, "added in_last 1d") == ["New Song"]
