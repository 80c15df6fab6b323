"""`prelude bench responsiveness`: how fast a command is heard, measured where it is heard.

A private PulseAudio (app/bench/sound_server.py) plays into a sink that keeps every sample with
the time it was played. The app's own player (Services, Player, the engine the window uses)
plays generated noise tracks (app/bench/heard.py) from the local library and from a music
server (supysonic on loopback; its tracks put in the audio cache whole, as prefetch leaves
them), twice in one run: through Prelude's default output, and through libvlc's own `pulse`
output as the baseline.
Each command is timed from the moment it is given to the first sample of its effect at the sink:

- start: play a track with nothing playing; skip: next track while one plays;
- seek: a jump within the playing track (a cached server track);
- pause: until the sink is silent; resume: until it sounds again;
- gap: what the player adds at the cut of a gapless album (one noise, cut in two files);
- dropouts: breaks inside a track that the file does not have (silence, or audio skipped or
  repeated) over `listen_s` of playback, once idle and once while another thread of the process
  holds the GIL 100 ms at a time (as parsing a 16 MB JSON answer does).

The floor is the sound server's own latency for a fresh stream in the same run: a PortAudio
stream at its lowest latency, from opening it to its first sample at the sink.

A sample is heard when the sink hands it out: the sink writes a block (7.5 ms) when its time
comes, and every sample of the block counts from then (app/bench/sound_server.py).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from app.bench import heard
from app.bench.sound_server import PrivatePulse
from app.bench.stats import connect_server, percentile

RATE = heard.RATE
TRACK_S = 20.0
CUT_S = 4.0  # each half of the cut album
LISTEN_S = 120.0  # playback checked for dropouts, idle and under load
GIL_HOLD_S = 0.1
OUTPUTS = ("prelude", "vlc")
SEEKS_MS = (12_000, 4_000, 16_000)


def _timed(function, *args) -> float:
    began = time.perf_counter()
    function(*args)
    return time.perf_counter() - began


class GilHog:
    """A thread that holds the GIL ~100 ms at a time, back to back: json.loads of a document
    sized on this machine to take that long (a big server answer does the same)."""

    def __init__(self, hold_s: float = GIL_HOLD_S):
        count = 20_000
        for _ in range(4):  # grow the document until one parse takes hold_s
            self.document = json.dumps([{"id": n, "title": f"Song {n}", "year": 1990 + n % 30}
                                        for n in range(count)])
            took = min(_timed(json.loads, self.document) for _ in range(3))
            count = max(1, int(count * hold_s / took))
        self._stop = threading.Event()
        self.holds: list[float] = []
        self._thread = threading.Thread(target=self._run, name="gil-hog", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            began = time.perf_counter()
            json.loads(self.document)
            self.holds.append(time.perf_counter() - began)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


class Library:
    """The generated tracks, their samples, and their ids once scanned. `server_folder` holds
    the tracks a music server serves (then cached, as prefetch would have them)."""

    def __init__(self, folder: Path, listen_s: float, server_folder: Path | None = None):
        self.samples: dict[str, np.ndarray] = {}
        for number in range(1, 7):
            self._add(folder, f"Noise {number}", heard.noise_track(number, TRACK_S), "Noise", number)
        for number in range(1, 3):
            self._add(server_folder or folder, f"Server Noise {number}",
                      heard.noise_track(400 + number, TRACK_S), "Server Noise", number)
        self._add(folder, "Long Noise", heard.noise_track(100, listen_s + 15), "Long", 1)
        cut = heard.noise_track(200, 2 * CUT_S)
        half = cut.shape[0] // 2
        self._add(folder, "Cut 1", cut[:half], "Cut Album", 1)
        self._add(folder, "Cut 2", cut[half:], "Cut Album", 2)
        self.samples["Cut"] = cut
        self.ids: dict[str, int] = {}
        self._mono: dict[str, np.ndarray] = {}

    def _add(self, folder: Path, title: str, samples: np.ndarray, album: str, number: int):
        heard.write_flac(folder / album / f"{number:02d} {title}.flac", samples, title=title,
                         artist="Bench", album=album, tracknumber=str(number))
        self.samples[title] = samples

    def mono(self, title: str) -> np.ndarray:
        if title not in self._mono:
            self._mono[title] = heard.mono(self.samples[title])
        return self._mono[title]

    def scan(self, services, folder: Path, server=None) -> None:
        """The local folder scanned; the server (url, user, password) synced and its tracks
        put in the audio cache whole, the way prefetch leaves them."""
        services.library.add(folder)
        services.library.rescan()
        if server is not None:
            _sync_and_cache(services, *server)
        self.ids = {track.title: track.id for track in services.tracks.search("")}


def _sync_and_cache(services, url: str, user: str, password: str) -> None:
    client = connect_server(services, url, user, password)
    cache = services.audio_cache
    for track in services.tracks.search("Server Noise"):
        data, _ = client.download("download", 64 * 1024 * 1024, id=track.location)
        entry = cache.begin("bench", track.location, "flac")
        cache.set_size(entry.key, len(data))
        cache.append(entry.key, data, protect=set())
        if not cache.finish(entry.key):
            raise RuntimeError(f"{track.title} could not be put in the audio cache")


class Listener:
    """Gives commands to the player and reads at the sink what came of them."""

    def __init__(self, pulse: PrivatePulse, player, library: Library, say):
        self.pulse, self.player, self.library, self.say = pulse, player, library, say
        self.timings: dict[str, list[float]] = {k: [] for k in
                                                ("start", "skip", "seek", "pause", "resume")}
        self.missed: list[str] = []

    def heard_from(self, commanded: float, seconds: float) -> tuple[np.ndarray, int]:
        """What the sink played from 100 ms before the command to `seconds` after it, and the
        index in it of the moment of the command."""
        self.pulse.wait_until_played(commanded + seconds)
        at = self.pulse.frame_at(commanded)
        first = max(0, at - RATE // 10)
        return self.pulse.segment(first, at + int(seconds * RATE)), at - first

    def _record(self, kind: str, index: int | None, at: int, seconds: float):
        if index is None:  # never heard within the window: counted as the whole window
            self.missed.append(kind)
            ms = seconds * 1000
        else:
            ms = (index - at) * 1000 / RATE
        self.timings[kind].append(ms)
        self.say(f"    {kind:7s} {ms:7.1f} ms")

    def play_from(self, kind: str, title: str, near_frame: int, command: Callable[[], None],
                  listen_s: float = 1.2) -> None:
        commanded = time.monotonic()
        command()
        segment, at = self.heard_from(commanded, listen_s)
        found = heard.onset(heard.mono(segment[at:]), self.library.mono(title), near_frame)
        self._record(kind, None if found is None else at + found[0], at, listen_s)

    def pause(self) -> None:
        self._until_change("pause", self.player.pause, heard.silence_onset, 0.6)

    def resume(self) -> None:
        self._until_change("resume", self.player.toggle, heard.sound_onset, 0.8)

    def _until_change(self, kind: str, command, find, listen_s: float) -> None:
        """From the command to the first frame where `find` sees the sound stop or start."""
        commanded = time.monotonic()
        command()
        segment, at = self.heard_from(commanded, listen_s)
        changed = find(segment[at:])
        self._record(kind, None if changed is None else at + changed, at, listen_s)

    def quiet(self) -> None:
        """Stop, and let the sink go silent before the next start is timed."""
        self.player.stop()
        self.pulse.wait_until_played(time.monotonic() + 0.5)


def _one_run(listener: Listener) -> None:
    """A start and skips across local files and cached server tracks, seeks in a server track,
    pauses and resumes."""
    library, player = listener.library, listener.player
    titles = ["Noise 1", "Noise 2", "Server Noise 1", "Server Noise 2", "Noise 3"]
    queue = [library.ids[title] for title in titles]
    listener.play_from("start", titles[0], 0, lambda: player.play_tracks(queue))
    for title in titles[1:4]:
        listener.play_from("skip", title, 0, player.next)
    for target in SEEKS_MS:
        listener.play_from("seek", titles[3], target * RATE // 1000,
                           lambda t=target: player.seek(t))
    for _ in range(2):
        listener.pause()
        listener.resume()
    listener.quiet()


def _gap_ms(listener: Listener) -> float:
    """Silence or a jump at the cut of the gapless album, as heard."""
    library = listener.library
    commanded = time.monotonic()
    listener.player.play_tracks([library.ids["Cut 1"], library.ids["Cut 2"]])
    segment, at = listener.heard_from(commanded, 2 * CUT_S + 1.5)
    cut, sink = library.mono("Cut"), heard.mono(segment)
    found = heard.onset(sink[at:], cut, 0)
    if found is None:
        raise RuntimeError("the cut album was not heard at the sink")
    broke = heard.breaks(sink, cut, at + found[0], found[1])
    listener.quiet()
    near_cut = [b for b in broke if abs(b["at_s"] - CUT_S) < 0.05]
    return sum((b["ms"] or 1000.0) for b in near_cut)


def _dropouts(listener: Listener, listen_s: float, hog: bool) -> list[dict]:
    library = listener.library
    track = library.mono("Long Noise")
    holding = GilHog() if hog else contextlib.nullcontext()
    commanded = time.monotonic()
    with holding:
        listener.player.play_tracks([library.ids["Long Noise"]])
        segment, at = listener.heard_from(commanded, listen_s + 1.0)
    if hog:
        listener.say(f"    GIL held {statistics.median(holding.holds) * 1000:.0f} ms at a time "
                     f"(median of {len(holding.holds)})")
    listener.quiet()
    sink = heard.mono(segment)
    found = heard.onset(sink[at:], track, 0)
    if found is None:
        return [{"at_s": 0.0, "ms": None}]
    start = at + found[0]
    heard_to = found[1] + min(sink.size - start, int(listen_s * RATE))
    return heard.breaks(sink, track, start, found[1], heard_to)


def _fresh_stream(pulse: PrivatePulse, noise: np.ndarray) -> tuple[float, float, float] | None:
    """Open a PortAudio stream at its lowest latency and play the noise: (when it was opened,
    when its callback first made audio, when its first sample was heard), or None."""
    import sounddevice  # noqa: PLC0415

    position, made = [0], []

    def callback(outdata, frames, time_info, status):
        if not made:
            made.append(time.monotonic())
        chunk = noise[position[0]: position[0] + frames]
        out = np.frombuffer(outdata, dtype=np.int16).reshape(-1, 2)
        out[: chunk.shape[0]] = chunk
        out[chunk.shape[0]:] = 0
        position[0] += frames

    # From the opening: PortAudio's ALSA path primes the stream and the sound server starts it
    # as soon as it is connected, before start() is called.
    opened = time.monotonic()
    stream = sounddevice.RawOutputStream(samplerate=RATE, channels=2, dtype="int16",
                                         latency="low", callback=callback)
    stream.start()
    pulse.wait_until_played(opened + 0.6)
    stream.abort()
    stream.close()
    at = pulse.frame_at(opened)
    segment = pulse.segment(at, at + int(0.6 * RATE))
    found = heard.onset(heard.mono(segment), heard.mono(noise), 0, lead_s=0.1)
    pulse.wait_until_played(time.monotonic() + 0.2)  # quiet again before the next one
    if found is None or not made:
        return None
    return opened, made[0], pulse.time_of(at + found[0])


def measure_floor(pulse: PrivatePulse, runs: int = 5) -> float:
    """From opening a fresh PortAudio stream at its lowest latency to its first sample at the
    sink: what the sound server and its client library themselves take.

    It also sets the sink's clock right: a sample cannot be heard before the callback that made
    it ran, so if the sink's clock says otherwise it runs early by at least that much."""
    noise = heard.noise_track(300, 1.0)
    probes = [probe for probe in (_fresh_stream(pulse, noise) for _ in range(runs)) if probe]
    if not probes:
        raise RuntimeError("a fresh stream was never heard at the sink")
    early = max(0.0, max(made - heard_at for _, made, heard_at in probes))
    pulse.clock_shift_s += early
    return statistics.median((heard_at + early - opened) * 1000 for opened, _, heard_at in probes)


