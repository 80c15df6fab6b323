"""A sound card simulated in software for the gapless output: it takes a period of audio every
period of real time, as a device does, and keeps everything it played.

Used by the tests and `prelude bench gap`, where no sound device exists. What it keeps is what a
listener would have heard, silence from underruns included, sample for sample.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from app.playback.pcm_ring import FRAME_BYTES, RATE


class SimulatedCard:
    lead_s = 0.0  # it holds nothing: what it takes, it has played

    def __init__(self, period_s: float = 0.01):
        self.period_frames = int(period_s * RATE)
        self.device = None
        self._played: list[bytes] = []
        self._thread: threading.Thread | None = None
        self._running = threading.Event()
        self._lock = threading.Condition()

    @staticmethod
    def outputs() -> list[tuple[str, str]]:
        return []  # one card, nothing to choose

    def start(self, source) -> None:
        """source: the PcmRing it plays from."""
        if self.running:
            return
        fill = source.fill
        self._running.set()
        self._thread = threading.Thread(target=self._run, args=(fill,), name="simulated-card",
                                        daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self, fill) -> None:
        period_s = self.period_frames / RATE
        due = time.monotonic()
        while self._running.is_set():
            buffer = bytearray(self.period_frames * FRAME_BYTES)
            fill(buffer)
            with self._lock:
                self._played.append(bytes(buffer))
                self._lock.notify_all()
            due += period_s
            time.sleep(max(0.0, due - time.monotonic()))

    # It holds nothing: what it takes, it has played.
    def wake(self) -> None:
        pass

    def discard(self) -> None:
        pass

    def hand_back(self) -> list:
        return []

    def held_frames(self) -> int:
        return 0

    def drain(self, timeout: float) -> None:
        pass  # what it took, it has played

    def regain(self) -> None:
        pass

    def stop(self) -> None:
        self._running.clear()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    close = stop

    def played(self) -> bytes:
        with self._lock:
            return b"".join(self._played)

    def played_s(self) -> float:
        with self._lock:
            return len(self._played) * self.period_frames / RATE

    def wait_until_played(self, seconds: float, timeout: float) -> bool:
        """True once the card has played `seconds` in all (sound or silence)."""
        with self._lock:
            return self._lock.wait_for(
                lambda: len(self._played) * self.period_frames >= seconds * RATE, timeout)

    def played_mono(self) -> np.ndarray:
        from app.bench.pcm_analysis import pcm_to_mono  # noqa: PLC0415

        return pcm_to_mono(self.played())
