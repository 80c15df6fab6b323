"""One Prelude per profile: a second launch hands its request to the running one and exits.

The running instance listens on a local socket named after its profile; a launch that finds it
sends one JSON line ({"action": "raise"} or {"action": "enqueue", "query": ..., "limit": ...})
and gets "ok" back. `prelude play QUERY` against a running instance so adds the matches to its
queue instead of opening a second window.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
CONNECT_MS = 500
REPLY_MS = 5000


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return f"prelude-{digest}"


def send_to_running(data_dir: Path, request: dict) -> bool:
    """True if a running instance took the request (this launch should then just exit)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write((json.dumps(request) + "\n").encode())
    socket.flush()
    answered = socket.waitForReadyRead(REPLY_MS) and socket.readAll().data().strip() == b"ok"
    socket.disconnectFromServer()
    return answered


class InstanceServer(QObject):
    """Listens for later launches; `request` carries each one's dict to the GUI thread."""

    request = Signal(dict)

    def __init__(self, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.UserAccessOption)  # this user only
        name = server_name(data_dir)
        if not self._server.listen(name):
            QLocalServer.removeServer(name)  # left behind by a crash: nobody answered on it
            self._server.listen(name)
        self._server.newConnection.connect(self._accept)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        try:
            request = json.loads(socket.readLine().data().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            request = None
        if isinstance(request, dict) and request.get("action") in ("raise", "enqueue"):
            socket.write(b"ok\n")
            self.request.emit(request)
        else:
            socket.write(b"refused\n")
        socket.flush()
        socket.disconnectFromServer()
