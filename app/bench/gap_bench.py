"""`prelude bench gap`: the silence between two tracks of a gapless album, per format.

One continuous 440 Hz tone is cut into two 3-second files (WAV, FLAC, Ogg Vorbis, MP3), so any
silence at the cut is either the files' own (encoder padding) or the player's. The player plays
the pair through real libvlc, two ways:
- `gapless`: Prelude's own output (app/playback/gapless_output.py), the default, on a simulated
  card that takes a period of audio every period of real time (app/bench/simulated_card.py);
- `vlc_output`, the baseline: libvlc's own output path, on a simulated card that plays in real
  time, holds 100 ms like a device buffer and drains at the end of a track as libvlc asks
  (app/bench/paced_sink.py).
Each file decoded alone through the same card gives the files' own silence at the cut (the end
of the first, the start of the second). Reported per format and output: the gap heard at the
cut, the files' own share, and what the player adds (medians of a few runs).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
from pathlib import Path

import numpy as np

from app.bench.paced_sink import PacedSink
from app.bench.pcm_analysis import RATE, longest_silence_s
from app.paths import resolve_profile
from app.playback.events import QueueFinished, TrackFinished
from app.playback.gapless_output import RUNWAY_S
from app.services import Services

FORMATS = {"wav": ("WAV", None), "flac": ("FLAC", None), "ogg": ("OGG", "VORBIS"),
           "mp3": ("MP3", None)}
PART_SECONDS = 3.0
RUNS = 3
OUTPUTS = ("gapless", "vlc_output")  # Prelude's own output, and libvlc's as the baseline
WAIT_S = 60.0


def make_cut_tone(folder: Path, extension: str, part_seconds: float = PART_SECONDS
                  ) -> tuple[Path, Path]:
    """Two files that together are one unbroken tone."""
    import soundfile  # noqa: PLC0415

    from app.library.tags import write_tags  # noqa: PLC0415

    total = int(2 * part_seconds * RATE)
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


def _play(services: Services, track_ids: list[int], output: str) -> np.ndarray:
    """Play the tracks in order through a fresh engine and card; what the speaker gave out."""
    from app.bench.simulated_card import SimulatedCard  # noqa: PLC0415
    from app.playback.gapless_output import GaplessOutput  # noqa: PLC0415
    from app.playback.vlc_engine import VlcEngine  # noqa: PLC0415

    if output == "gapless":
        card = SimulatedCard()
        engine = VlcEngine(gapless=GaplessOutput(card))
    else:
        sink = PacedSink()
        engine = VlcEngine(pcm_sink=sink)
    player = services.start_player(engine)
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
        player.shutdown()  # the gapless engine lets the last track's tail play out first
    if endings != ["completed"] * len(track_ids):
        raise RuntimeError(f"the tracks did not all play through: {endings}")
    return card.played_mono() if output == "gapless" else sink.timeline()[1]


def _ids_by_title(services: Services) -> dict[str, int]:
    return {track.title: track.id for track in services.tracks.search("")}


def decode_alone(path: Path) -> np.ndarray:
    """A file as libvlc decodes it, timing aside: mono samples, the file's own silences kept."""
    from app.bench.pcm_analysis import pcm_to_mono  # noqa: PLC0415
    from app.playback.decode import decode_to_pcm  # noqa: PLC0415

    return pcm_to_mono(decode_to_pcm(path))


def own_silence_ms(first: Path, second: Path) -> float:
    """The files' own silence at the cut: the end of the first, the start of the second."""
    _, tail = _edge_silence_s(decode_alone(first))
    head, _ = _edge_silence_s(decode_alone(second))
    return (tail + head) * 1000


def measure_format(services: Services, extension: str, output: str, own_ms: float,
                   runs: int = RUNS) -> dict:
    ids = _ids_by_title(services)
    pair = [ids[f"{extension} part 1"], ids[f"{extension} part 2"]]
    gaps = [longest_silence_s(_play(services, pair, output)) * 1000 for _ in range(runs)]
    gap_ms = statistics.median(gaps)
    return {"gap_ms": round(gap_ms, 1), "added_ms": round(max(0.0, gap_ms - own_ms), 1),
            "runs_ms": [round(g, 1) for g in gaps]}


def run_gap_bench(progress=None, formats: tuple[str, ...] = tuple(FORMATS),
                  runs: int = RUNS) -> dict:
    say = progress or (lambda message: None)
    workdir = Path(tempfile.mkdtemp(prefix="prelude-bench-gap-"))
    try:
        music = workdir / "music"
        music.mkdir()
        own = {extension: own_silence_ms(*make_cut_tone(music, extension))
               for extension in formats}
        services = Services.open(resolve_profile(workdir / "profile"))
        try:
            services.library.add(music)
            services.library.rescan()
            results: dict[str, dict] = {}
            for extension in formats:
                results[extension] = {"own_silence_ms": round(own[extension], 1)}
                for output in OUTPUTS:
                    results[extension][output] = measure_format(services, extension, output,
                                                                own[extension], runs)
                say(f"  {extension:5s} gap " + ", ".join(
                    f"{output} {results[extension][output]['gap_ms']:.1f} ms"
                    for output in OUTPUTS) + f" (files' own {own[extension]:.1f} ms)")
        finally:
            services.close()
        summary = {}
        for output in OUTPUTS:
            added = [result[output]["added_ms"] for result in results.values()]
            summary[output] = round(statistics.median(added), 1)
        return {"formats": results, "median_added_ms": summary, "runs": runs,
                "gapless_ahead_ms": int(RUNWAY_S * 1000), "vlc_output_device_buffer_ms": 100}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
