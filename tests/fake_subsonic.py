"""A scriptable OpenSubsonic endpoint on loopback, for faults a real server will not produce.

Each API method answers from a catalog of generated songs unless a test overrides it with a
fault.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def make_songs(count: int, prefix: str = "s") -> list[dict]:
    return [{"id": f"{prefix}{n}", "title": f"Song {n}", "artist": f"Artist {n % 7}",
             "artistId": f"ar{n % 7}",
             "album": f"Album {n % 11}", "albumId": f"al{n % 11}", "track": n % 12 + 1,
             "duration": 180, "suffix": "mp3", "bitRate": 320, "size": 7_000_000}
            for n in range(count)]


def ok(payload: dict) -> bytes:
    return json.dumps({"subsonic-response": {"status": "ok", "version": "1.16.1",
                                             **payload}}).encode()


class FakeSubsonic:
    def __init__(self, songs: list[dict], tls: tuple[str, str] | None = None):
        self.songs = songs
        self.faults: dict[str, Callable] = {}
        self.calls: list[str] = []
        self.params: list[dict] = []
        self.extensions: list[str] = []
        self.versions: dict[str, list[int]] = {}  # an extension's versions, when not just [1]
        self.payloads: dict[str, bytes] = {}   # song id -> the file `stream` serves
        self.lyrics: dict[str, dict] = {}      # song id -> getLyricsBySongId's lyricsList
        self.stream_log: list[tuple[str, int]] = []  # (song id, first byte asked for)
        self.bytes_per_s: float | None = None  # a slow link, when set
        self.play_queue: dict | None = None  # what the last savePlayQueue(ByIndex) kept
        self.sonic: dict[str, list[str]] = {}  # song id -> the songs that sound like it, likest first
        self.top_songs: dict[str, list[str]] = {}  # artist id, or name, -> song ids played most
        self.pictures: dict[str, bytes] = {}  # cover art id -> picture; "ar-<artist id>": an artist's
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802
                parts = urlsplit(self.path)
                method = parts.path.rsplit("/", 1)[-1].removesuffix(".view")
                every = parse_qs(parts.query)
                params = {k: v[0] for k, v in every.items()}
                params["id*"] = every.get("id", [])  # a repeated parameter, every value
                fake.calls.append(method)
                fake.params.append(params)
                fault = fake.faults.get(method)
                if fault is not None and fault(self, params) is not False:
                    return
                if method == "stream":
                    return self._stream(params)
                picture = fake.pictures.get(params.get("id", ""))
                if method == "getCoverArt" and picture is not None:
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.send_header("Content-Length", str(len(picture)))
                    self.end_headers()
                    self.wfile.write(picture)
                    return
                self._send(200, fake.answer(method, params))

            def _stream(self, params):
                data = fake.payloads[params["id"]]
                start = 0
                ranged = self.headers.get("Range", "")
                if ranged.startswith("bytes="):
                    start = int(ranged[6:].split("-")[0])
                fake.stream_log.append((params["id"], start))
                self.send_response(206 if start else 200)
                self.send_header("Content-Type", "audio/mpeg")
                self.send_header("Content-Length", str(len(data) - start))
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                self.end_headers()
                step = 16 * 1024
                for offset in range(start, len(data), step):
                    try:
                        self.wfile.write(data[offset:offset + step])
                    except OSError:
                        return  # the client went away (a cancelled download)
                    if fake.bytes_per_s:
                        time.sleep(step / fake.bytes_per_s)  # the emulated link's pace

            def _send(self, status: int, data: bytes, length: int | None = None):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data) if length is None else length))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout the test provoked): nothing to answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls is not None:  # (certificate, key): an HTTPS server with that certificate
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def answer(self, method: str, params: dict) -> bytes:
        if method == "ping":
            return ok({"type": "fake", "serverVersion": "1", "openSubsonic": True})
        if method == "getOpenSubsonicExtensions":
            return ok({"openSubsonicExtensions": [{"name": n, "versions": self.versions.get(n, [1])}
                                                   for n in self.extensions]})
        if method == "getIndexes":
            return ok({"indexes": {"lastModified": len(self.songs), "index": []}})
        if method == "getAlbumList2":
            albums = sorted({song["albumId"] for song in self.songs if "albumId" in song})
            offset, size = int(params.get("offset", 0)), int(params.get("size", 10))
            return ok({"albumList2": {"album": [{"id": a, "name": a}
                                                for a in albums[offset:offset + size]]}})
        if method == "getAlbum":
            songs = [s for s in self.songs if s.get("albumId") == params.get("id")]
            return ok({"album": {"id": params.get("id"), "song": songs}})
        if method in ("star", "unstar", "setRating", "scrobble"):
            return ok({})
        if method == "reportPlayback" and "playbackReport" in self.extensions:
            return ok({})
        if method in ("savePlayQueue", "savePlayQueueByIndex"):
            return self._save_play_queue(method, params)
        if method in ("getPlayQueue", "getPlayQueueByIndex"):
            return self._play_queue(method)
        if method == "getStarred2":
            return ok({"starred2": {}})
        if method == "getPlaylists":
            return ok({"playlists": {}})
        if method == "getLyricsBySongId" and "songLyrics" in self.extensions:
            return ok({"lyricsList": self.lyrics.get(params.get("id"), {"structuredLyrics": []})})
        if method == "search3":
            offset, count = int(params.get("songOffset", 0)), int(params.get("songCount", 20))
            artists = {s["artistId"]: s["artist"] for s in self.songs if "artistId" in s}
            query = params.get("query", "").casefold()
            found = [{"id": i, "name": n, **({"coverArt": f"ar-{i}"} if f"ar-{i}" in self.pictures else {})}
                     for i, n in sorted(artists.items()) if query in n.casefold()]
            return ok({"searchResult3": {"song": self.songs[offset:offset + count],
                                         "artist": found[:int(params.get("artistCount", 20))]}})
        if method in ("getSonicSimilarTracks", "findSonicPath") and "sonicSimilarity" in self.extensions:
            return self._sonic(method, params)
        if method == "getTopSongs":
            return self._top_songs(params)
        return json.dumps({"subsonic-response": {"status": "failed", "error": {
            "code": 70, "message": "not here"}}}).encode()

    def _sonic(self, method: str, params: dict) -> bytes:
        """As the OpenSubsonic reference has them: a top-level sonicMatch list of
        {entry: Child, similarity}; a path starts with the start song and ends with the end."""
        by_id = {song["id"]: song for song in self.songs}
        if method == "getSonicSimilarTracks":
            ids = self.sonic.get(params["id"], [])[:int(params.get("count", 10))]
        else:
            start, end = params["startSongId"], params["endSongId"]
            ids = [start, *[i for i in self.sonic.get(start, []) if i not in (start, end)], end]
            ids = ids[:int(params.get("count", 25)) - 1] + [end] if len(ids) > 1 else ids
        return ok({"sonicMatch": [{"entry": by_id[i], "similarity": round(1 - n / 20, 2)}
                                  for n, i in enumerate(ids) if i in by_id]})

    def _top_songs(self, params: dict) -> bytes:
        """getTopSongs by the artist's name, or by its id where the fake lists the
        topSongsByArtistId extension (the id then wins)."""
        key = params.get("artist", "")
        if "topSongsByArtistId" in self.extensions and params.get("id"):
            key = params["id"]
        by_id = {song["id"]: song for song in self.songs}
        songs = [by_id[i] for i in self.top_songs.get(key, []) if i in by_id]
        return ok({"topSongs": {"song": songs[:int(params.get("count", 50))]}})

    def _save_play_queue(self, method: str, params: dict) -> bytes:
        """As the OpenSubsonic reference describes savePlayQueue and savePlayQueueByIndex (the
        indexBasedQueue extension: a song may be there twice, the current one by its index)."""
        ids = params["id*"]
        if method == "savePlayQueueByIndex":
            if "indexBasedQueue" not in self.extensions:
                return self.answer("unknown", {})
            current = int(params["currentIndex"]) if "currentIndex" in params else None
        else:
            current = ids.index(params["current"]) if params.get("current") in ids else None
        self.play_queue = {"ids": ids, "current": current,
                           "position": int(params.get("position", 0)),
                           "changed": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                           "changedBy": params.get("c", "")}
        return ok({})

    def _play_queue(self, method: str) -> bytes:
        saved = self.play_queue
        if saved is None:
            return ok({})  # nothing saved: an empty answer, as servers give
        by_id = {song["id"]: song for song in self.songs}
        queue = {"entry": [by_id[i] for i in saved["ids"] if i in by_id],
                 "position": saved["position"], "username": "u", "changed": saved["changed"],
                 "changedBy": saved["changedBy"]}
        if method == "getPlayQueueByIndex":
            if "indexBasedQueue" not in self.extensions:
                return self.answer("unknown", {})
            return ok({"playQueueByIndex": {**queue, "currentIndex": saved["current"]}})
        if saved["current"] is not None:
            queue["current"] = saved["ids"][saved["current"]]
        return ok({"playQueue": queue})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def synced_profile(folder, fake: FakeSubsonic):
    """A profile of its own in folder (another computer, say), with the fake added as the
    server "home" and its catalog synced."""
    from app.catalog.client import SubsonicClient  # noqa: PLC0415
    from app.catalog.servers import ServerConfig  # noqa: PLC0415
    from app.paths import resolve_profile  # noqa: PLC0415
    from app.services import Services  # noqa: PLC0415

    services = Services.open(resolve_profile(folder))
    services.servers.save(ServerConfig("home", fake.url, "u", auth="token"), "pw")
    services.catalog_sync().sync(SubsonicClient("home", fake.url, "u", "pw"))
    return services
