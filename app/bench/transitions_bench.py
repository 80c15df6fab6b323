"""`prelude bench transitions`: loudness levelling as it is heard. Tracks made at -30 to -8
LUFS in five formats (half with ReplayGain / R128 tags, half measured here by the background
analyser) are played with levelling on, through Prelude's default output, to a private
PulseAudio whose sink is listened to; each track's loudness is measured there.

Keys: `loudness_spread_lu` (highest minus lowest track loudness at the sink), `max_true_peak_dbtp`
(at the sink, over all of them), `analysed_per_s` (tracks the analyser measured per second),
with `analysed_x_realtime`, `levels_heard_lufs` and `target_lufs` beside them; and
`trim_error_ms`: with silence trimming on, a track of 2 s of music and 3 s of silence then
another: the silence heard between their music (it should be none). Crossfades
(app/bench/crossfade_analysis.py): two steady tones of different albums with a 3 s and an 8 s
crossfade (smart transitions off, as a steady tone "stops dead"): `crossfade_error_ms`, the
largest difference between the overlap heard and the setting, or between where the fade ended
and the first track's end; `crossfade_level_dev_db`, the largest step of the summed level
through the fades; and `gap_ms`, the longest silence inside an album cut in two and played in
order with an 8 s crossfade set (it is played gaplessly).
"""

from __future__ import annotations

import math
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from app.loudness.gain import REFERENCE_LUFS, gain_for_loudness

LEVELS_LUFS = [-30 + 22 * n / 9 for n in range(10)]  # -30 ... -8
FORMATS = {"mp3": ("MP3", "MPEG_LAYER_III", 44100), "ogg": ("OGG", "VORBIS", 44100),
           "opus": ("OGG", "OPUS", 48000), "flac": ("FLAC", "PCM_16", 44100),
           "wav": ("WAV", "PCM_16", 44100)}
TRACK_S = 8.0
EDGE_S = 0.5  # left out at each end of a track heard (a format's padding, the level settling)
RATE = 44100


