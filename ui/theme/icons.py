"""Icons from one open set, Phosphor (2.1.1, MIT: resources/icons/phosphor/LICENSE, taken
from npm's @phosphor-icons/core), drawn from their SVG in the theme's colours at whatever size
and pixel ratio they are shown (crisp on HiDPI), and drawn again when the theme changes.
Names here are by use, so a page asks for "next", not for a file."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.paths import resource_file

FILES = {
    "play": "play-fill", "pause": "pause-fill", "next": "skip-forward-fill",
    "previous": "skip-back-fill", "shuffle": "shuffle", "repeat": "repeat",
    "repeat-one": "repeat-once", "volume": "speaker-high", "muted": "speaker-x",
    "like": "heart", "liked": "heart-fill", "home": "house", "songs": "music-notes",
    "artists": "microphone-stage", "albums": "disc", "genres": "tag", "playlists": "playlist",
    "smart": "sparkle",
    "favourites": "heart", "folders": "folder", "statistics": "chart-bar",
    "back": "arrow-left", "forward": "arrow-right", "queue": "queue", "expand": "corners-out",
    "mini": "picture-in-picture", "note": "music-note", "scroll-left": "caret-left",
    "scroll-right": "caret-right",
}


@cache
def _folder():
    return resource_file("icons", "phosphor")


@cache
def _renderer(name: str, colour: str) -> QSvgRenderer:
    """One parse per glyph and colour, shared by every icon drawn with them."""
    svg = (_folder() / f"{FILES[name]}.svg").read_bytes()
    return QSvgRenderer(QByteArray(svg.replace(b"currentColor", colour.encode())))


class _SvgIcon(QIconEngine):
    """One glyph: its colour when shown normally, and when hovered or selected."""

    def __init__(self, name: str, colour: str, active: str):
        super().__init__()
        self.name, self.colour, self.active = name, colour, active

    def _renderer(self, mode) -> QSvgRenderer:
        return _renderer(self.name, self.active if mode in (QIcon.Active, QIcon.Selected) else self.colour)

    def paint(self, painter, rect, mode, state) -> None:
        self._renderer(mode).render(painter, QRectF(rect))

    def pixmap(self, size, mode, state) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size, mode, state, scale) -> QPixmap:  # noqa: N802 - Qt naming
        pixmap = QPixmap(size * scale)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        self._renderer(mode).render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _SvgIcon(self.name, self.colour, self.active)


def icon(name: str, colour: str, active: str | None = None) -> QIcon:
    """The named icon in `colour` (and `active` where the control is hovered or selected)."""
    return QIcon(_SvgIcon(name, colour, active or colour))

