"""Run by test_crash: an app stand-in that starts a child as the app starts its training and
loudness children (multiprocessing, "spawn"), prints the child's pid, and waits to be killed.

    python -m tests.orphan_parent
"""

from __future__ import annotations

import multiprocessing
import sys
import threading


def child_at_work() -> None:
    """Long work, as a training or a loudness analysis may be: here, waiting for ever."""
    from app.child_lifetime import end_with_parent

    end_with_parent()
    threading.Event().wait()


if __name__ == "__main__":
    context = multiprocessing.get_context("spawn")
    child = context.Process(target=child_at_work, name="prelude-training", daemon=True)
    child.start()
    print(child.pid, flush=True)
    sys.stdin.read()  # until killed
