"""`prelude bench scan`: how fast a music folder comes into the library, first and again.

Writes N tagged files (MP3, FLAC, Ogg Vorbis and WAV in turn, one second of tone each, each
with its own title, artist and album, spread over album folders) into a temporary folder, then
times, with the page cache warm from writing them: reading every file's tags with mutagen
alone (the baseline in the same run: the least a scan must do), the first scan into a fresh
profile, and three rescans with nothing changed (median). Ratios compare the scan with the
baseline, as these machines are noisy.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from app.library.tags import read_bare, write_tags
from app.paths import resolve_profile
from app.services import Services

FORMATS = (("mp3", "MP3", None), ("flac", "FLAC", None), ("ogg", "OGG", "VORBIS"),
           ("wav", "WAV", None))
RATE = 44_100
SONGS_PER_ALBUM = 10
RESCANS = 3


def run_scan_bench(files: int, progress=None) -> dict:
    say = progress or (lambda message: None)
    workdir = Path(tempfile.mkdtemp(prefix="prelude-bench-scan-"))
    try:
        music = workdir / "music"
        say(f"Writing {files:,} tagged files…")
        paths = write_tagged_files(music, files)
        started = time.perf_counter()
        for path in paths:
            read_bare(path)
        tags_only_s = time.perf_counter() - started
        with Services.open(resolve_profile(workdir / "data")) as services:
            say("First scan…")
            first = services.library.scanner.scan([music])
            say("Rescans with nothing changed…")
            rescans = [services.library.scanner.scan([music]) for _ in range(RESCANS)]
        if first.added != files or any(r.unchanged != files for r in rescans):
            raise RuntimeError(f"the scan did not see every file once ({first.summary()})")
        first_s = first.seconds
        rescan_s = statistics.median(r.seconds for r in rescans)
        return {
            "files": files,
            "formats": [extension for extension, _, _ in FORMATS],
            "tags_only_s": round(tags_only_s, 3),
            "first_scan_s": round(first_s, 3),
            "first_scan_files_per_s": round(files / first_s),
            "first_scan_ratio": round(first_s / tags_only_s, 2),
            "rescan_s": round(rescan_s, 4),
            "rescan_files_per_s": round(files / rescan_s),
            "rescan_ratio": round(rescan_s / first_s, 4),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def write_tagged_files(folder: Path, files: int) -> list[Path]:
    """`files` files, the formats in turn, each a copy of one second of tone with its own tags."""
    tone = 0.2 * np.sin(2 * np.pi * 440 * np.arange(RATE) / RATE)
    stereo = np.stack([tone, tone], axis=1)
    originals = {}
    for extension, file_format, subtype in FORMATS:
        originals[extension] = folder / f"original.{extension}"
        folder.mkdir(parents=True, exist_ok=True)
        soundfile.write(originals[extension], stereo, RATE, format=file_format, subtype=subtype)
    paths = []
    for n in range(files):
        extension = FORMATS[n % len(FORMATS)][0]
        album = n // SONGS_PER_ALBUM
        path = folder / f"Artist {album % 97}" / f"Album {album}" / f"{n:06d} Song {n}.{extension}"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(originals[extension], path)
        if extension != "wav":  # WAV carries no tags here: the title comes from the name
            write_tags(path, title=f"Song {n}", artist=f"Artist {album % 97}",
                       album=f"Album {album}", tracknumber=str(n % SONGS_PER_ALBUM + 1))
        paths.append(path)
    for original in originals.values():
        original.unlink()
    return paths
