"""Run as its own process by app/bench/sound_server.py: reads what a PulseAudio pipe sink plays
and writes it to a file, with the time each read returned beside it.

Its own process so that a thread holding the player's GIL cannot delay the timestamps. The
times file holds pairs of float64: (time.monotonic() when a read returned, bytes read so far).
"""

from __future__ import annotations

import struct
import sys
import time


def main(fifo: str, audio_path: str, times_path: str) -> None:
    total = 0
    with open(fifo, "rb", buffering=0) as source, open(audio_path, "wb", buffering=0) as audio, \
            open(times_path, "wb", buffering=0) as times:
        while chunk := source.read(65536):
            now = time.monotonic()
            total += len(chunk)
            audio.write(chunk)
            times.write(struct.pack("<dd", now, float(total)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
