"""Long work in the window shows progress and can be cancelled: a library scan, a training."""

from __future__ import annotations

import os
import shutil
import stat

import pytest

from app.playback.null_engine import NullEngine
from tests.audio import make_tone
from tests.gui_window import library_window

WAIT_MS = 60_000


@pytest.fixture
def window(qtbot, services, tone_library):
    with library_window(qtbot, services, tone_library, NullEngine(speed=10)) as win:
        yield win


def _status(window) -> str:
    return window.statusBar().currentMessage()


def test_a_scan_shows_its_progress_and_stops_when_cancelled(window, qtbot, services, tmp_path):
    source = make_tone(tmp_path / "src.mp3", 440, 0.3, title="x")
    for number in range(3000):
        target = tmp_path / "many" / f"{number // 100}" / f"{number:04d}.mp3"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    before = services.tracks.count()
    activity = window.scan_activity
    window.folder_add_requested.emit(str(tmp_path / "many"))
    qtbot.waitUntil(lambda: activity.isVisible() and "files" in activity.label.text(),
                    timeout=WAIT_MS)
    assert activity.cancel.accessibleName() == "Cancel scan"
    activity.cancel.click()
    qtbot.waitUntil(lambda: not activity.isVisible(), timeout=WAIT_MS)
    assert _status(window).startswith("Scan cancelled; the library keeps what it found.")
    assert before < services.tracks.count() < before + 3000  # stopped part way, kept the part


def test_a_training_shows_itself_and_can_be_cancelled(window, qtbot, services):
    training = services.training
    model_before = services.recommender.model()
    # A training of six songs ends within ~0.2 s, which a loaded machine can take to show the
    # activity: with the model file a pipe that nobody writes, the training waits on reading it
    # until it is cancelled, however fast or slow the machine.
    services.recommender.model_path.unlink(missing_ok=True)
    services.recommender.model_path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(services.recommender.model_path)
    activity = window.training_activity
    with qtbot.waitSignal(window.bridge.training_started, timeout=WAIT_MS):
        assert training.train()
    assert activity.isVisible() and activity.label.text() == "Learning your taste…"
    activity.cancel.click()
    qtbot.waitUntil(lambda: not activity.isVisible(), timeout=WAIT_MS)
    assert training.done.wait(10)
    assert "Training was cancelled" in _status(window)
    assert services.recommender.model() is model_before  # the old one stays in use
    assert stat.S_ISFIFO(services.recommender.model_path.stat().st_mode)  # and was not replaced
