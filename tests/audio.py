"""Test audio: generated with ffmpeg (Debian's), checked with numpy. Never downloaded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np

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


def pcm_to_mono(pcm: bytes) -> np.ndarray:
    """S16 interleaved stereo bytes -> float mono samples."""
    samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
    return samples.reshape(-1, 2).mean(axis=1) / 32768.0


def dominant_frequency(samples: np.ndarray, rate: int = 44100) -> float:
    windowed = samples * np.hanning(samples.size)
    spectrum = np.abs(np.fft.rfft(windowed))
    spectrum[:5] = 0  # ignore DC
    return float(np.fft.rfftfreq(samples.size, 1 / rate)[int(np.argmax(spectrum))])


def audible_seconds(samples: np.ndarray, rate: int = 44100, threshold: float = 0.05) -> float:
    """Length of the part that is not silence (VLC may pad the ends)."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    return 0.0 if loud.size == 0 else (loud[-1] - loud[0] + 1) / rate
