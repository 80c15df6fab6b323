"""`prelude history import`: exported plays into the history, matched to library tracks.

Every play gets a key (service, time, artist, title); the database refuses a key it already has,
so importing the same export twice, or two overlapping exports, adds each play once. Plays that
match no library track are kept too (history survives a track leaving the library) but only
matched plays teach the recommender. Unreadable entries are counted, named, and skipped.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import UsageError
from app.history_import.formats import ExportedPlay, Unreadable, read_export
from app.history_import.matcher import LibraryMatcher, normalise
from app.store.database import Database
from app.store.history import add_past_plays

MAX_PROBLEMS_LISTED = 20
_EXPORT_SUFFIXES = (".json", ".jsonl")


@dataclass
class ImportReport:
    files: int = 0
    entries: int = 0
    imported: int = 0
    matched: int = 0
    unmatched: int = 0
    duplicates: int = 0
    malformed: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"Read {self.entries} plays from {self.files} file(s): {self.imported} imported "
                f"({self.matched} matched to your library, {self.unmatched} not in it), "
                f"{self.duplicates} already imported, {self.malformed} unreadable skipped.")

    def as_json(self) -> dict:
        return {key: getattr(self, key) for key in (
            "files", "entries", "imported", "matched", "unmatched", "duplicates", "malformed",
            "problems")}


def import_history(db: Database, paths: list[Path], should_stop=lambda: False) -> ImportReport:
    matcher = LibraryMatcher(db)
    report = ImportReport()
    for name, text in _export_texts(paths):
        if should_stop():
            break
        report.files += 1
        rows = []
        for item in read_export(name, text):
            if isinstance(item, Unreadable):
                report.malformed += 1
                if len(report.problems) < MAX_PROBLEMS_LISTED:
                    report.problems.append(f"{item.where}: {item.why}")
                continue
            report.entries += 1
            rows.append(_row(item, matcher.match(item.artist, item.title, item.album)))
        # One file, one transaction: all of it or none of it.
        matched, unmatched = add_past_plays(db, [r for r in rows if r["track_id"] is not None],
                                            [r for r in rows if r["track_id"] is None])
        report.matched += matched
        report.unmatched += unmatched
        report.imported += matched + unmatched
        report.duplicates += len(rows) - matched - unmatched
    return report


def _row(play: ExportedPlay, match: tuple[int, int | None] | None) -> dict:
    track_id, duration = match if match else (None, None)
    ms_played = play.ms_played if play.ms_played is not None else (duration or 0)
    reason = play.end_reason or _judged_reason(ms_played, duration)
    started = play.started_at if play.started_at is not None else play.ended_at - ms_played / 1000
    ended = play.ended_at if play.ended_at is not None else started + ms_played / 1000
    moment = play.ended_at if play.ended_at is not None else play.started_at
    key = f"{play.origin}|{moment:.0f}|{normalise(play.artist)}|{normalise(play.title)}"
    return {"track_id": track_id, "title": play.title, "artist": play.artist, "album": play.album,
            "started_at": started, "ended_at": ended, "ms_played": ms_played, "end_reason": reason,
            "audio_source": None, "origin": play.origin, "import_key": key}


def _judged_reason(ms_played: int, duration: int | None) -> str:
    """Spotify's basic export says only how long: judge the ending from the track's length."""
    if duration and ms_played >= duration * 0.9:
        return "completed"
    if ms_played < min(30_000, (duration or 60_000) / 2):
        return "skipped"
    return "stopped" if duration else "completed"


def _export_texts(paths: list[Path]) -> Iterator[tuple[str, str]]:
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in _EXPORT_SUFFIXES)
            if not files:
                raise UsageError(f"{path}: no .json or .jsonl history files in this folder")
            for file in files:
                yield str(file), _read(file)
        elif path.suffix.lower() == ".zip":
            yield from _zip_texts(path)
        else:
            yield str(path), _read(path)


def _zip_texts(path: Path) -> Iterator[tuple[str, str]]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(n for n in archive.namelist() if n.lower().endswith(_EXPORT_SUFFIXES))
            for name in names:
                if "history" in name.lower() or name.lower().endswith(".jsonl"):
                    yield f"{path}:{name}", archive.read(name).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError) as error:
        raise UsageError(f"{path}: cannot read this zip file ({error})") from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
