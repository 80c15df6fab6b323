"""Peak resident memory while a block runs, sampled from /proc (Linux) every few milliseconds."""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path

_STATM = Path("/proc/self/statm")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb() -> float:
    try:
        return int(_STATM.read_text().split()[1]) * _PAGE / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class PeakResident:
    """`with PeakResident() as peak: ...` then `peak.mb`: the highest RSS seen inside the block."""

    def __init__(self, interval_s: float = 0.005):
        self.interval_s = interval_s
        self.mb = 0.0
        self._done = threading.Event()

    def __enter__(self):
        self.mb = resident_mb()
        self._thread = threading.Thread(target=self._sample, name="peak-rss", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.mb = max(self.mb, resident_mb())
        return False

    def _sample(self):
        while not self._done.wait(self.interval_s):
            self.mb = max(self.mb, resident_mb())
