"""Training in the background: when there is no model, once a day, and after enough new plays.

One training at a time, in a child process (train_process.py) watched by a thread here; the
app only loads the finished model file. A failed training leaves the previous model in place
and says why.
"""

from __future__ import annotations

import logging
import threading
import time

from app.event_bus import EventBus
from app.recommend.events import RecommenderProblem, RecommenderTrained, TrainingStarted
from app.recommend.model_file import load_model
from app.recommend.recommender import Recommender
from app.recommend.train_process import TrainingProcess
from app.store.database import Database
from app.store.recommender_inputs import finished_play_count
from app.store.tracks import TrackStore

log = logging.getLogger(__name__)

NEW_PLAYS_TO_RETRAIN = 20
RETRAIN_AFTER_S = 24 * 3600


class TrainingScheduler:
    def __init__(self, db: Database, recommender: Recommender, bus: EventBus):
        self.db = db
        self.recommender = recommender
        self.bus = bus
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()
        self._cancelled = threading.Event()
        self.done = threading.Event()  # set after each training ends, whatever its outcome

    def due(self) -> bool:
        model = self.recommender.model()
        plays = finished_play_count(self.db)
        if model is None:
            return plays > 0 or TrackStore(self.db).count() > 0
        return (plays - model.plays >= NEW_PLAYS_TO_RETRAIN
                or time.time() - model.trained_at >= RETRAIN_AFTER_S)

    def maybe_train(self) -> bool:
        """Start a training if one is due and none is running; True if one started."""
        try:
            if not self.due():
                return False
        except Exception:  # noqa: BLE001 - deciding must never break playback
            log.exception("could not decide whether to train")
            return False
        return self.train()

    def train(self) -> bool:
        with self._lock:
            if self._closing.is_set() or (self._thread is not None and self._thread.is_alive()):
                return False
            self.done.clear()
            self._cancelled.clear()
            self._thread = threading.Thread(target=self._train, name="prelude-training", daemon=True)
            self._thread.start()
            return True

    def cancel(self) -> None:
        """Stop a training under way (its child process is ended); the old model stays."""
        self._cancelled.set()

    def close(self, timeout: float = 5.0) -> None:
        self._closing.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _train(self) -> None:
        try:
            self.bus.publish(TrainingStarted())
            outcome = TrainingProcess(self.db.path, self.recommender.model_path).wait(
                lambda: self._closing.is_set() or self._cancelled.is_set())
            if outcome is None:
                if not self._closing.is_set():
                    self.bus.publish(RecommenderProblem(
                        "Training was cancelled; the previous recommendations stay in use."))
                return
            if not outcome.ok:
                log.warning("%s", outcome.message)
                self.bus.publish(RecommenderProblem(f"{outcome.message} The previous model stays in use."))
                return
            model = load_model(self.recommender.model_path)
            self.recommender.install(model)
            log.info("recommender trained: %s", outcome.message)
            self.bus.publish(RecommenderTrained(model.plays, len(model.track_ids), model.fit_seconds))
        except Exception as error:  # noqa: BLE001 - a bug here must not take the app down
            log.exception("training failed")
            self.bus.publish(RecommenderProblem(f"Training recommendations failed: {error}"))
        finally:
            self.db.close_thread()
            self.done.set()
