"""A whole file decoded through libvlc into memory, timing aside: S16 stereo bytes at 44.1 kHz.
For measuring loudness of what soundfile cannot read (AAC), the self-test, the benchmarks, and
the tests, which check what libvlc makes of a file on its own."""

from __future__ import annotations

import threading
from pathlib import Path

from app.errors import PlaybackError


def decode_to_pcm(path: Path, equalizer=None, track_gain: float = 1.0,
                  timeout_s: float = 60) -> bytes:
    from app.playback.engine import EngineEventKind  # noqa: PLC0415
    from app.playback.vlc_engine import VlcEngine  # noqa: PLC0415

    chunks: list[bytes] = []
    ended = threading.Event()
    errors: list[str] = []

    def on_event(event) -> None:
        if event.kind == EngineEventKind.ERROR:
            errors.append(str(event.value))
        if event.kind in (EngineEventKind.ENDED, EngineEventKind.ERROR):
            ended.set()

    engine = VlcEngine(pcm_sink=chunks.append)
    engine.set_listener(on_event)
    try:
        engine.set_equalizer(equalizer)
        engine.set_track_gain(str(path), track_gain)
        engine.load(str(path))
        if not ended.wait(timeout_s):
            raise PlaybackError(f"{Path(path).name} did not decode within {timeout_s:.0f} s")
    finally:
        engine.close()
    if errors:
        raise PlaybackError(f"{Path(path).name}: {errors[0]}")
    return b"".join(chunks)
