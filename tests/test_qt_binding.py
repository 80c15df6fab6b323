"""The Qt binding itself, where a bug of one release would take the whole window down.

PySide6 6.12.0 under Python 3.11 gave back None from every call that returns nothing without
counting the reference: each call took one from None, and after a few thousand painter calls
(one screenful of song rows with covers) the interpreter aborted ("deallocating None"). The
pinned release must not: a long session paints millions of times."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QLabel

CALLS = 20_000  # about five times None's whole count at start-up under Python 3.11


def test_calls_that_return_nothing_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    image = QImage(64, 64, QImage.Format_ARGB32)
    painter = QPainter(image)
    rect = QRect(0, 0, 8, 8)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        painter.save()
        painter.restore()
        label.setText("a song")
        rect.setTop(1)
    painter.end()
    assert sys.getrefcount(None) >= before - 100  # a few taken by whatever else ran meanwhile
