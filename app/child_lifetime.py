"""Work in a child process ends with the app: a training or a loudness analysis started by an
app that was killed (kill -9, a crash, a log-out) would otherwise run on for nobody, at full
speed, for as long as its work lasts.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading


def end_with_parent() -> None:
    """Call first thing in a child started by multiprocessing: the child exits as soon as its
    parent process is gone. (multiprocessing's sentinel for the parent is a pipe the parent
    holds open while it lives; its end is the parent's death, however it died.)"""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)  # nobody is left to hear from this process, and what it saved stays saved

    threading.Thread(target=watch, name="prelude-parent-watch", daemon=True).start()
