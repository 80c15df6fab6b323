"""The play queue between devices: saved to a server, read back on another profile, offered
and never taken over unasked.

Through the scriptable fake: supysonic 0.7.9 has no play queue calls. The fake answers
savePlayQueue, getPlayQueue and their ByIndex forms (the indexBasedQueue extension) as the
OpenSubsonic reference describes them (tests/fake_subsonic.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.models import TrackTags
from app.services import Services
from app.store.outbox_queue import Outbox
from app.store.queue_store import SavedQueue
from tests.fake_subsonic import FakeSubsonic, make_songs, synced_profile
from ui.cli.queue_commands import queue_command


@pytest.fixture
def fake():
    server = FakeSubsonic(make_songs(6))
    yield server
    server.close()


def _device(tmp_path, fake, name: str) -> Services:
    """A profile of its own (another computer), with the fake server added and synced."""
    return synced_profile(tmp_path / name, fake)


@pytest.fixture
def devices(tmp_path, fake):
    laptop, desktop = _device(tmp_path, fake, "laptop"), _device(tmp_path, fake, "desktop")
    yield laptop, desktop
    laptop.close()
    desktop.close()


def _ids(services, *remote_ids) -> list[int]:
    known = services.tracks.ids_by_location("home", list(remote_ids))
    return [known[remote_id] for remote_id in remote_ids]


def test_a_queue_saved_on_one_device_is_offered_on_the_other(devices, fake):
    laptop, desktop = devices
    queue = SavedQueue(track_ids=_ids(laptop, "s0", "s1", "s2"), current=1, position_ms=151_000)
    report = laptop.queue_handoff().save(queue)
    assert report.saved == {"home": 3} and report.local == 0
    assert laptop.outbox_sender().flush().sent == 1
    assert fake.play_queue["ids"] == ["s0", "s1", "s2"] and fake.play_queue["position"] == 151_000

    offered = desktop.queue_handoff().from_elsewhere()
    assert offered is not None and offered.track_ids == _ids(desktop, "s0", "s1", "s2")
    assert (offered.current, offered.position_ms, offered.changed_by) == (1, 151_000, "prelude")
    assert laptop.queue_handoff().from_elsewhere() is None  # the laptop's own: not offered back
    # The desktop takes it and moves on: now the laptop is offered the desktop's queue.
    desktop.queue_handoff().save(SavedQueue(track_ids=offered.track_ids, current=2,
                                            position_ms=5_000))
    desktop.outbox_sender().flush()
    assert desktop.queue_handoff().from_elsewhere() is None
    back = laptop.queue_handoff().from_elsewhere()
    assert back is not None and (back.current, back.position_ms) == (2, 5_000)


def test_by_index_a_song_there_twice_keeps_its_place(devices, fake):
    fake.extensions = ["indexBasedQueue"]
    laptop, desktop = devices
    handoff = laptop.queue_handoff()
    handoff.learn("home")
    handoff.save(SavedQueue(track_ids=_ids(laptop, "s0", "s1", "s0"), current=2,
                            position_ms=42_000))
    laptop.outbox_sender().flush()
    assert "savePlayQueueByIndex" in fake.calls and "savePlayQueue" not in fake.calls
    offered = desktop.queue_handoff().from_elsewhere()
    assert offered.track_ids == _ids(desktop, "s0", "s1", "s0")
    assert (offered.current, offered.position_ms) == (2, 42_000)  # the second s0, not the first


def test_a_mixed_queue_saves_the_servers_songs_and_says_the_rest_stay(devices, fake):
    laptop, _desktop = devices
    laptop.tracks.save_tags([TrackTags(location="/music/here.flac", title="Here")])
    here = laptop.tracks.search("Here")[0].id
    queue = SavedQueue(track_ids=[*_ids(laptop, "s3"), here, *_ids(laptop, "s4")], current=1,
                       position_ms=9_000)  # the local file plays now
    report = laptop.queue_handoff().save(queue)
    assert report.saved == {"home": 2} and report.local == 1
    laptop.outbox_sender().flush()
    # the server's next song after the one playing here, from its start
    assert fake.play_queue == {**fake.play_queue, "ids": ["s3", "s4"], "current": 1,
                               "position": 0}


def test_saves_made_offline_wait_as_one_and_are_sent_when_the_server_is_back(devices, fake):
    laptop, desktop = devices
    fake.faults = {"savePlayQueue": lambda handler, params: handler._send(503, b"down")}
    handoff = laptop.queue_handoff()
    for position in (1_000, 2_000, 3_000):  # as the queue changes, and on pause
        handoff.save(SavedQueue(track_ids=_ids(laptop, "s0", "s5"), current=0,
                                position_ms=position))
    assert laptop.outbox_sender().flush().waiting == 1
    assert [item.method for item in Outbox(laptop.db).pending()] == ["savePlayQueue"]
    fake.faults = {}
    assert laptop.outbox_sender().flush().sent == 1
    assert desktop.queue_handoff().from_elsewhere().position_ms == 3_000  # the last, once


def test_the_commands_push_and_pull(devices, fake, capsys):
    laptop, desktop = devices
    laptop.queue_store.save(SavedQueue(track_ids=_ids(laptop, "s1", "s2"), current=1,
                                       position_ms=61_000))
    assert queue_command(laptop, SimpleNamespace(queue_command="push")) == 0
    assert "Saved the queue to home: 2 songs." in capsys.readouterr().out
    assert queue_command(desktop, SimpleNamespace(queue_command="pull", server=None)) == 0
    said = capsys.readouterr().out
    assert "Took the queue saved by prelude on home" in said and "at “Song 2” 1:01" in said
    taken = desktop.queue_store.load()
    assert (taken.track_ids, taken.current, taken.position_ms) == (
        _ids(desktop, "s1", "s2"), 1, 61_000)


def test_the_window_offers_another_devices_queue_and_takes_it_only_when_asked(
        devices, fake, qtbot, tone_library):
    from app.playback.null_engine import NullEngine
    from tests.gui_window import WAIT_MS, library_window

    laptop, desktop = devices
    fake.payloads = {f"s{n}": bytes(7_000_000) for n in range(1, 5)}  # as the catalog says
    laptop.queue_handoff().save(SavedQueue(track_ids=_ids(laptop, "s1", "s2", "s3"), current=1,
                                           position_ms=61_000))
    laptop.outbox_sender().flush()
    with library_window(qtbot, desktop, tone_library, NullEngine()) as window:
        before = desktop.player.call(lambda: list(desktop.player.queue.track_ids))
        bar = window.handoff_bar
        with qtbot.waitSignal(window.handoff_checked, timeout=WAIT_MS) as checked:
            window.check_handoff()
        assert checked.args == [True] and bar.isVisible()
        assert bar.text.text() == "Continue from Prelude on another computer: “Song 2” at 1:01?"
        assert desktop.player.call(lambda: list(desktop.player.queue.track_ids)) == before
        bar.take.click()
        qtbot.waitUntil(lambda: desktop.player.current_track is not None
                        and desktop.player.current_track.title == "Song 2", timeout=WAIT_MS)
        assert desktop.player.call(lambda: list(desktop.player.queue.track_ids)) == _ids(
            desktop, "s1", "s2", "s3")
        assert desktop.player.call(desktop.player.engine.position_ms) >= 61_000

        # Saved again elsewhere, and refused: the bar goes and that queue is not offered again.
        laptop.queue_handoff().save(SavedQueue(track_ids=_ids(laptop, "s4"), current=0,
                                               position_ms=1_000))
        laptop.outbox_sender().flush()
        with qtbot.waitSignal(window.handoff_checked, timeout=WAIT_MS):
            window.check_handoff()
        assert bar.isVisible()
        bar.later.click()
        with qtbot.waitSignal(window.handoff_checked, timeout=WAIT_MS) as checked:
            window.check_handoff()
        assert checked.args == [False] and not bar.isVisible()


def test_without_index_a_song_there_twice_is_still_this_devices_own(devices, fake):
    """savePlayQueue names the current song by its id: a server reads it back at the first
    place it has that song, and the device must still know the queue for its own."""
    laptop, _desktop = devices
    laptop.queue_handoff().save(SavedQueue(track_ids=_ids(laptop, "s0", "s1", "s0"), current=2,
                                           position_ms=7_000))
    laptop.outbox_sender().flush()
    assert laptop.queue_handoff().from_elsewhere() is None