def _music(rate: int, seconds: float, seed: int) -> np.ndarray:
    """Something with a musician's crest factor: a chord with a slow swell, stereo."""
    t = np.arange(int(rate * seconds)) / rate
    rng = np.random.default_rng(seed)
    roots = rng.uniform(110, 330)
    chord = sum(np.sin(2 * np.pi * roots * ratio * t + phase)
                for ratio, phase in ((1.0, 0.0), (1.25, 1.0), (1.5, 2.0)))
    swell = 0.6 + 0.4 * np.sin(2 * np.pi * 0.25 * t)
    left = chord * swell
    right = np.roll(left, rate // 100)
    return np.stack([left, right], axis=1)


def _write_tracks(folder: Path) -> list[dict]:
    import soundfile  # noqa: PLC0415

    from app.library.tags import write_tags  # noqa: PLC0415
    from app.loudness.measure import integrated_lufs, true_peak  # noqa: PLC0415

    made = []
    for number, level in enumerate(LEVELS_LUFS, start=1):
        extension = list(FORMATS)[(number - 1) % len(FORMATS)]
        file_format, subtype, rate = FORMATS[extension]
        samples = _music(rate, TRACK_S, number)
        samples *= 10 ** ((level - integrated_lufs(samples, rate)) / 20)
        path = folder / f"{number:02d} Level {number}.{extension}"
        soundfile.write(path, samples, rate, format=file_format, subtype=subtype)
        tags = {"title": f"Level {number}", "artist": "Bench", "album": "Levels",
                "tracknumber": str(number)}
        tagged = number % 2 == 0 and extension != "wav"  # as a tagger (loudgain) would write
        if tagged:
            gain = gain_for_loudness(level)
            if extension == "opus":  # R128: Q7.8 dB against -23 LUFS
                tags["R128_TRACK_GAIN"] = str(round((gain - 5) * 256))
            else:
                tags["replaygain_track_gain"] = f"{gain:.2f} dB"
                tags["replaygain_track_peak"] = f"{true_peak(samples, rate):.6f}"
        if extension != "wav":
            write_tags(path, **tags)
        made.append({"path": path, "lufs": level, "tagged": tagged})
    return made


TRIM_MUSIC_S, TRIM_SILENCE_S = 2.0, 3.0


def _write_trim_tracks(folder: Path) -> None:
    """An album of two: music then 3 s of digital silence; music from its first sample."""
    import soundfile  # noqa: PLC0415

    from app.library.tags import write_tags  # noqa: PLC0415

    for number in (1, 2):
        music = _music(RATE, TRIM_MUSIC_S, 100 + number) * 0.1
        if number == 1:
            music = np.concatenate([music, np.zeros((int(TRIM_SILENCE_S * RATE), 2))])
        path = folder / f"Trim {number}.flac"
        soundfile.write(path, music, RATE, format="FLAC", subtype="PCM_16")
        write_tags(path, title=f"Trim {number}", artist="Bench", album="Trim",
                   tracknumber=str(number))


def _silence_between_ms(heard: np.ndarray) -> float:
    """The longest silence between the first and the last sound heard."""
    loud = np.abs(heard).max(axis=1) > 1e-3
    sounding = np.flatnonzero(loud)
    if sounding.size < 2:
        raise RuntimeError("nothing reached the sound server")
    steps = np.diff(sounding)
    return float((steps.max() - 1) * 1000 / RATE)


def _analyse(services, say) -> tuple[float, int]:
    """Run the background analyser over the library: (seconds it took, tracks measured)."""
    from app.loudness.analyser import LoudnessMeasured  # noqa: PLC0415

    counted = []
    services.bus.subscribe(LoudnessMeasured, lambda event: counted.append(event.tracks))
    started = time.perf_counter()
    analyser = services.loudness
    analyser.poke()
    if not analyser.idle.wait(600):
        raise RuntimeError("the loudness analyser did not finish within 10 minutes")
    took = time.perf_counter() - started
    say(f"  measured {sum(counted)} tracks in {took:.2f} s")
    return took, sum(counted)


def _play_and_listen(services, pulse, ids: list[int], seconds: float = 0) -> np.ndarray:
    from app.playback.events import QueueFinished  # noqa: PLC0415
    from app.playback.output_choice import open_vlc_engine  # noqa: PLC0415

    engine = open_vlc_engine()
    if not engine.uses_gapless_output:
        raise RuntimeError("Prelude's own output found no sound device through PortAudio "
                           "(is PortAudio's ALSA pulse plugin installed: libasound2-plugins?)")
    finished = threading.Event()
    services.bus.subscribe(QueueFinished, lambda event: finished.set())
    player = services.start_player(engine)
    player.set_volume(100)
    heard_from = pulse.frames_so_far()
    player.play_tracks(ids)
    if not finished.wait((seconds or len(ids) * TRACK_S) + 60):
        raise RuntimeError("the tracks did not finish playing")
    pulse.wait_for_frames(pulse.frames_so_far() + RATE)  # the tail, through the sink
    player.shutdown()
    return pulse.captured_stereo()[heard_from:].astype(np.float64) / 32768.0


CROSSFADES_S = (3, 8)
FADE_TRACK_S = 12.0


def _crossfades(workdir: Path, pulse, say) -> dict:
    """The crossfade keys, each fade played in a profile of its own."""
    from app.bench.crossfade_analysis import heard_fade, write_fade_pair  # noqa: PLC0415
    from app.bench.gap_bench import make_cut_tone  # noqa: PLC0415
    from app.bench.pcm_analysis import longest_silence_s  # noqa: PLC0415
    from app.paths import resolve_profile  # noqa: PLC0415
    from app.services import Services  # noqa: PLC0415
    from app.settings import CROSSFADE_S, SMART_TRANSITIONS  # noqa: PLC0415

    errors, deviations, heard_fades = [], [], {}
    for seconds in (*CROSSFADES_S, 0):
        music = workdir / f"fade{seconds}"
        music.mkdir()
        if seconds:
            write_fade_pair(music, FADE_TRACK_S, f"Fade {seconds}")
        else:
            make_cut_tone(music, "flac")
        with Services.open(resolve_profile(workdir / f"fading{seconds}")) as services:
            services.library.add(music)
            services.library.rescan()
            services.settings.write(CROSSFADE_S, seconds or max(CROSSFADES_S))
            services.settings.write(SMART_TRANSITIONS, False)
            ids = [t.id for t in sorted(services.tracks.search(""), key=lambda t: t.location)]
            heard = _play_and_listen(services, pulse, ids, len(ids) * FADE_TRACK_S)
        if not seconds:
            mono = heard.mean(axis=1)
            loud = np.flatnonzero(np.abs(mono) > 0.02)
            gap_ms = longest_silence_s(mono[loud[0]: loud[-1] + 1]) * 1000
            say(f"  album cut in two, crossfade on: longest silence {gap_ms:.2f} ms")
            continue
        fade = heard_fade(heard)
        heard_fades[seconds] = fade
        errors += [abs(fade.overlap_ms - seconds * 1000), abs(fade.outgoing_ms
                                                              - FADE_TRACK_S * 1000)]
        deviations.append(fade.level_dev_db)
        say(f"  {seconds} s crossfade: heard together {fade.overlap_ms:.1f} ms, the first "
            f"heard {fade.outgoing_ms:.1f} ms of {FADE_TRACK_S * 1000:.0f}, summed level "
            f"within {fade.level_dev_db:.2f} dB")
    return {"crossfade_error_ms": round(max(errors), 1),
            "crossfade_level_dev_db": round(max(deviations), 2),
            "gap_ms": round(gap_ms, 2),
            "crossfades_heard_ms": {str(s): f.overlap_ms for s, f in heard_fades.items()}}


def run_transitions_bench(progress: Callable[[str], None] | None = None) -> dict:
    from app.bench.sound_server import PrivatePulse  # noqa: PLC0415
    from app.loudness.measure import integrated_lufs, true_peak  # noqa: PLC0415
    from app.paths import resolve_profile  # noqa: PLC0415
    from app.services import Services  # noqa: PLC0415
    from app.settings import REPLAY_GAIN, TRIM_SILENCE  # noqa: PLC0415

    say = progress or (lambda message: None)
    workdir = Path(tempfile.mkdtemp(prefix="prelude-bench-transitions-"))
    pulse = None
    try:
        music = workdir / "music"
        music.mkdir()
        say(f"Making {len(LEVELS_LUFS)} tracks at -30 to -8 LUFS in {len(FORMATS)} formats…")
        made = _write_tracks(music)
        trim = workdir / "trim"
        trim.mkdir()
        _write_trim_tracks(trim)
        pulse = PrivatePulse(workdir / "pulse")
        pulse.use_in_this_process()
        with Services.open(resolve_profile(workdir / "profile")) as services:
            services.library.add(music)
            services.library.rescan()
            say("Measuring the untagged ones in the background analyser…")
            took, measured = _analyse(services, say)
            services.settings.write(REPLAY_GAIN, "track")
            say("Playing them, levelled, to a private PulseAudio and listening at its sink…")
            levelled = [t.id for t in sorted(services.tracks.search(""), key=lambda t: t.location)]
            heard = _play_and_listen(services, pulse, levelled)
        with Services.open(resolve_profile(workdir / "trimming")) as services:
            services.library.add(trim)
            services.library.rescan()
            _analyse(services, say)
            services.settings.write(TRIM_SILENCE, True)
            say("Playing a track with 3 s of silence at its end, then another, trimming on…")
            trimmed = [t.id for t in sorted(services.tracks.search(""), key=lambda t: t.location)]
            trim_error_ms = _silence_between_ms(_play_and_listen(services, pulse, trimmed))
            say(f"  silence heard between their music: {trim_error_ms:.1f} ms")
        say("Crossfades of 3 and 8 s, and an album played in order with crossfade on…")
        fades = _crossfades(workdir, pulse, say)
        loud = np.flatnonzero(np.abs(heard).max(axis=1) > 1e-3)
        if loud.size == 0:
            raise RuntimeError("nothing reached the sound server")
        heard = heard[loud[0]:]
        levels = []
        for number in range(len(made)):
            first = int((number * TRACK_S + EDGE_S) * RATE)
            levels.append(integrated_lufs(heard[first: first + int((TRACK_S - 2 * EDGE_S)
                                                                    * RATE)], RATE))
        peak = true_peak(heard, RATE)
        for item, level in zip(made, levels, strict=True):
            say(f"  {item['path'].name:22s} made {item['lufs']:6.1f} LUFS, heard "
                f"{level:6.1f} LUFS ({'tags' if item['tagged'] else 'measured'})")
        return {
            "loudness_spread_lu": round(max(levels) - min(levels), 2),
            "max_true_peak_dbtp": round(20 * math.log10(peak), 2),
            "analysed_per_s": round(measured / took, 2),
            "analysed_x_realtime": round(measured * TRACK_S / took, 1),
            "trim_error_ms": round(trim_error_ms, 1),
            **fades,
            "levels_heard_lufs": [round(level, 2) for level in levels],
            "target_lufs": REFERENCE_LUFS,
            "tracks": len(made),
        }
    finally:
        if pulse is not None:
            pulse.close()
        shutil.rmtree(workdir, ignore_errors=True)
