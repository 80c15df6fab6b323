"""Measuring loudness on this machine: EBU R128 integrated loudness and true peak, by
libebur128 (pyebur128), of one track or of an album as a whole (its tracks' loudness gated
together, as ReplayGain's album gain asks). Files are decoded with soundfile (libsndfile:
FLAC, Ogg Vorbis and Opus, MP3, WAV), and through libvlc what it cannot read (AAC)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyebur128
import soundfile

from app.errors import PlaybackError
from app.loudness.gain import gain_for_loudness
from app.loudness.track_ends import LevelEnvelope
from app.models import Loudness

BLOCK_FRAMES = 1 << 16
_MODE = (pyebur128.MeasurementMode.MODE_I | pyebur128.MeasurementMode.MODE_TRUE_PEAK
         | pyebur128.MeasurementMode.MODE_HISTOGRAM)  # histogram: memory stays flat
SILENT_LUFS = -70.0  # below this R128's absolute gate leaves nothing: no gain worth stating
SILENCE = 10 ** (-60 / 20)  # quieter than -60 dBFS counts as silence at a track's ends


class Unmeasurable(Exception):
    """The file could not be decoded for measuring (said in words)."""


def measure_album(paths: list[Path]) -> list[Loudness | Unmeasurable]:
    """Each track's loudness, with the album's gain and peak over the tracks measured."""
    measured: list[tuple | Unmeasurable] = []
    for path in paths:
        try:
            measured.append(_measure(path))
        except Unmeasurable as why:
            measured.append(why)
    states = [m for m in measured if not isinstance(m, Unmeasurable)]
    album_gain = album_peak = None
    if states:
        album_lufs = pyebur128.get_loudness_global_multiple([m[0] for m in states])
        if album_lufs > SILENT_LUFS:
            album_gain = round(gain_for_loudness(album_lufs), 2)
        album_peak = max(m[1] for m in states)
    results: list[Loudness | Unmeasurable] = []
    for item in measured:
        if isinstance(item, Unmeasurable):
            results.append(item)
            continue
        state, peak, start_ms, end_ms, (end_kind, fade_out_ms) = item
        lufs = pyebur128.get_loudness_global(state)
        gain = round(gain_for_loudness(lufs), 2) if lufs > SILENT_LUFS else 0.0
        results.append(Loudness(gain, round(peak, 6), album_gain, album_peak, "measured",
                                start_ms, end_ms, end_kind, fade_out_ms))
    return results


def _measure(path: Path) -> tuple:
    """The file's R128 state, its true peak, where its music starts and ends (ms), and how
    it ends ((end kind, fade-out ms), app/loudness/track_ends.py)."""
    state, rate, frames = None, 44100, 0
    first_loud = last_loud = None
    envelope = LevelEnvelope()
    for block, rate in _decoded_blocks(path):
        if state is None:
            state = pyebur128.R128State(block.shape[1], rate, _MODE)
        state.add_frames(np.ascontiguousarray(block).ravel(), block.shape[0])
        envelope.add(block, rate)
        loud = np.flatnonzero(np.abs(block).max(axis=1) > SILENCE)
        if loud.size:
            first_loud = frames + int(loud[0]) if first_loud is None else first_loud
            last_loud = frames + int(loud[-1]) + 1
        frames += block.shape[0]
    if state is None:
        raise Unmeasurable(f"{path.name}: no audio in it")
    peak = max(pyebur128.get_true_peak(state, channel) for channel in range(state.channels))
    start_ms = first_loud * 1000 // rate if first_loud is not None else 0
    end_ms = -(-last_loud * 1000 // rate) if last_loud is not None else frames * 1000 // rate
    return state, float(peak), start_ms, end_ms, envelope.ending(end_ms)


def _decoded_blocks(path: Path) -> Iterator[tuple[np.ndarray, int]]:
    """(frames x channels float64, sample rate) blocks of the whole file."""
    try:
        with soundfile.SoundFile(path) as audio:
            rate = audio.samplerate
            for block in audio.blocks(BLOCK_FRAMES, dtype="float64", always_2d=True):
                yield block, rate
        return
    except (soundfile.LibsndfileError, RuntimeError, TypeError):
        pass  # not a format libsndfile reads (AAC): libvlc decodes it below
    except OSError as error:
        raise Unmeasurable(f"{path.name} could not be read ({error.strerror or error})") from error
    from app.playback.decode import decode_to_pcm  # noqa: PLC0415 - only for what soundfile cannot read

    try:
        pcm = decode_to_pcm(path)
    except PlaybackError as error:
        raise Unmeasurable(str(error)) from error
    samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float64).reshape(-1, 2) / 32768.0
    for start in range(0, samples.shape[0], BLOCK_FRAMES):
        yield samples[start:start + BLOCK_FRAMES], 44100


def integrated_lufs(samples: np.ndarray, rate: int) -> float:
    """EBU R128 integrated loudness of float samples in [-1, 1], shape (frames, channels)."""
    state = pyebur128.R128State(samples.shape[1], rate, pyebur128.MeasurementMode.MODE_I)
    state.add_frames(np.ascontiguousarray(samples, dtype=np.float64).ravel(), samples.shape[0])
    return pyebur128.get_loudness_global(state)


def true_peak(samples: np.ndarray, rate: int) -> float:
    """The highest true peak (linear) of float samples in [-1, 1], shape (frames, channels)."""
    state = pyebur128.R128State(samples.shape[1], rate, pyebur128.MeasurementMode.MODE_TRUE_PEAK)
    state.add_frames(np.ascontiguousarray(samples, dtype=np.float64).ravel(), samples.shape[0])
    return max(pyebur128.get_true_peak(state, channel) for channel in range(samples.shape[1]))
