"""When a widget has painted: the benchmarks time up to what a person sees, not to the moment
the data was handed to the widget."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class PaintWatch(QObject):
    """Calls back once the widget has finished its next paint (a view: pass its viewport)."""

    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.widget = widget
        self._callback: Callable[[], None] | None = None
        widget.installEventFilter(self)

    def after_next_paint(self, callback: Callable[[], None]) -> None:
        self._callback = callback

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            QTimer.singleShot(0, callback)  # runs once this paint is done and on screen
        return False
