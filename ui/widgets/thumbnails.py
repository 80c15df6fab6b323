"""Small covers for rows (the queue, recommendations, search results): read and scaled in a
worker the first time a row asks, kept in a bounded cache, and the rows repainted when they
arrive. A row whose cover is not read yet shows a quiet placeholder, never a wait."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from ui.widgets.cover_images import doubled_pixmap, read_covers
from ui.workers import run_task

KEEP = 600  # covers kept (a few screens of rows)


class Thumbnails(QObject):
    arrived = Signal()  # some covers were read: repaint the rows that asked

    def __init__(self, size_px: int, parent=None):
        super().__init__(parent)
        self.size_px = size_px
        self._cache: OrderedDict[str, QPixmap | None] = OrderedDict()
        self._wanted: set[str] = set()
        self._reading = False

    def get(self, path: str) -> QPixmap | None:
        """The cover if read (None while it is being read, or where it cannot be)."""
        if path in self._cache:
            self._cache.move_to_end(path)
            return self._cache[path]
        self._wanted.add(path)
        self._read_next()
        return None

    def _read_next(self) -> None:
        if self._reading or not self._wanted:
            return
        paths, self._wanted = sorted(self._wanted), set()
        self._reading = True

        def done(images: dict[str, QImage]) -> None:
            self._reading = False
            for path in paths:
                image = images.get(path)
                # a file that cannot be read is not asked again
                self._cache[path] = doubled_pixmap(image) if image is not None else None
            while len(self._cache) > KEEP:
                self._cache.popitem(last=False)
            self.arrived.emit()
            self._read_next()

        def failed(_error) -> None:
            self._reading = False
            for path in paths:
                self._cache[path] = None

        run_task(lambda: read_covers({path: path for path in paths}, self.size_px), on_done=done,
                 on_error=failed, owner=self)


_shared: list[Thumbnails] = []


def shared_thumbnails(size_px: int) -> Thumbnails:
    """One cache for every list of rows (the same covers recur in the queue and search)."""
    if not _shared:
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415

        _shared.append(Thumbnails(size_px, QApplication.instance()))
    return _shared[0]
