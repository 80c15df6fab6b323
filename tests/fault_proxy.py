"""A fault-injecting HTTP proxy between the app and the real test server, driven by the tests.

Every request is forwarded to the server; while a fault is set, requests it applies to (by
Subsonic method name, e.g. only "stream") get that fault instead of an honest answer. Works at the
socket level so it can do what a well-behaved server library never would: refuse connections,
reset mid-body, lie about Content-Length, trickle. It also stands in for the link: it logs each
stream request with the byte it starts at (its Range), and can deliver streams at a set rate.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

SERVER = "faulty"
TIMEOUT_S = 1.5  # the server's timeout in the fault tests, so a stall costs seconds, not minutes

FAULTS = ("refused", "reset", "stall", "http500", "http503", "truncated", "wrong_length",
          "invalid_json", "wrong_shape", "huge", "slowloris")
HUGE_BYTES = 50 * 1024 * 1024
# Made once: building 50 MB per request would hold the GIL in this (the test's) process and
# show up as the window's stall, which is the proxy's doing, not the app's.
_HUGE = (b'{"subsonic-response": {"status": "ok", "version": "1.16.1", "pad": "'
         + b"x" * (HUGE_BYTES - 100) + b'"}}')


class FaultProxy:
    def __init__(self, target_url: str):
        self._target = urlsplit(target_url)
        self.fault: str | None = None
        self.applies: Callable[[str], bool] = lambda method: True
        self.requests: list[tuple[str, dict]] = []  # (method, query) of everything forwarded
        self.streams: list[tuple[str, int]] = []  # (song id, first byte asked) of each stream
        self.bytes_per_s: float | None = None  # the link's speed for streams (None: as fast)
        self.faulted = 0  # requests that got a fault
        self._ended = threading.Event()  # set when a fault is cleared: stalls let go
        self._listener = self._listen(0)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True).start()

    # -- driving ---------------------------------------------------------------------------
    def inject(self, fault: str, applies: Callable[[str], bool] = lambda method: True) -> None:
        assert fault in FAULTS, fault
        self.applies = applies
        self._ended.clear()
        self.fault = fault
        if fault == "refused":
            self._listener.close()  # nothing listens on the port: connections are refused

    def clear(self) -> None:
        was = self.fault
        self.fault = None
        self._ended.set()
        if was == "refused":
            self._listener = self._listen(self.port)
            threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self._ended.set()
        self._listener.close()

    @staticmethod
    def _listen(port: int) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        return listener

    def _accept_loop(self) -> None:
        listener = self._listener
        while not self._closed:
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # closed: refused, or the end
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    # -- one connection, one request (answers close the connection) ---------------------------
    def _serve(self, connection: socket.socket) -> None:
        try:
            head = self._read_head(connection)
            if head is None:
                return
            request_line, headers = head
            path = request_line.split(" ")[1]
            parts = urlsplit(path)
            method = parts.path.rsplit("/", 1)[-1].removesuffix(".view")
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            self.requests.append((method, query))
            if method == "stream":
                ranged = re.match(r"bytes=(\d+)-", headers.get("Range", headers.get("range", "")))
                self.streams.append((query.get("id", ""), int(ranged.group(1)) if ranged else 0))
            fault = self.fault if self.fault and self.applies(method) else None
            if fault == "stall":
                self.faulted += 1
                self._ended.wait(120)
                return
            status, reason, answer_headers, body = self._forward(path, headers)
            if fault:
                self.faulted += 1
                self._send_fault(connection, fault, method, status, answer_headers, body)
            elif method == "stream" and self.bytes_per_s:
                self._trickle(connection, self.bytes_per_s, status, reason, answer_headers, body)
            else:
                self._send(connection, status, reason, answer_headers, body)
        except OSError:
            pass
        finally:
            try:
                connection.close()
            except OSError:
                pass

    @staticmethod
    def _read_head(connection: socket.socket) -> tuple[str, dict] | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return None
            data += chunk
        lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        return lines[0], headers

    def _forward(self, path: str, headers: dict) -> tuple[int, str, list, bytes]:
        upstream = http.client.HTTPConnection(self._target.hostname, self._target.port, timeout=60)
        try:
            forwarded = {k: v for k, v in headers.items()
                         if k.lower() not in ("host", "connection", "accept-encoding")}
            upstream.request("GET", path, headers=forwarded)
            answer = upstream.getresponse()
            body = answer.read()
            kept = [(k, v) for k, v in answer.getheaders()
                    if k.lower() not in ("connection", "transfer-encoding", "keep-alive",
                                         "content-length", "content-encoding")]
            return answer.status, answer.reason, kept, body
        finally:
            upstream.close()

    def _send(self, connection, status: int, reason: str, headers: list, body: bytes) -> None:
        connection.sendall(self._head_bytes(status, headers, len(body), reason) + body)

    def _trickle(self, connection, rate: float, status: int, reason: str, headers: list,
                 body: bytes) -> None:
        """The answer at bytes_per_s, as a slow link delivers it (a client that hangs up ends
        it with an OSError)."""
        connection.sendall(self._head_bytes(status, headers, len(body), reason))
        began = time.monotonic()
        for start in range(0, len(body), 8192):
            if self._closed:
                return
            connection.sendall(body[start:start + 8192])
            due = began + (start + 8192) / rate  # the link's pace, not a wait for
            time.sleep(max(0.0, due - time.monotonic()))  # an event: nothing to wait on here

    def _send_fault(self, connection, fault: str, method: str, status: int, headers: list,
                    body: bytes) -> None:
        json_type = [("Content-Type", "application/json")]
        if fault in ("http500", "http503"):
            code = 500 if fault == "http500" else 503
            self._send(connection, code, "Fault", [("Content-Type", "text/html")],
                       b"<html><body>Internal trouble</body></html>")
        elif fault == "reset":
            head = self._head_bytes(status, headers, len(body))
            connection.sendall(head + body[: len(body) // 2])
            # SO_LINGER 0: close() sends RST instead of FIN, mid-body
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif fault == "truncated":
            connection.sendall(self._head_bytes(status, headers, len(body)) + body[: len(body) // 2])
        elif fault == "wrong_length":
            connection.sendall(self._head_bytes(status, headers, len(body) + 4096) + body)
        elif fault == "invalid_json":
            self._send(connection, 200, "OK", json_type,
                       b'{"subsonic-response": {"status": "ok", "version": "1.16.1", "song": [{')
        elif fault == "wrong_shape":
            self._send(connection, 200, "OK", json_type, json.dumps(_wrong_shape(body)).encode())
        elif fault == "huge":
            kind = [("Content-Type", "audio/mpeg")] if method == "stream" else json_type
            connection.sendall(self._head_bytes(200, kind, len(_HUGE)))
            connection.sendall(_HUGE)  # sendall lets go of the GIL while the bytes go out
        elif fault == "slowloris":
            connection.sendall(self._head_bytes(status, headers, len(body)))
            for byte in body:
                if self._ended.wait(0.5):
                    return
                connection.sendall(bytes([byte]))

    @staticmethod
    def _head_bytes(status: int, headers: list, length: int, reason: str = "OK") -> bytes:
        """Status line and headers, this length announced (true or not)."""
        lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers),
                 f"Content-Length: {length}", "Connection: close", "", ""]
        return "\r\n".join(lines).encode("latin-1")



def add_server_behind(services, proxy: FaultProxy) -> None:
    """The profile's server is the real test server behind `proxy`, synced once while all is
    well, with the tests' short timeout."""
    from app.bench.supysonic_server import PASSWORD, USER
    from app.catalog.servers import ServerConfig
    from app.settings import NETWORK_TIMEOUT_S

    services.settings.write(NETWORK_TIMEOUT_S, TIMEOUT_S)
    services.servers.save(ServerConfig(SERVER, proxy.url, USER), PASSWORD)
    services.catalog_sync().sync(services.client_for(SERVER))

def _wrong_shape(body: bytes) -> object:
    """The server's own answer with every value below the envelope swapped for another type:
    lists become strings, objects lists, strings numbers, numbers strings. Not JSON: a list."""
    try:
        answer = json.loads(body)
    except ValueError:
        return [1, "two", {"three": None}]

    def swap(value, depth):
        if depth < 2 and isinstance(value, dict):
            return {k: v if depth == 1 and k in ("status", "version") else swap(v, depth + 1)
                    for k, v in value.items()}
        if isinstance(value, list):
            return "a list was here"
        if isinstance(value, dict):
            return [swap(v, depth + 1) for v in value.values()]
        if isinstance(value, str):
            return 12345
        if isinstance(value, bool) or value is None:
            return {"odd": True}
        return "not a number"

    return swap(answer, 0)
