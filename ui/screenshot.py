"""Renders the screenshots of each main view: the real window over the demo library, with a
generated listening history so that For You and Statistics have something to show.

    .venv/bin/python -m ui.screenshot resources/screenshots
    xvfb-run -a .venv/bin/python -m ui.screenshot resources/screenshots   # under Xvfb

Writes main-window.png, queue-shuffle.png, for-you.png, albums.png, artists.png, statistics.png
and home.png, in a temporary profile (offscreen when there is no DISPLAY).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

SHOTS = ("main-window", "queue-shuffle", "for-you", "albums", "artists", "statistics", "home")


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "resources/screenshots")
    if folder.suffix == ".png":  # the old form: a file for the main window
        folder = folder.parent
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer  # noqa: PLC0415

    from ui.main import create_app  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="prelude-shot-") as data_dir:
        args = type("Args", (), {"data_dir": data_dir, "audio_output": "none"})()
        app, window, services = create_app(args, play_query="blue note", play_limit=None)
        window.resize(1280, 760)
        folder.mkdir(parents=True, exist_ok=True)
        written: list[str] = []

        def save(name: str) -> None:
            window.grab().save(str(folder / f"{name}.png"))
            written.append(name)
            print(f"wrote {folder / name}.png")

        def when(ready, then, tries: int = 600) -> None:
            """Run `then` once `ready()` holds (a script, so a 100 ms poll is fine here)."""
            if ready():
                then()
            elif tries:
                QTimer.singleShot(100, lambda: when(ready, then, tries - 1))
            else:
                app.quit()

        def library_ready() -> None:
            _listening_history(services)
            services.training.train()
            when(lambda: services.training.done.is_set() and services.player.position_ms >= 3000,
                 shoot_main)

        def shoot_main() -> None:
            window.table.selectRow(9)
            save("main-window")
            services.player.set_shuffle(True)
            window.side_tabs.setCurrentWidget(window.queue_view)
            when(lambda: window.transport.shuffle_button.isChecked(), shoot_queue)

        def shoot_queue() -> None:
            save("queue-shuffle")  # the queue in the order it plays
            services.player.set_shuffle(False)
            window.side_tabs.setCurrentWidget(window.for_you)
            when(lambda: window.for_you.list.count() > 1 and "played" in window.for_you.list.item(0).text(),
                 lambda: (save("for-you"), window.side_tabs.setCurrentIndex(0), page("Albums", "albums")))

        def page(title: str, name: str) -> None:
            titles = [window.nav.item(r).text() for r in range(window.nav.count())]
            window.nav.setCurrentRow(titles.index(title))
            view = window.pages.currentWidget()
            following = {"albums": ("Artists", "artists"), "artists": ("Statistics", "statistics"),
                         "statistics": ("Home", "home")}
            if name == "statistics":
                loaded = lambda: bool(view.hours.bars)  # noqa: E731
            elif name == "home":
                loaded = lambda: view.recent.count() > 0 and view.for_you.count() > 0  # noqa: E731
            else:
                loaded = lambda: view.groups_list.count() > 0 and view.model.rowCount() > 0  # noqa: E731

            def shoot() -> None:
                save(name)
                if name in following:
                    page(*following[name])
                else:
                    app.quit()

            when(loaded, lambda: QTimer.singleShot(300, shoot))  # covers load after the groups

        when(lambda: services.tracks.count() >= 40, library_ready)
        QTimer.singleShot(120_000, app.quit)  # never hang
        app.exec()
        window.bridge.detach()
        services.close()
    return 0 if written == list(SHOTS) else 1


def _listening_history(services) -> None:
    """Twelve weeks of plausible listening on the demo library: two favourite artists."""
    rng = random.Random(5)
    rows = services.db.query("SELECT id, title, artist, duration_ms FROM tracks")
    favourites = [r for r in rows if r["artist"] in ("The Blue Note Trio", "Aurora Drift")]
    clock = time.time() - 84 * 86400
    plays = []
    while clock < time.time() - 86400:
        for _ in range(rng.randint(3, 12)):
            track = rng.choice(favourites if rng.random() < 0.75 else rows)
            skipped = rng.random() < 0.15
            played = 4000 if skipped else track["duration_ms"]
            plays.append((track["id"], track["title"], track["artist"], clock, clock + played / 1000,
                          played, "skipped" if skipped else "completed"))
            clock += played / 1000
        clock += rng.uniform(8, 40) * 3600
    with services.db.transaction() as conn:
        conn.executemany("INSERT INTO play_events (track_id, title, artist, started_at, ended_at, "
                         "ms_played, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?)", plays)


if __name__ == "__main__":
    sys.exit(main())
