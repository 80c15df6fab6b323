"""Keeping the window's library current: the first-run default, rescans, added folders.

Scans run on the thread pool; the window hears about them through its status bar and a refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.models import ScanReport
from app.services import Services
from ui.workers import run_task


class LibraryController(QObject):
    def __init__(self, services: Services, window):
        super().__init__(window)
        self.services = services
        self.window = window
        self._pending_play: tuple[str, int | None] | None = None
        window.folder_add_requested.connect(self.add_folder)
        window.rescan_requested.connect(self.rescan)

    def start(self, play_query: str | None = None, play_limit: int | None = None) -> None:
        """At launch: make sure there is a library (demo on first run), then rescan it."""
        self._pending_play = (play_query, play_limit) if play_query else None
        library = self.services.library

        def first_run_then_rescan() -> ScanReport:
            report = library.ensure_default()
            return report if report is not None else library.rescan()

        self._scan(first_run_then_rescan)

    def rescan(self) -> None:
        self._scan(self.services.library.rescan)

    def add_folder(self, folder: str) -> None:
        library = self.services.library

        def add_and_scan():
            library.add(folder)  # a committed write: off the GUI thread too
            return library.scanner.scan([folder])

        self._scan(add_and_scan)

    def _scan(self, job) -> None:
        self.window.show_message("Scanning your music…")
        run_task(job, on_done=self._scanned, on_error=self._failed, owner=self)

    def _scanned(self, report: ScanReport) -> None:
        self.window.show_message(report.summary().replace("\n", " "))
        demo_dir = str(self.services.profile.demo_library_dir)
        self.window.show_demo_banner(demo_dir in self.services.library.folders())
        self.window.search.refresh()
        self.window.sync.sync_all()  # cheap when nothing changed on the servers
        if self._pending_play:
            query, limit = self._pending_play
            self._pending_play = None
            ids = self.services.tracks.ordered_ids(query, limit=limit)
            if ids:
                self.services.player.play_tracks(ids, context="search")
            else:
                self.window.show_message(f"No tracks match “{query}”.")

    def _failed(self, error: Exception) -> None:
        self.window.show_message(f"The library scan failed: {error}")
