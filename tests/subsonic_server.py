"""A real OpenSubsonic server (supysonic, from PyPI) on loopback, over generated music."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import requests

BIN = Path(sys.executable).parent
USER, PASSWORD = "listener", "s3cret pass"


class SupysonicServer:
    def __init__(self, workdir: Path, music: Path):
        self.workdir = workdir
        self.music = music
        self.port = 0
        self.url = ""
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "supysonic.conf").write_text(
            "[base]\n"
            f"database_uri = sqlite:///{workdir / 'supysonic.db'}\n"
            "[webapp]\n"
            f"cache_dir = {workdir / 'cache'}\n"
            "mount_webui = no\n"
            "[daemon]\n"
            f"socket = {workdir / 'daemon.sock'}\n"
            "run_watcher = no\n"
        )
        self.process: subprocess.Popen | None = None

    def cli(self, *args: str) -> str:
        result = subprocess.run([str(BIN / "supysonic-cli"), *args], cwd=self.workdir,
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"supysonic-cli {args}: {result.stderr}")
        return result.stdout

    def setup(self) -> None:
        self.cli("user", "add", USER, "-p", PASSWORD)
        self.cli("folder", "add", "music", str(self.music))
        self.rescan()

    def rescan(self) -> None:
        self.cli("folder", "scan", "-f", "music")

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("run_supysonic.py")), str(self.workdir)],
            cwd=self.workdir, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()  # printed once the socket listens
        if not line.strip().isdigit():
            raise RuntimeError("supysonic did not start")
        self.port = int(line)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)

    def api(self, method: str, **params) -> dict:
        """Ask the server directly (to check what Prelude did, from the server's side)."""
        query = {"u": USER, "p": PASSWORD, "v": "1.12.0", "c": "tests", "f": "json", **params}
        return requests.get(f"{self.url}/rest/{method}.view", params=query,
                            timeout=10).json()["subsonic-response"]
