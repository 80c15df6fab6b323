"""`prelude bench playback`: how fast music starts, with prefetch and without, in one run.

A real OpenSubsonic server (supysonic, from the development dependencies) on loopback serves 16
generated 30-second MP3s (about 290 KB each), behind an emulated link (round-trip delay and a
bandwidth cap). The same listening script runs twice in fresh profiles, prefetch on and off:

  1. start the queue (cold: nothing can be ready)
  2. skip after a few seconds, twice
  3. play through to the end (a seek to 1.5 s before the end, then the track ends by itself)
  4. jump two tracks ahead within the queue
  5. turn shuffle on, then skip twice
  6. edit the queue mid-track (a track put next), then skip to it
  7. three random jumps (unpredictable), then one more skip

Then a skip-heavy script measures the skip predictor, prefetch on in both runs, predictor on and
off. This listener skipped tracks 3 and 5 of a 6-track queue within seconds, four times each,
and played the others through. The script listens to track 1 for 20 s (time enough to fill the
window), then moves on quickly: 2 s on track 2, 1 s on track 3 (a skip), 2 s on track 4, 1 s on
track 5 (a skip), then track 6. Reported: the same latency figures, and the bytes the link
carried for the two usually skipped tracks and in all.

Both modes play through Prelude's default output into a private PulseAudio whose sink keeps
every sample with the time it was played (app/bench/sound_server.py), as a listener would hear
them. Each transition is timed twice, from the command (a play-through: from the track's load):
- heard: to the new track's first sample at the sink (`heard_p50_ms`, `heard_p95_ms`), and
  `dropouts` counts the breaks heard inside the tracks (silence, or audio skipped or repeated,
  where the file has none; app/bench/heard.py), from each track's start to the next command;
- decoded (the older figures, kept for comparison): to the first decoded audio buffer
  (`p50_ms`...); a stall there is a gap of over 200 ms between decoded buffers in one track.
A transition is a hit when its first audio came from the cache; steps 1 and 7's jumps are not
predictable, the rest are.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.bench import heard
from app.bench.link import EmulatedLink
from app.bench.sound_server import PrivatePulse
from app.bench.stats import connect_server, percentile
from app.catalog.client import SubsonicClient
from app.models import RepeatMode
from app.paths import resolve_profile
from app.playback.events import AudioStarted
from app.services import Services
from app.settings import PREFETCH_ENABLED, SKIP_PREDICTOR
from app.store.history import add_past_plays

TRACKS = 16
TRACK_SECONDS = 30
LISTEN_S = 4.0  # how long the script listens between commands
BEFORE_NEXT_S = 0.1  # breaks are looked for up to this long before the next command
SKIP_SCRIPT_LISTEN_S = (20.0, 2.0, 1.0, 2.0, 1.0)  # seconds on queue positions 1-5, then 6 plays
SKIPPED_POSITIONS = (2, 4)  # queue positions this listener always skips
SKIP_ALBUM, SKIP_TRACK_SECONDS = "Skip Album", 120  # long enough that a beginning is not the whole
STALL_S = 0.2
RATE = heard.RATE


@dataclass(frozen=True)
class Step:
    action: str
    predictable: bool


SCRIPT = (
    Step("start", False), Step("skip", True), Step("skip", True), Step("play_through", True),
    Step("jump_ahead", True), Step("shuffle_skip", True), Step("shuffle_skip", True),
    Step("insert_and_skip", True), Step("random", False), Step("random", False),
    Step("random", False), Step("skip", True),
)


def make_tracks(folder: Path, count: int = TRACKS, seconds: int = TRACK_SECONDS,
                album: str = "Bench Album") -> None:
    """MP3s with real tags (soundfile writes them, mutagen tags them)."""
    import numpy as np  # noqa: PLC0415
    import soundfile  # noqa: PLC0415

    from app.library.demo import ARTISTS, synthesize  # noqa: PLC0415
    from app.library.tags import write_tags  # noqa: PLC0415

    rng = np.random.default_rng(7)
    for number in range(count):
        artist = ARTISTS[number % len(ARTISTS)]
        melody = np.tile(synthesize(artist, 100 + number, seconds=10), seconds // 10 + 1)[: seconds * 22050]
        # Noise under the melody: a realistic bitrate, and every moment of a track unlike any
        # other, so the sink's audio can be told apart (app/bench/heard.py).
        noise = rng.standard_normal(melody.size).astype(np.float32) * 0.06
        path = folder / artist.name / album / f"{number + 1:02d} {album} Track {number}.mp3"
        path.parent.mkdir(parents=True, exist_ok=True)
        soundfile.write(path, np.stack([melody + noise, melody - noise], axis=1), 22050,
                        format="MP3", bitrate_mode="CONSTANT", compression_level=0.5)
        write_tags(path, title=f"{album} Track {number}", artist=artist.name,
                   album=album, tracknumber=str(number + 1))


def run_mode(link_url: str, user: str, password: str, prefetch: bool, workdir: Path,
             say: Callable[[str], None], steps: tuple[Step, ...] = SCRIPT,
             pulse: PrivatePulse | None = None, references: References | None = None) -> dict:
    from app.playback.output_choice import open_vlc_engine  # noqa: PLC0415

    services = Services.open(resolve_profile(workdir / ("on" if prefetch else "off")))
    try:
        services.settings.write(PREFETCH_ENABLED, prefetch)
        connect_server(services, link_url, user, password)
        ids = _script_tracks(services, "Bench Album", TRACKS)
        say("  decoding what the sink should play…")
        references.prepare([services.tracks.get(track_id) for track_id in ids])
        engine = open_vlc_engine()
        if not engine.uses_gapless_output:
            raise RuntimeError("Prelude's default output found no sound device through PortAudio")
        engine.record_decoding()  # when each decoded block reached the output
        player = services.start_player(engine)
        player.set_volume(100)
        player.set_repeat(RepeatMode.ALL)  # short or few tracks on a real server: never run out
        started: list[tuple[float, AudioStarted]] = []
        arrived = threading.Condition()

        def on_audio(event: AudioStarted) -> None:
            with arrived:
                started.append((time.monotonic(), event))
                arrived.notify_all()

        services.bus.subscribe(AudioStarted, on_audio)
        rng = random.Random(11)
        results: list[dict] = []
        boundaries: list[float] = []

        def expect(track_id: int | None, since: int) -> tuple[float, AudioStarted]:
            with arrived:
                ok = arrived.wait_for(lambda: any(
                    track_id is None or e.track.id == track_id for _, e in started[since:]), 60)
                if not ok:
                    raise RuntimeError(f"no audio for track {track_id} within 60 s")
                return next((t, e) for t, e in started[since:]
                            if track_id is None or e.track.id == track_id)

        def upcoming(auto: bool) -> int:
            return player.call(lambda: player.queue.track_ids[player.queue.next_index(auto)])

        for number, step in enumerate(steps):
            since = len(started)
            t0 = time.monotonic()
            boundaries.append(t0)
            if step.action == "start":
                player.play_tracks(ids[:12])
                target = ids[0]
            elif step.action in ("skip", "shuffle_skip"):
                if step.action == "shuffle_skip" and not player.call(lambda: player.queue.shuffle):
                    player.set_shuffle(True)
                    time.sleep(LISTEN_S / 2)  # listening while the new order is planned
                    since, t0 = len(started), time.monotonic()
                    boundaries.append(t0)
                target = upcoming(auto=False)
                player.next()
            elif step.action == "jump_ahead":
                index = player.call(lambda: player.queue.current_index) + 2
                target = player.call(lambda i=index: player.queue.track_ids[i])
                player.play_index(index)
            elif step.action == "insert_and_skip":
                player.insert_next([ids[14]])
                time.sleep(LISTEN_S)  # mid-track: the edit, then listening on
                since, t0 = len(started), time.monotonic()
                boundaries.append(t0)
                target = ids[14]
                player.next()
            elif step.action == "random":
                size = player.call(lambda: len(player.queue))
                index = rng.randrange(size)
                target = player.call(lambda i=index: player.queue.track_ids[i])
                player.play_index(index)
            else:  # play_through: near the end, then the track ends by itself
                duration = player.call(lambda: player.duration_ms or TRACK_SECONDS * 1000)
                target = upcoming(auto=True)
                player.seek(duration - 1500)
                since = len(started)
            when, event = expect(target, since)
            generation = player.call(lambda: player.engine.generation)
            commanded = t0
            if step.action == "play_through":  # timed from the next track's load
                t0 = (event.at or when) - event.startup_ms / 1000
            # From the command to the first decoded buffer of the new load.
            first_decoded = engine.decoding_record()[1].get(generation, event.at or when)
            # A track that follows on its own is started by the audio process before the
            # player's load adopts it: decoded ahead of time, it waited for nothing.
            latency_ms = max(0.0, (first_decoded - t0) * 1000)
            results.append({"step": number + 1, "action": step.action,
                            "predictable": step.predictable, "ms": round(latency_ms, 1),
                            "source": event.audio_source, "track": target, "t0": t0,
                            "commanded": commanded,
                            "hit": event.audio_source in ("cache", "partial_cache")})
            say(f"  {'on ' if prefetch else 'off'} {number + 1:2d} {step.action:16s} "
                f"{latency_ms:8.1f} ms decoded  {event.audio_source}")
            time.sleep(LISTEN_S)  # the script's listening time
        ended = time.monotonic()
        player.stop()
        stalls = _stalls(engine.decoding_record()[0], boundaries + [t for t, _ in started])
        heard_ms, dropouts = _heard(results, ended, pulse, references, services, say)
        for result in results:
            del result["t0"], result["track"], result["commanded"]
        summary = _summary(results, stalls)
        summary["heard_p50_ms"] = round(statistics.median(heard_ms), 1)
        summary["heard_p95_ms"] = round(percentile(heard_ms, 0.95), 1)
        summary["dropouts"] = dropouts
        return summary
    finally:
        services.close()


def run_skip_mode(link_url: str, user: str, password: str, predictor: bool, workdir: Path,
                  say: Callable[[str], None]) -> dict:
    """The skip-heavy script (module docstring), with the skip predictor on or off."""
    from app.playback.vlc_engine import VlcEngine  # noqa: PLC0415

    services = Services.open(resolve_profile(workdir / f"skips-{'on' if predictor else 'off'}"))
    try:
        services.settings.write(SKIP_PREDICTOR, predictor)
        connect_server(services, link_url, user, password)
        ids = _script_tracks(services, SKIP_ALBUM, len(SKIP_SCRIPT_LISTEN_S) + 1)
        skipped = {ids[n] for n in SKIPPED_POSITIONS if n < len(ids)}
        _seed_skip_history(services, ids, skipped)
        player = services.start_player(VlcEngine(pcm_sink=lambda pcm: None))
        arrived = threading.Condition()
        started: list[AudioStarted] = []

        def on_audio(event: AudioStarted) -> None:
            with arrived:
                started.append(event)
                arrived.notify_all()

        services.bus.subscribe(AudioStarted, on_audio)
        results = []
        t0 = time.monotonic()
        player.play_tracks(ids)
        for number, target in enumerate(ids):
            with arrived:
                if not arrived.wait_for(lambda t=target: any(e.track.id == t for e in started), 60):
                    raise RuntimeError(f"no audio for track {target} within 60 s")
                event = next(e for e in started if e.track.id == target)
            latency_ms = ((event.at or time.monotonic()) - t0) * 1000
            results.append({"step": number + 1, "action": "start" if number == 0 else "skip",
                            "predictable": number > 0, "ms": round(latency_ms, 1),
                            "source": event.audio_source,
                            "hit": event.audio_source in ("cache", "partial_cache")})
            say(f"  skips, predictor {'on ' if predictor else 'off'} {number + 1:2d} "
                f"{latency_ms:8.1f} ms  {event.audio_source}")
            if number + 1 < len(ids):
                time.sleep(SKIP_SCRIPT_LISTEN_S[number])  # the script's listening
                t0 = time.monotonic()
                player.next()
        player.stop()
        summary = _summary(results[1:], stalls=0)
        locations = {services.tracks.get(t).location for t in skipped}
        entries = services.audio_cache.entries()
        summary.pop("stalls")
        summary["skipped_tracks_kb"] = round(sum(e.have for e in entries if e.remote_id in locations) / 1024)
        summary["all_tracks_kb"] = round(sum(e.have for e in entries) / 1024)
        summary["played_tracks_complete"] = sum(1 for e in entries
                                                if e.complete and e.remote_id not in locations)
        return summary
    finally:
        services.close()


def _script_tracks(services: Services, album: str, count: int) -> list[int]:
    """The generated album's tracks; on someone's own server, the first tracks there are."""
    tracks = services.tracks.search("")
    return ([t.id for t in tracks if t.album == album] or [t.id for t in tracks])[:count]


def _seed_skip_history(services: Services, ids: list[int], skipped: set[int]) -> None:
    """Yesterday's listening: the skipped tracks skipped after 3 s four times, the rest played."""
    clock = time.time() - 86400
    rows = []
    for _ in range(4):
        for track_id in ids:
            quick = track_id in skipped
            played = 3000 if quick else SKIP_TRACK_SECONDS * 1000
            rows.append({"track_id": track_id, "title": "bench", "started_at": clock,
                         "ended_at": clock + played / 1000, "ms_played": played,
                         "end_reason": "skipped" if quick else "completed"})
            clock += played / 1000
    add_past_plays(services.db, rows)


