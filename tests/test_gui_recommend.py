"""Recommendations in the window: the For You list, radios, history import, background training."""

from __future__ import annotations

import json
import time

import pytest

from app.bench.synthetic_catalog import synthetic_catalog
from app.playback.null_engine import NullEngine
from tests.gui_window import library_window
from tests.stalls import StallMeter
from tests.taste import listen

WAIT_MS = 30_000


@pytest.fixture
def window(qtbot, services, tone_library):
    with library_window(qtbot, services, tone_library, NullEngine(speed=10)) as win:
        yield win


def _open_for_you(window, qtbot):
    with qtbot.waitSignal(window.recommend.recommendations_ready, timeout=WAIT_MS):
        window.side_tabs.setCurrentWidget(window.for_you)


def test_for_you_starts_unpersonalised_and_says_so(window, qtbot):
    _open_for_you(window, qtbot)
    assert window.for_you.note.isVisibleTo(window)
    assert "Listen to a few songs" in window.for_you.note.text()
    assert len(window.for_you.track_ids()) == 6


def test_after_training_the_list_has_reasons_and_plays(window, qtbot, services):
    ids = services.tracks.ordered_ids("")
    listen(services, [ids[:3], ids[:3], ids[3:]], days_ago=5)
    with qtbot.waitSignal(window.bridge.recommendations_updated, timeout=WAIT_MS):
        assert services.training.train()
    _open_for_you(window, qtbot)
    assert not window.for_you.note.isVisibleTo(window)
    first = window.for_you.list.item(0)
    assert "Because you played" in first.text()
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS) as started:
        window.for_you.list.itemActivated.emit(first)
    assert started.args[0].track.id == window.for_you.track_ids()[0]
    assert services.player.context == "radio"


def test_start_radio_from_a_track_plays_it_first(window, qtbot, services):
    seed = services.tracks.ordered_ids("night walk")[0]
    window.recommend.start_radio(seed)
    queue = window.queue_model
    qtbot.waitUntil(lambda: queue.rowCount() == 6 and queue.rows.ids[0] == seed, timeout=WAIT_MS)
    assert "Radio from Beta Ensemble — Night Walk" in window.statusBar().currentMessage()


def test_a_path_between_two_chosen_songs_plays_from_one_to_the_other(window, qtbot, services):
    from PySide6.QtCore import QItemSelectionModel, QPoint

    from ui.controllers.track_menu import track_menu
    from ui.models.roles import SECONDARY

    table, model = window.table, window.library_model
    qtbot.waitUntil(lambda: model.rowCount() == 6, timeout=WAIT_MS)
    for row in (0, 4):
        table.selectionModel().select(model.index(row, 0),
                                      QItemSelectionModel.Select | QItemSelectionModel.Rows)
    start, end = model.ids[0], model.ids[4]
    menu = track_menu(window, table, model, QPoint(1, 1), lambda row: None)
    path = next(a for a in menu.actions() if a.text() == "Play a Path Between These Two")
    path.trigger()
    queue = window.queue_model
    qtbot.waitUntil(lambda: queue.rowCount() >= 3 and queue.rows.ids[0] == start, timeout=WAIT_MS)
    assert queue.rows.ids[-1] == end and len(set(queue.rows.ids)) == queue.rowCount()
    assert "On the way from" in queue.data(queue.index(1), SECONDARY)  # why it is there
    assert "Playing a path from" in window.statusBar().currentMessage()


def test_a_radio_asks_before_it_replaces_songs_still_to_come(window, qtbot, services):
    ids = services.tracks.ordered_ids("")
    with qtbot.waitSignal(window.bridge.track_started, timeout=WAIT_MS):
        services.player.play_tracks(ids[:3], 0)  # two songs still to come
    qtbot.waitUntil(lambda: window.queue_length == 3, timeout=WAIT_MS)
    window.recommend.start_radio(ids[4])
    qtbot.waitUntil(lambda: getattr(window, "radio_question", None) is not None
                    and window.radio_question.isVisible(), timeout=WAIT_MS)
    assert "2 songs still to come" in window.radio_question.text()
    assert list(window.queue_model.rows.ids[:3]) == ids[:3]  # nothing replaced while it asks
    add = next(b for b in window.radio_question.buttons() if b.text() == "Add to Queue")
    add.click()
    qtbot.waitUntil(lambda: window.queue_length > 3, timeout=WAIT_MS)
    assert list(window.queue_model.rows.ids[:3]) == ids[:3]  # the lined-up songs stay, in order


def test_import_history_from_the_window(window, qtbot, services, tmp_path):
    export = tmp_path / "StreamingHistory0.json"
    export.write_text(
        json.dumps(
            [
                {
                    "endTime": "2023-05-01 09:00",
                    "artistName": "Beta Ensemble",
                    "trackName": "Tide",
                    "msPlayed": 1500,
                }
            ]
        ),
        encoding="utf-8",
    )
    actions = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Import Listening History…" in actions
    window.recommend.import_history([str(export)])
    qtbot.waitUntil(lambda: "1 imported" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert services.history.recent(1)[0].title == "Tide"


def test_background_training_does_not_stall_the_window(window, qtbot, services):
    """20,000 tracks and 10,000 plays: the event loop keeps ticking while the model trains."""
    services.tracks.save_tags(list(synthetic_catalog(20_000)))
    from app.bench.train_bench import write_listening_history

    write_listening_history(services.profile.data_dir, 10_000)
    training = services.training  # as in the app, NumPy and SciPy were loaded before, off this thread
    meter = StallMeter()
    started = time.perf_counter()
    with qtbot.waitSignal(window.bridge.recommendations_updated, timeout=120_000):
        meter.start()
        assert training.train()
    meter.stop()
    took = time.perf_counter() - started
    print(f"training {took:.1f} s, longest event-loop stall {meter.longest * 1000:.0f} ms")
    assert took > 0.5  # long enough for a stall to show
    assert len(meter.gaps) > 50
    assert meter.longest < 0.1, f"longest stall {meter.longest * 1000:.0f} ms during {took:.1f} s of training"