def _open_engine(output: str):
    from app.playback.output_choice import open_vlc_engine  # noqa: PLC0415
    from app.playback.vlc_engine import VlcEngine  # noqa: PLC0415

    if output == "vlc":
        return VlcEngine(audio_output="pulse")
    engine = open_vlc_engine()
    if not engine.uses_gapless_output:
        raise RuntimeError("Prelude's own output found no sound device through PortAudio "
                           "(is PortAudio's ALSA pulse plugin installed: libasound2-plugins?)")
    return engine


def measure_output(output: str, pulse: PrivatePulse, library: Library, music: Path,
                   workdir: Path, runs: int, listen_s: float, say, server=None,
                   crossfade_s: int = 0) -> dict:
    from app.paths import resolve_profile  # noqa: PLC0415
    from app.services import Services  # noqa: PLC0415

    services = Services.open(resolve_profile(workdir / f"profile-{output}"))
    try:
        library.scan(services, music, server)
        player = services.start_player(_open_engine(output))
        player.set_volume(100)
        if crossfade_s:  # skips stay immediate with it on (fade on skip off, as by default)
            player.set_crossfade(crossfade_s)
        listener = Listener(pulse, player, library, say)
        try:
            for run in range(runs):
                say(f"  {output}: run {run + 1} of {runs}")
                _one_run(listener)
            gap_ms = _gap_ms(listener)
            say(f"  {output}: {listen_s:.0f} s of playback, idle")
            idle = _dropouts(listener, listen_s, hog=False)
            say(f"  {output}: {listen_s:.0f} s of playback, another thread holding the GIL")
            loaded = _dropouts(listener, listen_s, hog=True)
        finally:
            player.shutdown()
    finally:
        services.close()
    for name, found in (("idle", idle), ("under load", loaded)):
        for broke in found:
            say(f"    dropout ({name}) at {broke['at_s']:.2f} s: "
                + (f"{broke['ms']:.1f} ms" if broke["ms"] is not None else "audio lost"))
    timings = listener.timings
    result = {}
    for kind in ("start", "skip", "seek"):
        result[f"{kind}_p50_ms"] = round(statistics.median(timings[kind]), 1)
        result[f"{kind}_p95_ms"] = round(percentile(timings[kind], 0.95), 1)
    result["pause_p95_ms"] = round(percentile(timings["pause"], 0.95), 1)
    result["resume_p95_ms"] = round(percentile(timings["resume"], 0.95), 1)
    result["gap_ms"] = round(gap_ms, 1)
    result["dropouts"] = len(idle)
    result["dropouts_under_load"] = len(loaded)
    result["samples"] = sum(len(values) for values in timings.values())
    if listener.missed:
        say(f"    never heard within the window: {', '.join(listener.missed)}")
    return result


