"""A real OpenSubsonic server (supysonic, a development dependency) on loopback.

Used by the test suite and by `prelude bench playback`. supysonic itself runs in its own process
(app/bench/run_supysonic.py); this module only drives it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

BIN = Path(sys.executable).parent


class ListenRecorder:
    """Stands in for ListenBrainz: supysonic forwards every scrobble it accepts to it, which is
    how the tests see, from the server's side, what Prelude scrobbled."""

    def __init__(self):
        recorder = self
        self.listens: list[dict] = []
        self.changed = threading.Condition()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length) or b"{}")
                with recorder.changed:
                    recorder.listens.append(payload)
                    recorder.changed.notify_all()
                data = b'{"status": "ok"}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, predicate, timeout: float = 30) -> list[dict]:
        with self.changed:
            if not self.changed.wait_for(lambda: predicate(self.listens), timeout):
                raise AssertionError(f"no such listen; got {self.listens}")
            return list(self.listens)
USER, PASSWORD = "listener", "s3cret pass"


class SupysonicServer:
    def __init__(self, workdir: Path, music: Path):
        self.workdir = workdir
        self.music = music
        self.port = 0
        self.url = ""
        self.listens = ListenRecorder()
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
            "[listenbrainz]\n"
            f"api_url = {self.listens.url}\n"
            # Streams asked for in another format or at a lower bit rate are transcoded, as a
            # real installation does (ffmpeg comes with Prelude's set-up).
            "[transcoding]\n"
            "transcoder = ffmpeg -v quiet -i %srcpath -f %outfmt -b:a %outratek -\n"
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
        with sqlite3.connect(self.workdir / "supysonic.db") as db:  # link the recorder
            db.execute("UPDATE user SET listenbrainz_session = 'test-token'")
        self.cli("folder", "add", "music", str(self.music))
        self.rescan()

    def rescan(self) -> None:
        self.cli("folder", "scan", "-f", "music")

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.bench.run_supysonic", str(self.workdir)],
            cwd=self.workdir, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()  # printed once the socket listens
        if not line.strip().isdigit():
            raise RuntimeError("supysonic did not start (is it installed? it comes with "
                               "'bash .ci/setup --dev')")
        self.port = int(line)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)

    def api(self, method: str, **params) -> dict:
        """Ask the server directly (to check what Prelude did, from the server's side)."""
        query = {"u": USER, "p": PASSWORD, "v": "1.12.0", "c": "tests", "f": "json", **params}
        url = f"{self.url}/rest/{method}.view?{urlencode(query, doseq=True)}"
        with urlopen(url, timeout=10) as response:
            return json.load(response)["subsonic-response"]
