"""Scanning music folders into the library, incrementally.

A file whose size and mtime match the database is not opened again; a file that cannot be read
is counted and reported, and the scan goes on.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from app.library import covers
from app.library.tags import UnreadableFile, is_audio_file, read_tags
from app.models import ScanReport, TrackTags
from app.store.location_text import to_path, to_text
from app.store.tracks import TrackStore

log = logging.getLogger(__name__)

BATCH_SIZE = 200
Progress = Callable[[int, str], None]  # files seen so far, current path


def walk_audio_files(root: Path, errors: list[tuple[str, str]]) -> Iterator[tuple[Path, list[str]]]:
    """(file, names in its folder) for every audio file under root; follows symlinks once."""
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            stat = directory.stat()
            if (stat.st_dev, stat.st_ino) in seen_dirs:  # a symlink loop, or a folder seen twice
                continue
            seen_dirs.add((stat.st_dev, stat.st_ino))
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            errors.append((str(directory), error.strerror or str(error)))
            continue
        names = [entry.name for entry in entries]
        subdirs = []
        for entry in entries:
            try:
                if entry.is_dir():
                    subdirs.append(Path(entry.path))
                elif entry.is_file() and is_audio_file(entry.name):
                    yield Path(entry.path), names
            except OSError as error:
                errors.append((entry.path, error.strerror or str(error)))
        stack.extend(reversed(subdirs))


class Scanner:
    def __init__(self, tracks: TrackStore, covers_dir: Path):
        self.tracks = tracks
        self.covers_dir = covers_dir

    def scan(self, folders: Iterable[str | Path], progress: Progress | None = None,
             cancelled: Callable[[], bool] = lambda: False) -> ScanReport:
        started = time.monotonic()
        roots = [Path(folder).expanduser().resolve() for folder in folders]
        if not roots:
            return ScanReport()
        known = self.tracks.local_files()
        seen: set[str] = set()
        unreadable: list[tuple[str, str]] = []
        batch: list[TrackTags] = []
        files_seen = added = updated = unchanged = 0
        folder_art: dict[Path, str | None] = {}

        def flush() -> None:
            nonlocal added, updated
            if batch:
                new, changed = self.tracks.save_tags(batch)
                added += new
                updated += changed
                batch.clear()

        for root in roots:
            if not root.is_dir():
                unreadable.append((str(root), "folder not found"))
                continue
            for path, sibling_names in walk_audio_files(root, unreadable):
                if cancelled():
                    break
                files_seen += 1
                location = to_text(str(path))
                seen.add(location)
                if progress and files_seen % 50 == 0:
                    progress(files_seen, location)
                try:
                    stat = path.stat()
                except OSError as error:
                    unreadable.append((location, error.strerror or str(error)))
                    continue
                previous = known.get(location)
                if previous and previous[1] == stat.st_mtime and previous[2] == stat.st_size:
                    unchanged += 1
                    continue
                try:
                    tags, art = read_tags(path)
                except UnreadableFile as error:
                    unreadable.append((location, str(error)))
                    continue
                cover = covers.save_embedded(art, self.covers_dir) if art else None
                if cover is None:
                    if path.parent not in folder_art:
                        folder_art[path.parent] = covers.folder_image(path.parent, sibling_names)
                    cover = folder_art[path.parent]
                batch.append(_with_cover(tags, cover))
                if len(batch) >= BATCH_SIZE:
                    flush()
        flush()

        # Files that were under a scanned root and are gone now leave the library.
        # A root that is missing (an unplugged disk) removes nothing, nor does a cancelled scan.
        live_roots = [root for root in roots if root.is_dir()]
        removed_ids = [] if cancelled() else [
            track_id for location, (track_id, _, _) in known.items()
            if location not in seen and any(_is_under(location, root) for root in live_roots)
        ]
        if removed_ids:
            self.tracks.delete(removed_ids)
        report = ScanReport(
            files_seen=files_seen, added=added, updated=updated, unchanged=unchanged,
            removed=len(removed_ids), seconds=time.monotonic() - started,
            unreadable=tuple(unreadable),
        )
        log.info("%s", report.summary())
        return report


def _with_cover(tags: TrackTags, cover: str | None) -> TrackTags:
    return tags if cover is None else replace(tags, cover_path=cover)


def _is_under(location: str, root: Path) -> bool:
    location = to_path(location)
    try:
        Path(location).relative_to(root)
        return True
    except ValueError:
        return False
