"""Re-emits the core's events as Qt signals, so widgets receive them on the GUI thread."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, Signal

from app.event_bus import EventBus
from app.playback.events import (
    PlaybackFailed,
    PlayerStateChanged,
    PositionChanged,
    QueueChanged,
    QueueFinished,
    TrackStarted,
    TransitionPlanned,
    VolumeChanged,
)
from app.recommend.events import RecommenderProblem, RecommenderTrained, TrainingStarted
from app.streaming.events import CacheProgress, ServerUnreachable


class Bridge(QObject):
    state_changed = Signal(object)      # PlayerStateChanged
    track_started = Signal(object)      # TrackStarted
    position_changed = Signal(int, int)  # position ms, duration ms (0 when unknown)
    queue_changed = Signal(object)      # QueueChanged
    transition_planned = Signal(object)  # TransitionPlanned
    playback_failed = Signal(str)
    volume_changed = Signal(int)
    queue_finished = Signal()
    cache_progress = Signal(int, bool)   # track id, complete
    server_unreachable = Signal(str)
    recommendations_updated = Signal()
    recommender_problem = Signal(str)
    training_started = Signal()
    _arrived = Signal(object, object)  # (emit on the GUI thread, event): see __init__

    def __init__(self, bus: EventBus, parent: QObject | None = None):
        super().__init__(parent)
        # Events are published on the player's and the workers' threads. They cross to this
        # object's (the GUI) thread through a queued connection, and every public signal is
        # emitted there: whatever is connected to them (widgets, lambdas, test helpers) runs
        # on the GUI thread.
        self._arrived.connect(self._deliver, Qt.QueuedConnection)
        later = self._later
        self._unsubscribe = [
            bus.subscribe(PlayerStateChanged, later(self.state_changed.emit)),
            bus.subscribe(TrackStarted, later(self.track_started.emit)),
            bus.subscribe(PositionChanged,
                          later(lambda e: self.position_changed.emit(e.position_ms, e.duration_ms or 0))),
            bus.subscribe(QueueChanged, later(self.queue_changed.emit)),
            bus.subscribe(TransitionPlanned, later(self.transition_planned.emit)),
            bus.subscribe(PlaybackFailed, later(lambda e: self.playback_failed.emit(e.message))),
            bus.subscribe(VolumeChanged, later(lambda e: self.volume_changed.emit(e.volume))),
            bus.subscribe(QueueFinished, later(lambda e: self.queue_finished.emit())),
            bus.subscribe(CacheProgress, self._on_cache_progress),
            bus.subscribe(ServerUnreachable, later(lambda e: self.server_unreachable.emit(
                f"{e.server} cannot be reached: {e.message} Cached tracks still play."))),
            bus.subscribe(RecommenderTrained, later(lambda e: self.recommendations_updated.emit())),
            bus.subscribe(RecommenderProblem, later(lambda e: self.recommender_problem.emit(e.message))),
            bus.subscribe(TrainingStarted, later(lambda e: self.training_started.emit())),
        ]
        self._last_progress: dict[int, float] = {}

    def _later(self, emit):
        """A bus handler that has `emit(event)` run on the GUI thread."""
        return lambda event: self._arrived.emit(emit, event)

    def _deliver(self, emit, event) -> None:
        emit(event)

    def _on_cache_progress(self, event: CacheProgress) -> None:
        # Chunks arrive many times a second: the window hears of each track at most 4 times.
        now = time.monotonic()
        if event.complete or now - self._last_progress.get(event.track_id, 0) > 0.25:
            self._last_progress[event.track_id] = now
            self._arrived.emit(lambda e: self.cache_progress.emit(e.track_id, e.complete), event)

    def detach(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
