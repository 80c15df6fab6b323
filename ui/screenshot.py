"""Renders the screenshots of each main view: the real window over the demo library, with a
generated listening history so that For You and Statistics have something to show.

    .venv/bin/python -m ui.screenshot DIR                  # every theme and size below
    .venv/bin/python -m ui.screenshot DIR --theme dark --size 1024x700 [--scale 2]

Each file is named VIEW-THEME[-WxH][@2x].png (the size is left out at 1440x900, the README's
gallery): the views in SHOTS, in that order. Renders in
a temporary profile, offscreen when there is no DISPLAY; each theme, size and scale runs in
its own process (a scale is fixed when Qt starts).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SHOTS = ("home-first-run", "main-window", "queue-shuffle", "for-you", "search", "albums", "album",
         "artists", "playlists", "smart-playlists", "smart-editor", "statistics", "home",
         "now-playing", "mini-player", "settings")
GALLERY_SIZE = "1440x900"
EVERY = [(theme, size, scale) for theme in ("light", "dark")
         for size, scale in ((GALLERY_SIZE, 1), ("1024x700", 1), (GALLERY_SIZE, 2))]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshot")
    parser.add_argument("folder", nargs="?", default="resources/screenshots")
    parser.add_argument("--theme", choices=("light", "dark"))
    parser.add_argument("--size", default=GALLERY_SIZE)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    folder = Path(args.folder)
    if args.theme is None:  # every combination, each in a process of its own
        failed = 0
        for theme, size, scale in EVERY:
            failed += subprocess.call([sys.executable, "-m", "ui.screenshot", str(folder),
                                       "--theme", theme, "--size", size, "--scale", str(scale)]) != 0
        return 1 if failed else 0
    return shoot(folder, args.theme, args.size, args.scale)


def file_name(view: str, theme: str, size: str, scale: int) -> str:
    return (f"{view}-{theme}" + ("" if size == GALLERY_SIZE else f"-{size}")
            + ("@2x" if scale == 2 else "") + ".png")


def shoot(folder: Path, theme: str, size: str, scale: int) -> int:
    if scale != 1:
        os.environ["QT_SCALE_FACTOR"] = str(scale)
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QWidget  # noqa: PLC0415

    from app.bench.demo_history import demo_listening_history  # noqa: PLC0415
    from ui.main import create_app  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="prelude-shot-") as data_dir:
        args = type("Args", (), {"data_dir": data_dir, "audio_output": "none"})()
        from ui.theme import apply_theme  # noqa: PLC0415

        app, window, services = create_app(args, play_query="blue note", play_limit=None)
        apply_theme(theme)
        width, height = (int(part) for part in size.split("x"))
        window.resize(width, height)
        folder.mkdir(parents=True, exist_ok=True)
        written: list[str] = []

        def when_ready(ready, then, tries: int = 600) -> None:
            if ready():
                then()
            elif tries:
                QTimer.singleShot(100, lambda: when_ready(ready, then, tries - 1))

        def save(name: str, widget=None) -> None:
            path = folder / file_name(name, theme, size, scale)
            (widget or window).grab().save(str(path))
            written.append(name)
            print(f"wrote {path}")

        def go(title: str) -> QWidget:
            titles = [window.nav.item(r).text() for r in range(window.nav.count())]
            window.nav.setCurrentRow(titles.index(title))
            return window.pages.currentWidget()

        def covers_in(row) -> bool:
            from ui.widgets.card_row import COVER_IMAGE  # noqa: PLC0415

            return row.count() > 0 and all(row.item(r).data(COVER_IMAGE) is not None
                                           for r in range(row.count()) if row.isVisible())

        def browse_loaded() -> bool:
            view = window.pages.currentWidget()
            return view.groups_list.count() > 0 and view.model.rowCount() > 0

        def with_history() -> None:
            demo_listening_history(services.db)
            services.training.train()
            # a playlist across four albums, for the playlists page and its mosaic
            ids = [track.id for track in services.tracks.search("")]
            services.writeback().create_playlist("Late Night Mix", ids[::3])
            go("Songs")

        def page_ready() -> bool:
            """The page shown has its songs and its artwork."""
            view = window.pages.currentWidget()
            return view.model.rowCount() > 0 and view.header.art.pixmap() is not None \
                and not view.header.art.pixmap().isNull()

        def open_album() -> None:
            view = window.pages.currentWidget()
            view.groups_list.setCurrentRow(2)
            view.open_selected()

        settings = {}

        def open_settings() -> None:
            settings["dialog"] = window.open_settings()

        def open_smart_editor() -> None:
            from app.library.smart_rules import smart_playlist  # noqa: PLC0415
            from ui.dialogs.smart_playlist_dialog import SmartPlaylistDialog  # noqa: PLC0415

            example = smart_playlist("Short jazz", ["genre is Jazz", "duration at_most 5m",
                                                       "added in_last 90d"], sort="added desc")
            settings["smart"] = SmartPlaylistDialog(services, example, parent=window)
            settings["smart"].show()

        # (file, what to do, when it is ready to be shot): in this order, one after the other
        steps = [
            ("home-first-run", lambda: go("Home"),
             lambda: covers_in(window.pages.currentWidget().added)
             and window.pages.currentWidget().hero.cover_shown),
            (None, with_history,
             lambda: services.training.done.is_set() and services.player.position_ms >= 3000),
            ("main-window", lambda: window.table.selectRow(9), lambda: True),
            ("queue-shuffle", lambda: services.player.set_shuffle(True),
             lambda: window.transport.shuffle_button.isChecked()),
            ("for-you", lambda: (services.player.set_shuffle(False),
                                 window.side_tabs.setCurrentWidget(window.for_you)),
             lambda: window.for_you.list.count() > 1 and "played" in window.for_you.list.item(0).text()),
            ("search", lambda: (window.side_tabs.setCurrentIndex(0), window.search_box.setText("blue")),
             lambda: window.search_results.isVisible() and window.search_results.count() > 0),
            ("albums", lambda: (window.search_box.clear(), go("Albums")), browse_loaded),
            ("album", open_album, page_ready),
            ("artists", lambda: (window.go_back(), go("Artists")), browse_loaded),
            ("playlists", lambda: go("Playlists"), page_ready),
            ("smart-playlists", lambda: go("Smart Playlists"), page_ready),
            ("smart-editor", open_smart_editor,
             lambda: "match now" in settings["smart"].verdict.text()),
            ("statistics", lambda: go("Statistics"), lambda: bool(window.pages.currentWidget().hours.bars)),
            ("home", lambda: go("Home"), lambda: covers_in(window.pages.currentWidget().recent)
             and window.pages.currentWidget().for_you.count() > 0
             and window.pages.currentWidget().hero.cover_shown),
            ("now-playing", lambda: window.show_now_playing(),
             lambda: not window.surfaces.view.cover.image.isNull()),
            ("mini-player", lambda: (window.go_back(), window.surfaces.toggle_mini()),
             lambda: window.surfaces.mini.isVisible() and window.surfaces.mini.progress.value() > 0),
            ("settings", lambda: (window.surfaces.toggle_mini(), open_settings()),
             lambda: settings["dialog"].isVisible()),
        ]

        def run(index: int, tries: int = 600) -> None:
            """Each step once the last is shot; ready polled every 100 ms (a script)."""
            if index == len(steps):
                app.quit()
                return
            name, _act, ready = steps[index]
            if not ready():
                if tries:
                    QTimer.singleShot(100, lambda: run(index, tries - 1))
                else:
                    print(f"gave up waiting for {name}", file=sys.stderr)
                    app.quit()
                return

            def shoot() -> None:
                if name == "settings":
                    save(name, settings["dialog"])
                    settings["dialog"].reject()
                elif name == "smart-editor":
                    save(name, settings["smart"])
                    settings["smart"].reject()
                elif name == "mini-player":
                    save(name, window.surfaces.mini)
                elif name is not None:
                    save(name)
                if index + 1 < len(steps):
                    steps[index + 1][1]()
                run(index + 1)

            QTimer.singleShot(300, shoot)  # a last paint (covers fill in after their rows)

        def start() -> None:
            steps[0][1]()
            run(0)

        when_ready(lambda: services.tracks.count() >= 40, start)
        QTimer.singleShot(120_000, app.quit)  # never hang
        app.exec()
        window.bridge.detach()
        services.close()
    return 0 if written == list(SHOTS) else 1


if __name__ == "__main__":
    sys.exit(main())
