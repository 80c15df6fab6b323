"""Loading recommendations, starting radios and importing history, all off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.services import Services
from ui.models.cover_keys import cover_key
from ui.workers import run_task


class RecommendController(QObject):
    recommendations_ready = Signal(list, str)  # [(track id, name, reason, cover key)], note
    radio_ready = Signal(list, str, object)  # track ids, what it is, {track id: why it is there}
    message = Signal(str)

    def __init__(self, services: Services, parent: QObject | None = None):
        super().__init__(parent)
        self.services = services

    def refresh(self, limit: int = 30) -> None:
        def load():
            result = self.services.recommender.for_you(limit)
            rows = []
            for item in result.items:
                track = self.services.tracks.get(item.track_id)
                if track is not None:
                    rows.append((track.id, track.display_name, item.reason, cover_key(track)))
            note = result.note
            if self.services.recommender.problem:
                note = f"{note} {self.services.recommender.problem}".strip()
            return rows, note

        run_task(load, on_done=lambda done: self.recommendations_ready.emit(*done),
                 on_error=lambda error: self.message.emit(f"Could not load recommendations: {error}"),
                 owner=self)

    def start_radio(self, track_id: int, by_artist: bool = False) -> None:
        def load():
            track = self.services.tracks.get(track_id)
            if by_artist:
                result = self.services.radio.from_artist(track.artist)
                return result.track_ids, f"Radio from {track.artist}", _reasons(result)
            result = self.services.radio.from_track(track.id)
            return [track.id, *result.track_ids], f"Radio from {track.display_name}", _reasons(result)

        run_task(load, on_done=lambda done: self.radio_ready.emit(*done),
                 on_error=lambda error: self.message.emit(f"Could not start the radio: {error}"), owner=self)

    def start_path(self, start_id: int, end_id: int) -> None:
        """A queue from one song to the other (the server's sonic path, or the device's way)."""
        def load():
            result = self.services.radio.path(start_id, end_id)
            start, end = self.services.tracks.get(start_id), self.services.tracks.get(end_id)
            label = f"a path from {start.title} to {end.title}" if start and end else "a path"
            return result.track_ids, label, _reasons(result)

        run_task(load, on_done=lambda done: self.radio_ready.emit(*done),
                 on_error=lambda error: self.message.emit(f"Could not find a path: {error}"), owner=self)

    def import_history(self, paths: list[str]) -> None:
        from pathlib import Path  # noqa: PLC0415

        from app.history_import.importer import import_history  # noqa: PLC0415

        def job():
            report = import_history(self.services.db, [Path(path) for path in paths])
            self.services.training.maybe_train()
            return report

        self.message.emit("Importing listening history…")
        run_task(job, on_done=lambda report: self.message.emit(report.summary()),
                 on_error=lambda error: self.message.emit(f"Import failed: {error}"), owner=self)


def _reasons(result) -> dict[int, str]:
    return {item.track_id: item.reason for item in result.items if item.reason}
