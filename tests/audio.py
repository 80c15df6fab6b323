"""Test audio: generated with ffmpeg (Debian's), checked with numpy (app/bench/pcm_analysis.py).
Never downloaded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np

from app.bench.pcm_analysis import audible_seconds, dominant_frequency, pcm_to_mono  # noqa: F401
from app.bench.sound_server import PrivatePulse

CODECS = {
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "128k"],
    ".ogg": ["-c:a", "libvorbis"],
    ".opus": ["-c:a", "libopus", "-b:a", "96k"],
    ".flac": ["-c:a", "flac"],
    ".m4a": ["-c:a", "aac", "-b:a", "128k"],
    ".wav": ["-c:a", "pcm_s16le"],
}


def require_ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise RuntimeError("ffmpeg is missing: run 'bash .ci/setup --dev'")
    return path


def make_tone(path: Path, frequency: float = 440.0, seconds: float = 1.5,
              **tags: str | int) -> Path:
    """A sine tone file whose format follows the extension, with the given tags."""
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata: list[str] = []
    for key, value in tags.items():
        metadata += ["-metadata", f"{key}={value}"]
    subprocess.run(
        [require_ffmpeg(), "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency={frequency}:duration={seconds}:sample_rate=44100",
         "-ac", "2", *CODECS[path.suffix], *metadata, str(path)],
        check=True,
    )
    return path




def heard_playing(tmp_path: Path, data: Path, query: str) -> np.ndarray:
    """`prelude play QUERY --headless` through the default output to a private PulseAudio:
    every frame its sink played, float64 int16-scaled, shape (frames, 2)."""
    from tests.cli import PRELUDE  # noqa: PLC0415

    pulse = PrivatePulse(tmp_path / "pulse")
    try:
        played = subprocess.run([PRELUDE, "play", query, "--headless"], env=pulse.env(data),
                                capture_output=True, text=True, timeout=120)
        assert played.returncode == 0, played.stderr
        return pulse.captured_stereo().astype(np.float64)
    finally:
        pulse.close()
