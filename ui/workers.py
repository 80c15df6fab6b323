"""run_task: the one way the window runs work off the GUI thread (scans, searches, bulk work).

The function runs on Qt's thread pool; its result (or error) comes back to the GUI thread through a
queued signal. A cancelled token drops the job before it starts and its result before delivery,
so stale work (an outdated search) never reaches the window.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.errors import PreludeError

log = logging.getLogger(__name__)


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


class _Carrier(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn, carrier: _Carrier, token: CancelToken):
        super().__init__()
        self.fn, self.carrier, self.token = fn, carrier, token

    def run(self) -> None:
        if self.token.cancelled:
            return
        try:
            result = self.fn()
        except Exception as error:  # noqa: BLE001 - delivered to the window as a message
            if isinstance(error, PreludeError):  # said in words already: no traceback
                log.info("background task: %s", error)
            else:  # a bug: one line on the terminal, the traceback only with --verbose
                log.error("background task failed: %s: %s", type(error).__name__, error)
                log.debug("the failure in full", exc_info=True)
            if not self.token.cancelled:
                self.carrier.failed.emit(error)
            return
        if not self.token.cancelled:
            self.carrier.done.emit(result)


_live: set[_Carrier] = set()  # keep carriers alive until they delivered


def run_task(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[Exception], None] | None = None,
             token: CancelToken | None = None, pool: QThreadPool | None = None,
             owner: QObject | None = None) -> CancelToken:
    """Run fn() on the thread pool; on_done(result) / on_error(exception) on the GUI thread.
    With an `owner` (the widget the callbacks touch), nothing is delivered once it is gone."""
    token = token or CancelToken()
    carrier = _Carrier()
    _live.add(carrier)
    gone = threading.Event()
    if owner is not None:
        owner.destroyed.connect(lambda *_: gone.set())

    def deliver(callback, value):
        _live.discard(carrier)
        if callback is not None and not token.cancelled and not gone.is_set():
            callback(value)

    carrier.done.connect(lambda result: deliver(on_done, result))
    carrier.failed.connect(lambda error: deliver(on_error, error))
    (pool or QThreadPool.globalInstance()).start(_Task(fn, carrier, token))
    return token
