"""`prelude bench library`: search as you type and launch-to-window with a large library.

The window is timed in fresh processes (launch to shown, offscreen), against an empty PySide6
window launched the same way in the same run, so the ratio holds on a noisy machine.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.bench.library_bench import fill_profile, time_search
from app.bench.stats import percentile

LAUNCHES = 3


def _launch(extra: list[str], pycache: Path) -> dict:
    """Start the probe; seconds from spawn to each event it reports, and its peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "ui.bench.startup_probe", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env=_with_bytecode_cache(pycache))
    result: dict = {}
    for line in process.stdout:
        event = json.loads(line)
        result[event["event"] + "_s"] = time.perf_counter() - started
        result["rss_mb"] = event["rss_mb"]
    process.wait(timeout=120)
    if "shown_s" not in result:
        raise RuntimeError("the window did not open in the benchmark probe")
    return result


def _with_bytecode_cache(pycache: Path) -> dict:
    """The environment of a launch as a person's second one: Python's compiled modules cached
    (here in the benchmark's own folder, even where PYTHONDONTWRITEBYTECODE is set)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _search_in_window(data_dir: Path, tracks: int) -> dict:
    """Keystroke to painted results in the real window (ui/bench/search_probe.py), every prefix."""
    probe = subprocess.run([sys.executable, "-m", "ui.bench.search_probe", "--data-dir", str(data_dir),
                            "--expect-tracks", str(tracks)],
                           capture_output=True, text=True, timeout=600)
    if probe.returncode != 0:
        raise RuntimeError("the search probe failed: " + probe.stderr.strip()[-500:])
    keystrokes = json.loads(probe.stdout.strip().splitlines()[-1])["keystrokes"]
    table = [k["table_ms"] for k in keystrokes]
    grouped = [k["grouped_ms"] for k in keystrokes]
    return {
        "search_p50_ms": round(statistics.median(table), 2),
        "search_p95_ms": round(percentile(table, 0.95), 2),
        "grouped_p50_ms": round(statistics.median(grouped), 2),
        "grouped_p95_ms": round(percentile(grouped, 0.95), 2),
        "search_prefixes": len(keystrokes),
    }


def run_library_bench(tracks: int, progress=None) -> dict:
    say = progress or (lambda message: None)
    workdir = Path(tempfile.mkdtemp(prefix="prelude-bench-"))
    try:
        data_dir = workdir / "profile"
        say(f"Writing a synthetic library of {tracks:,} tracks…")
        insert_rate = fill_profile(data_dir, tracks, progress=say)
        say("Timing the search query as you type…")
        result = time_search(data_dir)
        say("Timing keystroke to painted results in the window…")
        result.update(_search_in_window(data_dir, tracks))
        say("Launching the window and an empty window, alternately…")
        window_args = ["--data-dir", str(data_dir), "--expect-tracks", str(tracks)]
        pycache = workdir / "pycache"
        _launch(["--empty"], pycache)  # not timed: the first launches fill the bytecode cache
        _launch(window_args, pycache)
        windows, empties = [], []
        for _ in range(LAUNCHES):
            empties.append(_launch(["--empty"], pycache))
            windows.append(_launch(window_args, pycache))
        window_s = statistics.median(w["shown_s"] for w in windows)
        empty_s = statistics.median(e["shown_s"] for e in empties)
        filled = [w.get("filled_s") for w in windows if "filled_s" in w]
        result.update({
            "window_s": round(window_s, 3),
            "empty_window_s": round(empty_s, 3),
            "window_ratio": round(window_s / empty_s, 2),
            "table_filled_s": round(statistics.median(filled), 3) if filled else None,
            "rss_mb": round(max(w["rss_mb"] for w in windows), 1),
            "empty_rss_mb": round(max(e["rss_mb"] for e in empties), 1),
            "tracks": tracks,
            "insert_tracks_per_s": round(insert_rate),
        })
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
