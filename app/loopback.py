"""A small HTTP server on a free loopback port, run on a thread of its own.

Shared by the stream proxy VLC plays from and the benchmarks' emulated link.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger(__name__)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client that hung up (VLC on a seek, a stop, a skip) is no error; anything else is
        said in one line, never as the traceback socketserver prints on the terminal."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionResetError, BrokenPipeError)):
            log.warning("loopback request failed: %s", error)


class LoopbackServer:
    def __init__(self, handle_get: Callable[[BaseHTTPRequestHandler], None], name: str):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as VLC and real servers expect

            def log_message(self, *args):  # quiet: requests carry tokens in their paths
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                handle_get(self)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, name=name, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
