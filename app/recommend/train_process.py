"""Training in a child process, so that not even NumPy's or SciPy's GIL-holding steps can make
the window stutter (measured in a thread: stalls of up to 100 ms at 20,000 tracks).

The child opens the database itself (reading only), trains, resumes from the model on disk
where it can, and writes the new model atomically; the parent hears "ok" or the error in words.
Started with multiprocessing's "spawn", which also works from a frozen (PyInstaller) bundle.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from pathlib import Path

from app.child_lifetime import end_with_parent


@dataclass(frozen=True)
class TrainingOutcome:
    ok: bool
    message: str = ""


class TrainingProcess:
    def __init__(self, database_path: Path, model_path: Path):
        context = multiprocessing.get_context("spawn")
        self._results, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(str(database_path), str(model_path), sender),
                                        name="prelude-training", daemon=True)
        self._process.start()
        sender.close()  # the child holds the only sending end: its death ends the pipe

    def wait(self, should_stop) -> TrainingOutcome | None:
        """The outcome, or None if should_stop() turned true first (the child is then ended)."""
        while not self._results.poll(0.2):
            if should_stop():
                self._process.terminate()
                self._process.join()
                return None
            if not self._process.is_alive() and not self._results.poll():
                return TrainingOutcome(False, f"the training process ended unexpectedly "
                                              f"(exit code {self._process.exitcode})")
        try:
            ok, message = self._results.recv()
        except EOFError:
            ok, message = False, "the training process ended without an answer"
        self._process.join()
        return TrainingOutcome(ok, message)


def _child(database_path: str, model_path: str, results) -> None:
    end_with_parent()
    try:
        from app.recommend.training import retrain_and_save  # noqa: PLC0415
        from app.store.database import Database  # noqa: PLC0415

        db = Database(database_path)
        try:
            model = retrain_and_save(db, model_path)
        finally:
            db.close()
        results.send((True, f"{model.plays} plays, {len(model.track_ids)} tracks, {model.fit_seconds:.1f} s"))
    except OSError as error:
        results.send((False, f"Could not save the recommendation model: {error.strerror or error}."))
    except Exception as error:  # noqa: BLE001 - reported in words to the parent
        results.send((False, f"Training recommendations failed: {type(error).__name__}: {error}"))
