"""A loopback OpenSubsonic endpoint serving a generated catalog, for `prelude bench sync`.

It runs in its own process with every page rendered in advance, so serving a page is a socket
write and the benchmark measures the client, not the server.
"""

from __future__ import annotations

import json
import multiprocessing
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from app.bench.synthetic_catalog import synthetic_catalog


def _ok(payload: dict) -> bytes:
    return json.dumps({"subsonic-response": {"status": "ok", "version": "1.16.1",
                                             "type": "prelude-bench", **payload}}).encode()


def _render(songs: int, page: int) -> dict[tuple[str, int], bytes]:
    rendered: list[dict] = []
    for number, tags in enumerate(synthetic_catalog(songs)):
        rendered.append({
            "id": f"tr-{number}", "title": tags.title, "artist": tags.artist,
            "album": tags.album, "albumId": f"al-{hash(tags.album) & 0xFFFFFF}",
            "track": tags.track_no, "discNumber": tags.disc_no, "year": tags.year,
            "genre": tags.genres[0], "duration": tags.duration_ms // 1000,
            "suffix": tags.codec, "bitRate": tags.bitrate_kbps, "size": tags.size,
        })
    pages = {("search3", offset): _ok({"searchResult3": {"song": rendered[offset:offset + page]}})
             for offset in range(0, songs + page, page)}
    pages[("ping", 0)] = _ok({})
    pages[("getIndexes", 0)] = _ok({"indexes": {"lastModified": 1_700_000_000_000, "index": []}})
    pages[("getAlbumList2", 0)] = _ok({"albumList2": {"album": [
        {"id": "al-newest", "created": "2024-01-01T00:00:00Z", "songCount": 12}]}})
    pages[("getScanStatus", 0)] = _ok({"scanStatus": {"scanning": False, "count": songs}})
    return pages


def _serve(songs: int, page: int, ready) -> None:
    pages = _render(songs, page)
    missing = json.dumps({"subsonic-response": {"status": "failed", "error": {
        "code": 70, "message": "not in the benchmark"}}}).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def log_message(self, *args):
            pass

        def setup(self):
            super().setup()
            # Headers and body go out as two writes; without this, Nagle and the client's
            # delayed ACK add 40 ms to every request and the server becomes what is measured.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self):  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            method = parts.path.rsplit("/", 1)[-1].removesuffix(".view")
            offset = int(parse_qs(parts.query).get("songOffset", ["0"])[0])
            data = pages.get((method, offset if method == "search3" else 0), missing)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ready.send(server.server_address[1])
    server.serve_forever()


class CatalogServer:
    def __init__(self, songs: int, page: int = 500):
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(songs, page, child), daemon=True)
        self.process.start()
        if not parent.poll(300):
            raise RuntimeError("the benchmark's catalog server did not start")
        self.url = f"http://127.0.0.1:{parent.recv()}"

    def close(self) -> None:
        self.process.terminate()
        self.process.join(10)
