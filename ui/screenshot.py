"""Renders the README screenshot: the real window over the demo library, a track playing.

    .venv/bin/python -m ui.screenshot resources/screenshots/main-window.png

Runs offscreen (or under Xvfb when DISPLAY is set), in a temporary profile.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "resources/screenshots/main-window.png")
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer  # noqa: PLC0415

    from ui.main import create_app  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="prelude-shot-") as data_dir:
        args = type("Args", (), {"data_dir": data_dir, "audio_output": "none"})()
        app, window, services = create_app(args, play_query="blue note", play_limit=None)
        window.resize(1200, 720)
        window.table.selectRow(9)

        def shoot() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(target))
            print(f"wrote {target}")
            app.quit()

        def wait_for_playback() -> None:
            if services.player.position_ms >= 3000:
                shoot()
            else:
                QTimer.singleShot(100, wait_for_playback)

        QTimer.singleShot(100, wait_for_playback)
        QTimer.singleShot(60_000, app.quit)  # never hang
        app.exec()
        window.bridge.detach()
        services.close()
    return 0 if target.exists() else 1


if __name__ == "__main__":
    sys.exit(main())
