"""`prelude bench gap`: the silence between two tracks of a gapless album, per format.

One continuous 440 Hz tone is cut into two 3-second files (WAV, FLAC, Ogg Vorbis, MP3), so any
silence at the cut is either the files' own (encoder padding) or the player's. The player plays
the pair through real libvlc into a simulated sound card (app/playback/paced_sink.py) that plays
in real time, holds 100 ms like a device buffer and drains at the end of a track as libvlc asks.
Baseline in the same run: each file decoded alone through the same card; its silence at the cut
(the end of the first, the start of the second) is the files' own. Reported per format: the gap
heard at the cut, the files' own share, and what the player adds (medians of a few runs).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
from pathlib import Path

import numpy as np

from app.paths import resolve_profile
from app.playback.paced_sink import PacedSink, longest_silence_s
from app.playback.pcm_analysis import RATE
from app.playback.player_events import QueueFinished, TrackFinished
from app.services import Services

FORMATS = {"wav": ("WAV", None), "flac": ("FLAC", None), "ogg": ("OGG", "VORBIS"),
           "mp3": ("MP3", None)}
PART_SECONDS = 3.0
RUNS = 3
WAIT_S = 60.0


def make_cut_tone(folder: Path, extension: str) -> tuple[Path, Path]:
    """Two files that together are one unbroken tone."""
    import soundfile  # noqa: PLC0415

    from app.library.tags import write_tags  # noqa: PLC0415

    total = int(2 * PART_SECONDS * RATE)
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(total) / RATE)
    stereo = np.stack([tone, tone], axis=1)
    file_format, subtype = FORMATS[extension]
    paths = []
    for part in (1, 2):
        path = folder / f"{extension} part {part}.{extension}"
        samples = stereo[(part - 1) * total // 2: part * total // 2]
        soundfile.write(path, samples, RATE, format=file_format, subtype=subtype)
        if extension != "wav":  # WAV carries no tags here; the title comes from the name
            write_tags(path, title=f"{extension} part {part}", artist="Gap Bench",
                       album=f"Gapless {extension}", tracknumber=str(part))
        paths.append(path)
    return paths[0], paths[1]


def _edge_silence_s(samples: np.ndarray, threshold: float = 0.02) -> tuple[float, float]:
    """(silence before the first loud sample, silence after the last)."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return samples.size / RATE, 0.0
    return loud[0] / RATE, (samples.size - 1 - loud[-1]) / RATE


def _play(services: Services, track_ids: list[int]) -> np.ndarray:
    """Play the tracks in order through a fresh engine and card; what the speaker gave out."""
    from app.playback.vlc_engine import VlcEngine  # noqa: PLC0415

    sink = PacedSink()
    player = services.start_player(VlcEngine(pcm_sink=sink))
    finished = threading.Event()
    endings: list[str] = []

    def on_finished(event: TrackFinished) -> None:
        endings.append(event.end_reason)

    unsubscribe = [services.bus.subscribe(TrackFinished, on_finished),
                   services.bus.subscribe(QueueFinished, lambda event: finished.set())]
    try:
        player.play_tracks(track_ids)
        if not finished.wait(WAIT_S):
            raise RuntimeError("the tracks did not play to the end within a minute")
    finally:
        for stop in unsubscribe:
            stop()
        player.shutdown()
    if endings != ["completed"] * len(track_ids):
        raise RuntimeError(f"the tracks did not all play through: {endings}")
    return sink.timeline()[1]


def _ids_by_title(services: Services) -> dict[str, int]:
    return {track.title: track.id for track in services.tracks.search("")}


def measure_format(services: Services, extension: str, runs: int = RUNS) -> dict:
    ids = _ids_by_title(services)
    first, second = ids[f"{extension} part 1"], ids[f"{extension} part 2"]
    _, own_tail = _edge_silence_s(_play(services, [first]))
    own_head, _ = _edge_silence_s(_play(services, [second]))
    own_ms = (own_tail + own_head) * 1000
    gaps = []
    for _ in range(runs):
        heard = _play(services, [first, second])
        gaps.append(longest_silence_s(heard) * 1000)
    gap_ms = statistics.median(gaps)
    return {"gap_ms": round(gap_ms, 1), "own_silence_ms": round(own_ms, 1),
            "added_ms": round(max(0.0, gap_ms - own_ms), 1),
            "runs_ms": [round(g, 1) for g in gaps]}


def run_gap_bench(progress=None, formats: tuple[str, ...] = tuple(FORMATS),
                  runs: int = RUNS) -> dict:
    say = progress or (lambda message: None)
    workdir = Path(tempfile.mkdtemp(prefix="prelude-bench-gap-"))
    try:
        music = workdir / "music"
        music.mkdir()
        for extension in formats:
            make_cut_tone(music, extension)
        services = Services.open(resolve_profile(workdir / "profile"))
        try:
            services.library.add(music)
            services.library.rescan()
            results = {}
            for extension in formats:
                results[extension] = measure_format(services, extension, runs)
                say(f"  {extension:5s} gap {results[extension]['gap_ms']:6.1f} ms "
                    f"(files' own {results[extension]['own_silence_ms']:.1f} ms)")
        finally:
            services.close()
        added = [result["added_ms"] for result in results.values()]
        return {"formats": results, "median_added_ms": round(statistics.median(added), 1),
                "device_buffer_ms": 100, "runs": runs}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
