"""Writing decoded PCM to a WAV file, off libvlc's audio thread."""

from __future__ import annotations

import queue
import threading
import wave
from pathlib import Path

from app.playback.vlc_engine import PCM_CHANNELS, PCM_RATE


class WavSink:
    """Call it with PCM bytes from any thread; a writer thread appends them to the file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._file = wave.open(str(self.path), "wb")
        self._file.setnchannels(PCM_CHANNELS)
        self._file.setsampwidth(2)
        self._file.setframerate(PCM_RATE)
        self._chunks: queue.Queue[bytes | None] = queue.Queue()
        self._thread = threading.Thread(target=self._write_loop, name="wav-writer", daemon=True)
        self._thread.start()

    def __call__(self, pcm: bytes) -> None:
        self._chunks.put(pcm)  # never blocks libvlc's thread on disk

    def _write_loop(self) -> None:
        while (chunk := self._chunks.get()) is not None:
            self._file.writeframesraw(chunk)

    def close(self) -> None:
        self._chunks.put(None)
        self._thread.join()
        self._file.close()
