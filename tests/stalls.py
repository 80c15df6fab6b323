"""Measuring how long the Qt event loop went without running (the longest gap between ticks)."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class StallMeter:
    """Ticks every 5 ms on the GUI thread while started; `longest` is the worst gap in seconds."""

    def __init__(self, interval_ms: int = 5):
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer(interval=interval_ms, timeout=self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def longest(self) -> float:
        return max(self.gaps, default=0.0)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now
