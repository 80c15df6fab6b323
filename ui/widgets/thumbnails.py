"""Small covers for rows (song tables, the queue, recommendations, search results): read and
scaled in a worker the first time a row asks, kept in a bounded cache, and the rows repainted
when they arrive. A row whose cover is not read yet shows a quiet placeholder, never a wait.

A cover is asked for by key (ui/models/cover_keys.py): a local image's path, or a server's
cover, fetched once through the server cover cache by the window's resolver. Reads run on a
pool of their own, so a slow server holds up only the thumbnails, never a search or a page."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QObject, QRect, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QPainterPath, QPixmap

from ui.theme.icons import icon
from ui.theme.tokens import COVER_RADIUS
from ui.widgets.cover_images import doubled_pixmap, read_covers
from ui.workers import run_task

KEEP = 600  # covers kept per size (a few screens of rows)


def _local_only(key) -> str | None:
    return key if isinstance(key, str) else None


class Thumbnails(QObject):
    arrived = Signal()  # some covers were read: repaint the rows that asked

    def __init__(self, size_px: int, parent=None):
        super().__init__(parent)
        self.size_px = size_px
        self._cache: OrderedDict[object, QPixmap | None] = OrderedDict()
        self._wanted: set = set()
        self._reading = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def forget(self) -> None:
        self._cache.clear()
        self._wanted.clear()

    def get(self, key) -> QPixmap | None:
        """The cover if read (None while it is being read, or where there is none)."""
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        self._wanted.add(key)
        self._read_next()
        return None

    def _read_next(self) -> None:
        if self._reading or not self._wanted:
            return
        keys, self._wanted = list(self._wanted), set()
        self._reading = True
        resolve, size_px = _resolver[0], self.size_px

        def read() -> dict:
            paths = {}
            for key in keys:
                try:
                    paths[key] = resolve(key)
                except Exception:  # noqa: BLE001 - a cover that cannot be had is a placeholder
                    paths[key] = None
            return read_covers({key: path for key, path in paths.items() if path}, size_px)

        def done(images: dict) -> None:
            self._reading = False
            for key in keys:
                image = images.get(key)
                # a cover that cannot be read is not asked again (until it leaves the cache)
                self._cache[key] = doubled_pixmap(image) if image is not None else None
            while len(self._cache) > KEEP:
                self._cache.popitem(last=False)
            self.arrived.emit()
            self._read_next()

        def failed(_error) -> None:
            self._reading = False
            for key in keys:
                self._cache[key] = None
            self._read_next()  # what rows asked for meanwhile

        run_task(read, on_done=done, on_error=failed, pool=self._pool, owner=self)


_shared: dict[int, Thumbnails] = {}
_resolver: list[Callable[[object], str | None]] = [_local_only]


def shared_thumbnails(size_px: int) -> Thumbnails:
    """One cache per size for every list of rows (the same covers recur in the queue, the
    tables and search)."""
    if size_px not in _shared:
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415

        _shared[size_px] = Thumbnails(size_px, QApplication.instance())
    return _shared[size_px]


def resolve_covers_with(resolve: Callable[[object], str | None]) -> None:
    """How a key becomes an image file (in a worker: it may fetch from a server). The window
    sets it once; until then only local paths are read. Covers read through an earlier one
    (another profile's servers) are forgotten."""
    _resolver[0] = resolve
    for thumbnails in _shared.values():
        thumbnails.forget()


def paint_thumbnail(painter, rect: QRect, pixmap: QPixmap | None, c, lit: bool,
                    round_: bool = False) -> None:
    """A row's cover in its rounded square (a circle for an artist), or a note on a quiet
    square in its place."""
    radius = rect.width() / 2 if round_ else COVER_RADIUS / 1.5
    if pixmap is not None:
        clip = QPainterPath()
        clip.addRoundedRect(rect, radius, radius)
        painter.save()
        painter.setClipPath(clip)
        painter.drawPixmap(rect, pixmap)
        painter.restore()
        return
    painter.save()
    painter.setPen(Qt.NoPen)
    painter.setBrush(QColor(c.border if lit else c.raised))
    painter.drawRoundedRect(rect, radius, radius)
    side = rect.width() // 2
    note = _note(side, c.muted, painter.device().devicePixelRatioF())
    painter.drawPixmap(rect.left() + side // 2, rect.top() + side // 2, note)
    painter.restore()


@cache
def _note(side: int, colour: str, ratio: float) -> QPixmap:
    """The placeholder's glyph, drawn from its SVG once per size, colour and pixel ratio (not
    on every row's paint: a table of 100,000 songs without covers paints it on every row)."""
    return icon("note", colour).pixmap(QSize(side, side), ratio)
