"""Syncing servers from the window: on the thread pool, with progress and a cancel button."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.services import Services
from ui.workers import CancelToken, run_task


class SyncController(QObject):
    progress = Signal(str, int)      # server, songs fetched so far
    finished = Signal(str)           # a summary line per server
    failed = Signal(str)
    library_changed = Signal()

    def __init__(self, services: Services, parent=None):
        super().__init__(parent)
        self.services = services
        self.token: CancelToken | None = None

    def sync_all(self, full: bool = False) -> None:
        if self.token is not None or not self.services.has_servers():
            return
        token = self.token = CancelToken()
        services = self.services

        def job() -> list[str]:
            lines = []
            syncer = services.catalog_sync()
            sender = services.outbox_sender()
            for server in services.servers.all():
                if token.cancelled:
                    break
                try:
                    sender.flush(server.name)
                    report = syncer.sync(
                        services.client_for(server.name), full=full,
                        progress=lambda count, total, name=server.name:
                            self.progress.emit(name, count),
                        cancelled=lambda: token.cancelled)
                    lines.append(report.summary())
                    services.mark_reachable(server.name)
                except Exception as error:  # noqa: BLE001 - reported per server, in words
                    lines.append(f"{server.name}: sync failed: {error}")
            return lines

        def done(lines: list[str]) -> None:
            self.token = None
            self.finished.emit(" ".join(lines))
            self.library_changed.emit()

        def failed(error: Exception) -> None:
            self.token = None
            self.failed.emit(f"Sync failed: {error}")

        run_task(job, on_done=done, on_error=failed, token=token, owner=self)

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
            self.token = None
            self.finished.emit("Sync cancelled; the library is as it was.")