def _heard(results: list[dict], ended: float, pulse: PrivatePulse, references: References,
           services: Services, say) -> tuple[list[float], int]:
    """From each command to the new track's first sample at the sink, and the breaks heard
    from there until the next command. A play-through has no command: there it is the silence
    heard between the old track's last sample and the new one's first."""
    heard_ms, dropouts = [], 0
    # Each play is checked up to a moment before the next command (or the final stop) can be
    # heard: a stop is heard ~5 ms after it, and the sink's clock is read to a few ms, so the
    # cut it makes fell inside the last window now and then and counted as a break.
    ends = [r["commanded"] - BEFORE_NEXT_S for r in results[1:]] + [ended - BEFORE_NEXT_S]
    pulse.wait_until_played(ended)
    for result, until in zip(results, ends, strict=True):
        track = references.mono(services.tracks.get(result["track"]))
        first = pulse.frame_at(result["commanded"])
        stereo = pulse.segment(first, pulse.frame_at(until))
        sink = heard.mono(stereo)
        found = heard.onset(sink, track, 0)
        if found is None:  # never heard before the next command: the whole wait counts
            result["heard_ms"] = round(sink.size * 1000 / RATE, 1)
        elif result["action"] == "play_through":
            before = heard.sound_onset(stereo[found[0] - 1:: -1]) if found[0] else 0
            result["heard_ms"] = round((before or 0) * 1000 / RATE, 1)
        else:
            result["heard_ms"] = round(found[0] * 1000 / RATE, 1)
        heard_ms.append(result["heard_ms"])
        if found is None:
            continue
        breaks = heard.breaks(sink, track, found[0], found[1])
        dropouts += len(breaks)
        for broke in breaks:
            say(f"    step {result['step']}: heard a break at {broke['at_s']:.2f} s "
                f"({broke['ms']} ms)")
    return heard_ms, dropouts


