"""Measures one launch of the window (or of an empty PySide6 window, the baseline).

Run by `prelude bench library` as a fresh process each time. Prints one JSON line when the window
has painted the library table's first rows, and a second when the table holds every track; then
exits.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _say(**values) -> None:
    print(json.dumps(values), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir")
    parser.add_argument("--empty", action="store_true")
    parser.add_argument("--expect-tracks", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not args.empty:
        # First, as `prelude` does: PySide6 reads the source of every module imported after it
        # (to look for its `__feature__` switches), which the app's core does not pay.
        from ui.main import create_app  # noqa: PLC0415

    from PySide6.QtCore import QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: PLC0415

    if args.empty:
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.resize(1200, 760)
        window.show()
        QTimer.singleShot(0, lambda: (_say(event="shown", rss_mb=_rss_mb()), app.quit()))
        return app.exec()

    args.audio_output = "none"
    app, window, services = create_app(args)
    # Shown is when a person sees the library: the table painted with its first rows.
    said_shown = []

    def shown() -> None:
        said_shown.append(True)
        _say(event="shown", rss_mb=_rss_mb())

    window.after_first_rows(shown)
    started = time.monotonic()

    def check_filled() -> None:  # "filled" only after "shown": the table may fill first
        if said_shown and window.library_model.rowCount() >= args.expect_tracks:
            _say(event="filled", rss_mb=_rss_mb())
            app.quit()
        elif time.monotonic() - started > 60:
            _say(event="timeout", rss_mb=_rss_mb())
            app.quit()

    poll = QTimer(interval=5, timeout=check_filled)
    poll.start()
    try:
        return app.exec()
    finally:
        window.bridge.detach()
        services.close()


if __name__ == "__main__":
    sys.exit(main())