def run_responsiveness_bench(runs: int = 5, listen_s: float = LISTEN_S,
                             progress: Callable[[str], None] | None = None,
                             outputs: tuple[str, ...] = OUTPUTS, crossfade_s: int = 0) -> dict:
    say = progress or (lambda message: None)
    workdir = Path(tempfile.mkdtemp(prefix="prelude-bench-responsiveness-"))
    pulse = supysonic = None
    try:
        from app.bench.supysonic_server import PASSWORD, USER, SupysonicServer  # noqa: PLC0415

        music = workdir / "music"
        say("Generating tracks, starting supysonic on loopback and a private PulseAudio…")
        library = Library(music, listen_s, workdir / "server-music")
        supysonic = SupysonicServer(workdir / "supysonic", workdir / "server-music")
        supysonic.setup()
        supysonic.start()
        server = (supysonic.url, USER, PASSWORD)
        pulse = PrivatePulse(workdir / "pulse")
        pulse.use_in_this_process()
        pulse.start_time()  # the sink's clock, from its first seconds
        floor = measure_floor(pulse)
        say(f"  floor (a fresh stream): {floor:.1f} ms")
        result: dict = {"floor_ms": round(floor, 1)}
        if crossfade_s:
            result["crossfade_s"] = crossfade_s
        for output in outputs:
            result[output] = measure_output(output, pulse, library, music, workdir, runs,
                                            listen_s, say, server, crossfade_s)
        return result
    finally:
        if pulse is not None:
            pulse.close()
        if supysonic is not None:
            supysonic.stop()
        shutil.rmtree(workdir, ignore_errors=True)