class References:
    """Each track as libvlc decodes it alone (fetched from the server once): what the sink
    should have played."""

    def __init__(self, client: SubsonicClient, folder: Path):
        self.client, self.folder = client, folder
        self._decoded: dict[str, np.ndarray] = {}

    def prepare(self, tracks: list) -> None:
        """Decode them all at once: libvlc decodes in real time, so one after another would
        take as long as the tracks (the script's 12 tracks: 6 minutes)."""
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

        missing = [t for t in {t.location: t for t in tracks}.values()
                   if t.location not in self._decoded]
        with ThreadPoolExecutor(max_workers=max(1, len(missing))) as pool:
            for location, samples in pool.map(self._decode, missing):
                self._decoded[location] = samples

    def _decode(self, track) -> tuple[str, np.ndarray]:
        from app.playback.decode import decode_to_pcm  # noqa: PLC0415

        data, _ = self.client.download("download", 200 * 1024 * 1024, id=track.location)
        path = self.folder / f"{abs(hash(track.location))}.audio"
        path.write_bytes(data)
        pcm = np.frombuffer(decode_to_pcm(path, timeout_s=600), dtype=np.int16).reshape(-1, 2)
        return track.location, heard.mono(pcm)

    def mono(self, track) -> np.ndarray:
        if track.location not in self._decoded:
            self.prepare([track])
        return self._decoded[track.location]


