"""Render the SVG application icon to the PNG sizes desktops and installers ask for.

    .venv/bin/python packaging/render_icons.py

Writes resources/icons/hicolor/NxN/apps/org.prelude.Player.png for every size in SIZES.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons" / "hicolor"
NAME = "org.prelude.Player"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - Qt needs one
    renderer = QSvgRenderer(str(ICONS / "scalable" / "apps" / f"{NAME}.svg"))
    if not renderer.isValid():
        print("render_icons: the SVG icon does not load", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format_ARGB32)
        image.fill(Qt.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = ICONS / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target)):
            print(f"render_icons: could not write {target}", file=sys.stderr)
            return 1
    print(f"render_icons: {len(SIZES)} sizes written under {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
