"""Which folders make up the local library, and the first-run default."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from app.models import ScanReport
from app.paths import Profile, default_music_dir
from app.settings import LIBRARY_FOLDERS
from app.store.settings_store import SettingsStore
from app.store.tracks import TrackStore


class LibraryFolders:
    def __init__(self, settings: SettingsStore, tracks: TrackStore, profile: Profile):
        self.settings = settings
        self.tracks = tracks
        self.profile = profile

    @cached_property
    def scanner(self):
        """Made at the first scan: its tag readers (mutagen) are not loaded before the window."""
        from app.library.scanner import Scanner  # noqa: PLC0415

        return Scanner(self.tracks, self.profile.covers_dir)

    def folders(self) -> list[str]:
        return self.settings.read(LIBRARY_FOLDERS) or []

    def add(self, folder: str | Path) -> None:
        resolved = str(Path(folder).expanduser().resolve())
        folders = self.folders()
        if resolved not in folders:
            self.settings.write(LIBRARY_FOLDERS, folders + [resolved])

    def remove(self, folder: str) -> int:
        """Stop following a folder; its songs leave the library (history keeps its copies).
        Returns how many songs went."""
        root = str(Path(folder))
        self.settings.write(LIBRARY_FOLDERS, [f for f in self.folders() if f != root])
        ids = self.tracks.local_ids_under(root)
        self.tracks.delete(ids)
        return len(ids)

    def ensure_default(self) -> ScanReport | None:
        """First run: the platform music folder; when there is no music anywhere, the demo.

        Returns the scan report when it scanned something, None when a library already exists.
        """
        if self.settings.read(LIBRARY_FOLDERS) is not None and self.tracks.count() > 0:
            return None
        report = None
        if self.settings.read(LIBRARY_FOLDERS) is None:
            music = default_music_dir()
            self.settings.write(LIBRARY_FOLDERS, [str(music)] if music.is_dir() else [])
        if self.folders():
            report = self.scanner.scan(self.folders())
        if self.tracks.count() == 0:
            from app.library.demo import create_demo_library  # numpy and soundfile: first run only

            demo = create_demo_library(self.profile.demo_library_dir)
            self.add(demo)
            report = self.scanner.scan([demo])
        return report

    def rescan(self, **kwargs) -> ScanReport:
        return self.scanner.scan(self.folders(), **kwargs)
