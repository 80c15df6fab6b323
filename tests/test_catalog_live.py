"""Against a real OpenSubsonic server (supysonic) on loopback: add, sync, search, play, resync."""

from __future__ import annotations

import json
import wave

from app.bench.supysonic_server import PASSWORD, USER
from tests.audio import dominant_frequency, make_tone, pcm_to_mono
from tests.cli import run_prelude


def _add(data, subsonic, password=PASSWORD, name="home"):
    import subprocess

    from tests.cli import PRELUDE, prelude_env

    return subprocess.run([PRELUDE, "server", "add", name, subsonic.url, "--user", USER,
                           "--password-stdin"], input=password + "\n", env=prelude_env(data),
                          capture_output=True, text=True, timeout=60)


def test_add_sync_search_and_play_a_remote_track(tmp_path, subsonic, test_keyring):
    data = tmp_path / "data"
    added = _add(data, subsonic)
    assert added.returncode == 0, added.stderr
    assert "Added home: " in added.stdout and "API 1.12.0" in added.stdout
    # The password is in the keyring and nowhere in the profile.
    assert PASSWORD in test_keyring.read_text()
    for path in data.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    listed = json.loads(run_prelude(data, "server", "list", "--json").stdout)
    assert listed == [{"name": "home", "url": subsonic.url, "user": USER, "auth": "hex"}]

    synced = run_prelude(data, "sync")
    assert synced.returncode == 0, synced.stderr
    assert "home: 4 songs (4 new, 0 changed, 0 removed)" in synced.stdout
    found = json.loads(run_prelude(data, "search", "gamma", "--json").stdout)
    assert [t["title"] for t in found] == ["Remote One", "Remote Two", "Remote Three"]
    assert {t["source"] for t in found} == {"home"}
    server_ids = {s["id"] for s in subsonic.api("search3", query="", songCount=50)
                  ["searchResult3"]["song"]}
    assert {t["location"] for t in found} <= server_ids

    again = run_prelude(data, "sync")
    assert "home: nothing changed since the last sync" in again.stdout

    out = tmp_path / "remote.wav"
    played = run_prelude(data, "play", "remote one", "--headless", "--audio-out", str(out))
    assert played.returncode == 0, played.stderr
    with wave.open(str(out)) as wav:
        samples = pcm_to_mono(wav.readframes(wav.getnframes()))
    assert 1.8 < samples.size / 44100 < 2.3
    assert abs(dominant_frequency(samples[4410:-4410]) - 440) < 3
    history = json.loads(run_prelude(data, "history", "--json").stdout)
    assert (history[0]["title"], history[0]["audio_source"], history[0]["end_reason"]) == (
        "Remote One", "stream", "completed")

    removed = run_prelude(data, "server", "remove", "home")
    assert removed.returncode == 0 and "its 4 tracks" in removed.stdout
    assert run_prelude(data, "search", "gamma").returncode == 1
    assert PASSWORD not in test_keyring.read_text()


def test_changes_on_the_server_reach_the_library(tmp_path, subsonic):
    data = tmp_path / "data"
    assert _add(data, subsonic).returncode == 0
    assert "4 new" in run_prelude(data, "sync").stdout
    extra = make_tone(subsonic.music / "Epsilon" / "New" / "01 Fresh.ogg", 500, 1.0,
                      title="Fresh", artist="Epsilon", album="New", track=1)
    doomed = subsonic.music / "Delta" / "Single" / "01 Doomed.flac"
    kept = doomed.read_bytes()
    doomed.unlink()
    try:
        subsonic.rescan()
        report = run_prelude(data, "sync").stdout
        assert "4 songs (1 new, 0 changed, 1 removed)" in report
        titles = {t["title"] for t in json.loads(run_prelude(data, "search", "", "--json").stdout)}
        assert "Fresh" in titles and "Doomed" not in titles
    finally:
        extra.unlink()
        doomed.write_bytes(kept)
        subsonic.rescan()


def test_wrong_password_and_unreachable_server_are_clear_and_save_nothing(tmp_path, subsonic):
    data = tmp_path / "data"
    wrong = _add(data, subsonic, password="not it")
    assert wrong.returncode == 1 and wrong.stderr.strip() == "prelude: Wrong username or password."
    assert "No servers yet" in run_prelude(data, "server", "list").stdout
    import subprocess

    from tests.cli import PRELUDE, prelude_env
    down = subprocess.run([PRELUDE, "server", "add", "gone", "http://127.0.0.1:9", "--user", "u",
                           "--password-stdin"], input="pw\n", env=prelude_env(data),
                          capture_output=True, text=True, timeout=60)
    assert down.returncode == 1
    assert down.stderr.strip() == "prelude: Could not reach gone (http://127.0.0.1:9): Connection refused."
    bad_url = run_prelude(data, "server", "add", "x", "file:///etc", "--user", "u",
                          "--password-stdin")
    assert bad_url.returncode == 2 and "not an http(s) address" in bad_url.stderr


def test_server_folders_can_be_browsed(services, subsonic):
    """Songs carry the server's `path`: its folders become a tree under the server's name."""
    from app.catalog.servers import ServerConfig
    from app.store.browse import groups, tracks_of

    services.servers.save(ServerConfig("home", subsonic.url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for("home"))
    tree = [(g.title, g.tracks) for g in groups(services.db, "folders") if "home" in g.sources]
    assert tree == [("home (server)", 4), ("    Delta", 1), ("        Single", 1),
                    ("    Gamma Group", 3), ("        Far Away", 3)]
    far_away = next(g for g in groups(services.db, "folders") if g.title.strip() == "Far Away")
    titles = [services.tracks.get(i).title for i in tracks_of(services.db, "folders", far_away.key)]
    assert titles == ["Remote One", "Remote Two", "Remote Three"]
    whole = next(g for g in groups(services.db, "folders") if g.title == "home (server)")
    assert len(tracks_of(services.db, "folders", whole.key)) == 4
