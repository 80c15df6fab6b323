"""Keeping the window's library current: the first-run default, rescans, added folders.

Scans run on the thread pool; the window hears about them through its status bar and a refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.models import ScanReport
from app.services import Services
from ui.workers import CancelToken, run_task


class LibraryController(QObject):
    progress = Signal(int)  # files looked at so far (emitted on the scan's thread, queued)

    def __init__(self, services: Services, window):
        super().__init__(window)
        self.services = services
        self.window = window
        self._pending_play: tuple[str, int | None] | None = None
        self._scanning: CancelToken | None = None
        window.folder_add_requested.connect(self.add_folder)
        window.rescan_requested.connect(self.rescan)
        window.scan_activity.cancel_requested.connect(self.cancel)
        self.progress.connect(lambda count: window.scan_activity.show_text(
            f"Scanning your music: {count:,} files"))

    def start(self, play_query: str | None = None, play_limit: int | None = None) -> None:
        """At launch: make sure there is a library (demo on first run), then rescan it."""
        self._pending_play = (play_query, play_limit) if play_query else None
        library = self.services.library

        def first_run_then_rescan(**watch) -> ScanReport:
            report = library.ensure_default()
            return report if report is not None else library.rescan(**watch)

        self._scan(first_run_then_rescan)

    def rescan(self) -> None:
        self._scan(self.services.library.rescan)

    def add_folder(self, folder: str) -> None:
        library = self.services.library

        def add_and_scan(**watch):
            library.add(folder)  # a committed write: off the GUI thread too
            return library.scanner.scan([folder], **watch)

        self._scan(add_and_scan)

    def cancel(self) -> None:
        if self._scanning is not None:
            self._scanning.cancel()  # the scan stops at the next file and keeps what it found

    def _scan(self, job) -> None:
        self.window.show_message("Scanning your music…")
        token = self._scanning = CancelToken()
        self.window.scan_activity.show_text("Scanning your music…")

        def watched() -> ScanReport:
            return job(progress=lambda count, _: self.progress.emit(count),
                       cancelled=lambda: token.cancelled)

        run_task(watched, on_done=lambda report: self._scanned(report, token.cancelled),
                 on_error=self._failed, owner=self)

    def _scanned(self, report: ScanReport, cancelled: bool = False) -> None:
        self._scanning = None
        self.window.scan_activity.finish()
        summary = report.summary().replace("\n", " ")
        self.window.show_message(f"Scan cancelled; the library keeps what it found. {summary}"
                                 if cancelled else summary)
        demo_dir = str(self.services.profile.demo_library_dir)
        self.window.show_demo_banner(demo_dir in self.services.library.folders())
        self.window.search.refresh()
        self.services.loudness.poke()  # new or changed files: measured in the background
        self.window.sync.sync_all()  # cheap when nothing changed on the servers
        if self._pending_play:
            query, limit = self._pending_play
            self._pending_play = None
            tracks, player = self.services.tracks, self.services.player

            def play(ids: list[int]) -> None:
                if ids:
                    player.play_tracks(ids, context="search")
                else:
                    self.window.show_message(f"No tracks match “{query}”.")

            run_task(lambda: tracks.ordered_ids(query, limit=limit), on_done=play, owner=self)

    def _failed(self, error: Exception) -> None:
        self._scanning = None
        self.window.scan_activity.finish()
        self.window.show_message(f"The library scan failed: {error}")
