"""Time from launch to a shown Prelude window, for the bundle and for the installed command.

    .venv/bin/python packaging/measure_startup.py [--runs 5] [--json]

Each launch gets a fresh profile (with the demo library already made, so no first-run scan is
timed) on a private Xvfb display; the clock stops when a visible window named "Prelude" exists
(xdotool). Prints medians for build/dist/prelude/prelude and for .venv/bin/prelude, their ratio,
and the bundle's size on disk. Needs Debian's xvfb and xdotool (bash .ci/setup --dev).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "build" / "dist" / "prelude"
COMMANDS = {"bundle": BUNDLE / "prelude", "venv": ROOT / ".venv" / "bin" / "prelude"}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            print(f"measure_startup: {tool} is missing (bash .ci/setup --dev)", file=sys.stderr)
            return 1
    if not COMMANDS["bundle"].exists():
        print("measure_startup: no bundle; run packaging/linux/build-bundle.sh", file=sys.stderr)
        return 1
    display = f":{100 + os.getpid() % 800}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        env = {**os.environ, "DISPLAY": display, "PRELUDE_AUDIO_OUTPUT": "none"}
        env.pop("QT_QPA_PLATFORM", None)
        _wait_for_display(env)
        result = {name: _median_launch(command, env, args.runs) for name, command in COMMANDS.items()}
    finally:
        xvfb.terminate()
        xvfb.wait()
    result["bundle_vs_venv"] = round(result["bundle"] / result["venv"], 2)
    result["bundle_mb"] = round(sum(f.stat().st_size for f in BUNDLE.rglob("*")
                                    if f.is_file() and not f.is_symlink()) / 2**20, 1)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"shown window, median of {args.runs}: bundle {result['bundle']:.2f} s, installed "
              f"command {result['venv']:.2f} s (ratio {result['bundle_vs_venv']}); bundle "
              f"{result['bundle_mb']} MB")
    return 0


def _wait_for_display(env: dict) -> None:
    deadline = time.monotonic() + 10
    while subprocess.run(["xdotool", "getdisplaygeometry"], env=env, capture_output=True).returncode:
        if time.monotonic() > deadline:
            raise RuntimeError("Xvfb did not start")
        time.sleep(0.05)  # polling an external X server: there is no event to wait on


def _median_launch(command: Path, env: dict, runs: int) -> float:
    times = []
    for _ in range(runs + 1):  # the first launch warms the disk cache and is not counted
        with tempfile.TemporaryDirectory() as profile:
            launch_env = {**env, "PRELUDE_DATA_DIR": profile}
            _prepare_profile(command, launch_env)
            started = time.monotonic()
            app = subprocess.Popen([str(command)], env=launch_env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            try:
                subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "^Prelude$"],
                               env=launch_env, capture_output=True, timeout=60, check=True)
                times.append(time.monotonic() - started)
            finally:
                app.terminate()
                app.wait(10)
    return round(statistics.median(times[1:]), 3)


def _prepare_profile(command: Path, env: dict) -> None:
    """The first run's demo library, made before the clock starts."""
    subprocess.run([str(command), "search", "demo"], env=env, capture_output=True, timeout=120)


if __name__ == "__main__":
    sys.exit(main())
