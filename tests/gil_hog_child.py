"""Run by test_sound_server_output: `prelude play --headless` with a thread in the same process
that holds the GIL ~80 ms at a time (a long C call), as a big JSON parse or sort would."""

from __future__ import annotations

import sys
import threading
import time


def hog(until: float) -> None:
    while time.monotonic() < until:
        sorted(range(2_000_000, 0, -1))  # one C call, GIL held throughout


if __name__ == "__main__":
    threading.Thread(target=hog, args=(time.monotonic() + 60,), daemon=True).start()
    from ui.cli import main

    sys.exit(main(sys.argv[1:]))