def _stalls(times: list[float], boundaries: list[float]) -> int:
    """Gaps over STALL_S between buffers that no command or track start explains."""
    count = 0
    for before, after in zip(times, times[1:], strict=False):
        if after - before > STALL_S and not any(before - 0.05 <= b <= after + 0.05
                                                for b in boundaries):
            count += 1
    return count


def _summary(results: list[dict], stalls: int) -> dict:
    latencies = [r["ms"] for r in results]
    predictable = [r for r in results if r["predictable"]]
    return {
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "hit_rate_predictable": round(sum(r["hit"] for r in predictable)
                                      / max(1, len(predictable)), 3),
        "hit_rate_all": round(sum(r["hit"] for r in results) / max(1, len(results)), 3),
        "stalls": stalls,
        "transitions": len(results),
        "detail": results,
    }


def run_playback_bench(rtt_ms: float, kbps: float, server: tuple[str, str, str] | None = None,
                       progress: Callable[[str], None] | None = None,
                       steps: tuple[Step, ...] = SCRIPT, skip_script: bool = True) -> dict:
    say = progress or (lambda message: None)
    workdir = Path(tempfile.mkdtemp(prefix="prelude-bench-playback-"))
    supysonic = pulse = None
    try:
        say("Starting a private PulseAudio to listen at…")
        pulse = PrivatePulse(workdir / "pulse")
        pulse.use_in_this_process()
        pulse.start_time()
        if server is None:
            from app.bench.supysonic_server import PASSWORD, USER, SupysonicServer  # noqa: PLC0415

            say(f"Generating {TRACKS} tracks and starting supysonic on loopback…")
            make_tracks(workdir / "music")
            make_tracks(workdir / "music", len(SKIP_SCRIPT_LISTEN_S) + 1, SKIP_TRACK_SECONDS, SKIP_ALBUM)
            supysonic = SupysonicServer(workdir / "supysonic", workdir / "music")
            supysonic.setup()
            supysonic.start()
            server = (supysonic.url, USER, PASSWORD)
        url, user, password = server
        direct = SubsonicClient("your server", url, user, password)
        direct.ping()  # says in words if it is not there
        (workdir / "references").mkdir()
        references = References(direct, workdir / "references")
        link = EmulatedLink(url, rtt_ms, kbps)
        try:
            say(f"Link: {rtt_ms:.0f} ms round trip, {kbps:.0f} kbit/s.")
            with_prefetch = run_mode(link.url, user, password, True, workdir, say, steps, pulse,
                                     references)
            without = run_mode(link.url, user, password, False, workdir, say, steps, pulse,
                               references)
            skips_on = run_skip_mode(link.url, user, password, True, workdir, say) if skip_script else None
            skips_off = run_skip_mode(link.url, user, password, False, workdir, say) if skip_script else None
        finally:
            link.close()
        ratio = without["p50_ms"] / max(with_prefetch["p50_ms"], 0.1)
        heard_ratio = without["heard_p50_ms"] / max(with_prefetch["heard_p50_ms"], 0.1)
        result = {"prefetch": with_prefetch, "no_prefetch": without, "p50_ratio": round(ratio, 1),
                  "heard_p50_ratio": round(heard_ratio, 1), "rtt_ms": rtt_ms, "kbps": kbps}
        if skip_script:
            result["skip_predictor"] = {
                "on": skips_on, "off": skips_off,
                "skipped_bytes_ratio": round(skips_on["skipped_tracks_kb"]
                                             / max(1, skips_off["skipped_tracks_kb"]), 2)}
        return result
    finally:
        if supysonic is not None:
            supysonic.stop()
        if pulse is not None:
            pulse.close()
        shutil.rmtree(workdir, ignore_errors=True)
