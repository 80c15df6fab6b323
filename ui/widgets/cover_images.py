"""Covers turned into what the window paints: read and scaled in a worker, and made into
pixmaps for the pixel ratio they are shown at. Shared by cards, rows and the now-playing
surfaces."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPixmap

from ui.theme.tokens import COVER_RADIUS


def read_covers(paths: dict, px: int) -> dict:
    """In a worker (QImage is safe off the GUI thread; QPixmap is not): key -> the cover at
    `path`, scaled to fill a square twice `px` wide so a HiDPI screen gets a sharp one. A file
    that cannot be read is left out."""
    images = {}
    for key, path in paths.items():
        image = QImage(path)
        if not image.isNull():
            images[key] = image.scaled(px * 2, px * 2, Qt.KeepAspectRatioByExpanding,
                                       Qt.SmoothTransformation)
    return images


def colour_wash(image: QImage) -> QImage:
    """A cover's colours and nothing else: a tiny copy, which, drawn scaled up smoothly, is a
    blur for nothing (behind now playing, Home's banner)."""
    return image.scaled(12, 12, Qt.IgnoreAspectRatio, Qt.SmoothTransformation)


def washed_card_painter(widget) -> tuple[QPainter, QRectF]:
    """A smooth painter on `widget`, clipped to its rounded rectangle, and that rectangle: where
    a cover's wash is drawn (Home's banner, a page's header)."""
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setRenderHint(QPainter.SmoothPixmapTransform)
    area = QRectF(widget.rect())
    clip = QPainterPath()
    clip.addRoundedRect(area, COVER_RADIUS * 2, COVER_RADIUS * 2)
    painter.setClipPath(clip)
    return painter, area


def doubled_pixmap(image: QImage) -> QPixmap:
    """A cover read by read_covers, as a pixmap painted at half its pixel size."""
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(2)
    return pixmap


def fitted_pixmap(image: QImage, px: int, ratio: float) -> QPixmap:
    """A cover filling a `px` square on a screen of this pixel ratio."""
    side = int(px * ratio)
    pixmap = QPixmap.fromImage(image.scaled(side, side, Qt.KeepAspectRatioByExpanding,
                                            Qt.SmoothTransformation))
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def mosaic(images: list[QImage], px: int) -> QImage:
    """Four covers in a `px` square, two by two (a playlist's or a genre's artwork). Safe in a
    worker: it paints on a QImage."""
    half = px // 2
    canvas = QImage(px, px, QImage.Format_ARGB32_Premultiplied)
    canvas.fill(Qt.transparent)
    painter = QPainter(canvas)
    painter.setRenderHint(QPainter.SmoothPixmapTransform)
    for n, image in enumerate(images[:4]):
        side = min(image.width(), image.height())  # the middle square of a cover not square
        middle = QRect((image.width() - side) // 2, (image.height() - side) // 2, side, side)
        painter.drawImage(QRect((n % 2) * half, (n // 2) * half, half, half), image, middle)
    painter.end()
    return canvas
