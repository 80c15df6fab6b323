"""An emulated network link in front of a server: round-trip delay and a bandwidth cap.

A small HTTP reverse proxy on loopback. Each request waits one round trip before it is sent on
(connection set-up and request), and every byte of the answers shares one token bucket of the
given rate, like one home connection shared by all downloads.
"""

from __future__ import annotations

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from app.loopback import LoopbackServer

CHUNK = 8 * 1024


class TokenBucket:
    def __init__(self, bytes_per_s: float):
        self.rate = bytes_per_s
        self._lock = threading.Lock()
        self._next_free = time.monotonic()

    def take(self, amount: int) -> None:
        """Block until `amount` bytes may pass (the emulated link's pace)."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_free)
            self._next_free = start + amount / self.rate
            wait = self._next_free - now
        if wait > 0:
            time.sleep(wait)  # this is the link's speed, not synchronisation


class EmulatedLink:
    def __init__(self, target_url: str, rtt_ms: float, kbps: float):
        target = urlsplit(target_url)
        self.rtt_s = rtt_ms / 1000
        self.bucket = TokenBucket(kbps * 1000 / 8)
        self._server = LoopbackServer(self._forward, "prelude-bench-link")
        self.url = self._server.url
        self.requests = 0  # how many requests crossed the link
        self._target = target

    def _forward(self, request: BaseHTTPRequestHandler) -> None:
        target = self._target
        self.requests += 1  # (one handler thread each; counted under the GIL, a bench figure)
        time.sleep(self.rtt_s)  # the request's round trip
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ("host", "connection")}
        try:
            upstream.request("GET", request.path, headers=headers)
            answer = upstream.getresponse()
            request.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in ("connection", "transfer-encoding", "keep-alive"):
                    request.send_header(key, value)
            if answer.getheader("Content-Length") is None:
                request.close_connection = True
            request.end_headers()
            while data := answer.read(CHUNK):
                self.bucket.take(len(data))
                request.wfile.write(data)
        except (OSError, http.client.HTTPException):
            request.close_connection = True
        finally:
            upstream.close()

    def close(self) -> None:
        self._server.close()
