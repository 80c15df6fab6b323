"""Test audio: generated with ffmpeg (Debian's), checked with numpy (app/bench/pcm_analysis.py).
Never downloaded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from app.bench.pcm_analysis import audible_seconds, dominant_frequency, pcm_to_mono  # noqa: F401

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


