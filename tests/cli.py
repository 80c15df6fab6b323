"""Running the real `prelude` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PRELUDE = str(Path(sys.executable).parent / "prelude")


def prelude_env(data_dir: Path) -> dict:
    env = dict(os.environ)
    env["PRELUDE_DATA_DIR"] = str(data_dir)
    env["PRELUDE_AUDIO_OUTPUT"] = "none"
    return env


def run_prelude(data_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([PRELUDE, *args], env=prelude_env(data_dir), capture_output=True,
                          text=True, timeout=timeout)
