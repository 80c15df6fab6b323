"""Times search as a person meets it: a keystroke in the window's search box to the songs table
painted with that search's first screenful, and to the grouped results (artists, albums, songs)
painted under the box. Run by `prelude bench library` in a fresh process, offscreen; prints one
JSON object with a time per prefix typed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time

WAIT_S = 10.0  # a keystroke whose result is not painted by then counts as this long


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--expect-tracks", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEventLoop, QThreadPool, QTimer  # noqa: PLC0415
    from PySide6.QtTest import QTest  # noqa: PLC0415

    from app.bench.synthetic_catalog import search_queries  # noqa: PLC0415
    from ui.main import create_app  # noqa: PLC0415
    from ui.main_window import SONGS_ROW  # noqa: PLC0415
    from ui.paint_watch import PaintWatch  # noqa: PLC0415

    args.audio_output = "none"
    app, window, services = create_app(args)
    table_painted = PaintWatch(window.table.viewport())
    grouped_painted = PaintWatch(window.search_results.viewport())
    typed = {"prefix": None, "table": None, "grouped": None}

    waiting: list = []  # the event loop waiting now, and what it waits for

    def wait_for(done) -> bool:
        """Run the event loop until done() (checked as each mark comes, and every 5 ms for
        the library's load) or WAIT_S; the times themselves are taken as the marks come."""
        if done():
            return True
        loop = QEventLoop()
        poll = QTimer(interval=5, timeout=lambda: done() and loop.quit())
        give_up = QTimer(singleShot=True, interval=int(WAIT_S * 1000), timeout=loop.quit)
        waiting[:] = [loop, done]
        poll.start()
        give_up.start()
        loop.exec()
        poll.stop()
        give_up.stop()
        waiting.clear()
        return done()

    def mark(key: str, prefix: str) -> None:
        if typed[key] is None and prefix == typed["prefix"]:  # not a paint for an older key
            typed[key] = time.perf_counter()
        if waiting and waiting[1]():
            waiting[0].quit()

    def on_results(query: str, ids, rows) -> None:  # connected after the window's own slot
        if query == typed["prefix"] and query == window.search.query:
            table_painted.after_next_paint(lambda: mark("table", query))

    window.search.results_ready.connect(on_results)
    show_grouped = window.search_results.show_results

    def grouped_shown(results, tracks_by_id) -> None:
        show_grouped(results, tracks_by_id)
        prefix = window.search_box.text()
        if results.empty:  # the list hides: nothing more to paint
            mark("grouped", prefix)
        else:
            grouped_painted.after_next_paint(lambda: mark("grouped", prefix))

    window.search_results.show_results = grouped_shown  # the window calls it by attribute
    try:
        pool = QThreadPool.globalInstance()
        loaded = wait_for(lambda: window.library_model.rowCount() >= args.expect_tracks)
        # Start-up work done: the worker pool idle, the recommender loaded (after the first
        # rows are painted, numpy, SciPy and LightFM are imported in a thread of their own), and
        # a fresh profile's first training (a child process) over: a person meets those once.
        seen_warming = [False]

        def settled() -> bool:
            names = {thread.name for thread in threading.enumerate()}
            seen_warming[0] = seen_warming[0] or "prelude-recommender-warm-up" in names
            return (seen_warming[0] and "prelude-recommender-warm-up" not in names
                    and "prelude-training" not in names and pool.activeThreadCount() == 0)

        wait_for(settled)  # at most WAIT_S: a machine without LightFM has nothing to load
        if not loaded:
            raise SystemExit("the library did not load in the search probe")
        window.nav.setCurrentRow(SONGS_ROW)
        box = window.search_box
        box.setFocus()
        timings = []
        for query in search_queries():
            typed.update(prefix="", table=None, grouped=None)
            box.clear()  # the whole library again
            wait_for(lambda: window.library_model.rowCount() >= args.expect_tracks)
            for char in query:
                # As a person types (a key every ~150 ms): the last key's work is done, the
                # complete list of its matches included, when the next key comes.
                wait_for(lambda: pool.activeThreadCount() == 0)
                typed.update(prefix=box.text() + char, table=None, grouped=None)
                started = time.perf_counter()
                QTest.keyClick(box, char)  # a real key press: textChanged and all
                wait_for(lambda: typed["table"] is not None and typed["grouped"] is not None)
                timings.append({
                    "prefix": typed["prefix"],
                    "table_ms": _ms(typed["table"], started),
                    "grouped_ms": _ms(typed["grouped"], started),
                })
        print(json.dumps({"keystrokes": timings}), flush=True)
    finally:
        window.bridge.detach()
        services.close()
    # Leave without Python's teardown: PySide6 aborts in the garbage collection of this
    # window's objects at interpreter exit (none_dealloc), after the measurement is printed.
    sys.stderr.flush()
    os._exit(0)


def _ms(at: float | None, started: float) -> float:
    return round(((at if at is not None else started + WAIT_S) - started) * 1000, 3)


if __name__ == "__main__":
    sys.exit(main())
