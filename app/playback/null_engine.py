"""An engine that plays nothing but keeps time like a real one.

For machines without libvlc and for fast tests of the player logic; it passes the same contract
suite as the VLC engine. A missing file fails as it would for real.
"""

from __future__ import annotations

import os
import threading
import time

from app.playback.engine import Engine, EngineEventKind, EngineState, check_source

DEFAULT_DURATION_MS = 3000


class NullEngine(Engine):
    def __init__(self, speed: float = 1.0) -> None:
        super().__init__()
        self.speed = speed  # >1 makes time pass faster, for quick tests
        self.volume = 100
        self._duration: int | None = None
        self._offset_ms = 0.0  # position when the clock last (re)started
        self._started_at: float | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def load(self, source, start_ms=0, duration_hint_ms=None, continuing=False, fade=None):
        self._cancel_timer()
        self.generation += 1
        check_source(source)
        if "://" not in source and not os.path.isfile(source):
            self._set_state(EngineState.ERROR)
            self._emit(EngineEventKind.ERROR, f"File not found: {source}")
            return
        self._duration = duration_hint_ms or DEFAULT_DURATION_MS
        self._emit(EngineEventKind.DURATION, self._duration)
        self._offset_ms = float(min(start_ms, self._duration))
        self._start_clock()
        self._set_state(EngineState.PLAYING)
        self._emit(EngineEventKind.FIRST_AUDIO)
        self._emit(EngineEventKind.POSITION, int(self._offset_ms))

    def _start_clock(self) -> None:
        self._started_at = time.monotonic()
        remaining_s = max(0.0, (self._duration - self._offset_ms) / 1000 / self.speed)
        generation = self.generation
        self._timer = threading.Timer(remaining_s, self._on_end, args=(generation,))
        self._timer.daemon = True
        self._timer.start()

    def _on_end(self, generation: int) -> None:
        with self._lock:
            if generation != self.generation or self.state != EngineState.PLAYING:
                return
            self._offset_ms = float(self._duration or 0)
            self._started_at = None
        self._emit(EngineEventKind.ENDED, generation=generation)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def pause(self):
        if self.state == EngineState.PLAYING:
            self._offset_ms = float(self.position_ms())
            self._started_at = None
            self._cancel_timer()
            self._set_state(EngineState.PAUSED)

    def resume(self):
        if self.state == EngineState.PAUSED:
            self._start_clock()
            self._set_state(EngineState.PLAYING)

    def stop(self):
        self._cancel_timer()
        self.generation += 1
        self._started_at = None
        self._offset_ms = 0.0
        if self.state not in (EngineState.EMPTY, EngineState.IDLE):
            self._set_state(EngineState.IDLE)

    def seek(self, position_ms):
        if self._duration is None:
            return
        playing = self.state == EngineState.PLAYING
        self._cancel_timer()
        self._offset_ms = float(max(0, min(position_ms, self._duration)))
        if playing:
            self._start_clock()
        self._emit(EngineEventKind.POSITION, int(self._offset_ms))

    def set_volume(self, volume):
        self.volume = max(0, min(100, int(volume)))

    def position_ms(self):
        if self._started_at is None:
            return int(self._offset_ms)
        elapsed = (time.monotonic() - self._started_at) * 1000 * self.speed
        return int(min(self._offset_ms + elapsed, self._duration or 0))

    def duration_ms(self):
        return self._duration
