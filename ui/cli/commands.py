"""The headless subcommands of `prelude` (no Qt imported here)."""

from __future__ import annotations

import json
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from app.errors import PlaybackError, UsageError
from app.models import Track
from app.paths import resolve_profile
from app.services import Services
from app.settings import LIBRARY_FOLDERS


def dispatch(args) -> int:
    command = args.command
    if command is None:
        from ui.main import run_gui  # noqa: PLC0415 - Qt only when a window is wanted
        return run_gui(args)
    handler = {"scan": scan, "search": search, "play": play, "history": history,
               "bench": bench, "server": server, "sync": sync, "recommend": recommend,
               "eval-recommender": eval_recommender, "eval-split": eval_split,
               "smart-playlist": smart_playlist, "queue": queue}[command]
    return handler(args)


def recommend(args) -> int:
    from ui.cli.recommend_commands import recommend_command  # noqa: PLC0415 - numpy loads lazily

    with open_library(args) as services:
        return recommend_command(services, args)


def queue(args) -> int:
    from ui.cli.queue_commands import queue_command  # noqa: PLC0415

    with open_services(args) as services:
        return queue_command(services, args)


def smart_playlist(args) -> int:
    from ui.cli.smart_commands import smart_playlist_command  # noqa: PLC0415

    with open_library(args) as services:
        return smart_playlist_command(services, args)


def eval_recommender(args) -> int:
    from ui.cli.recommend_commands import eval_recommender_command  # noqa: PLC0415

    return eval_recommender_command(args)


def eval_split(args) -> int:
    from ui.cli.recommend_commands import eval_split_command  # noqa: PLC0415

    return eval_split_command(args)


def server(args) -> int:
    from ui.cli.server_commands import server_command  # noqa: PLC0415 - requests loads lazily

    with open_services(args) as services:
        return server_command(services, args)


def sync(args) -> int:
    from ui.cli.server_commands import sync_command  # noqa: PLC0415

    with open_services(args) as services:
        return sync_command(services, args)


def open_services(args) -> Services:
    return Services.open(resolve_profile(getattr(args, "data_dir", None)))


def open_library(args) -> Services:
    """Services over a library that exists: a first run gets the default one (or the demo)."""
    services = open_services(args)
    if services.settings.read(LIBRARY_FOLDERS) is None and services.tracks.count() == 0:
        print("First run: setting up your library…", file=sys.stderr, flush=True)
        report = services.library.ensure_default()
        if report is not None:
            print(report.summary(), file=sys.stderr)
    return services


def _duration(ms: int | None) -> str:
    if not ms:
        return "-:--"
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _track_json(track: Track) -> dict:
    return {"id": track.id, "title": track.title, "artist": track.artist, "album": track.album,
            "album_artist": track.album_artist, "genre": track.genre,
            "duration_ms": track.duration_ms, "source": track.source,
            "location": track.location}


# -- scan ---------------------------------------------------------------------------------------
def scan(args) -> int:
    missing = [folder for folder in args.folders if not Path(folder).expanduser().is_dir()]
    if missing:
        raise UsageError(f"no such folder: {missing[0]}")
    with open_services(args) as services:
        for folder in args.folders:
            services.library.add(folder)
        interactive = sys.stderr.isatty()

        def progress(count: int, path: str) -> None:
            if interactive:
                print(f"\r{count} files…", end="", file=sys.stderr, flush=True)

        report = services.library.scanner.scan(args.folders, progress=progress)
        if interactive:
            print("\r", end="", file=sys.stderr)
        print(report.summary())
        print(f"{report.files_per_s:.0f} files/s; the library has {services.tracks.count()} tracks.")
        return 0


# -- search -------------------------------------------------------------------------------------
def search(args) -> int:
    with open_library(args) as services:
        tracks = services.tracks.search(args.query, limit=max(1, args.limit))
        if args.json:
            print(json.dumps([_track_json(t) for t in tracks], ensure_ascii=False, indent=1))
        else:
            for track in tracks:
                print(f"{track.id:>7}  {track.artist} — {track.title}  [{track.album}]  "
                      f"{_duration(track.duration_ms)}  {track.source}:{track.location}")
            if not tracks:
                print(f"No tracks match “{args.query}”.", file=sys.stderr)
        return 0 if tracks else 1


# -- play ---------------------------------------------------------------------------------------
def play(args) -> int:
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    if not args.headless:
        from ui.main import run_gui  # noqa: PLC0415
        return run_gui(args, play_query=args.query, play_limit=args.limit)
    if args.audio_out and not Path(args.audio_out).expanduser().resolve().parent.is_dir():
        raise UsageError(f"no such folder for --audio-out: {Path(args.audio_out).parent}")
    with open_library(args) as services:
        ids = services.tracks.ordered_ids(args.query, limit=args.limit)
        if not ids:
            raise UsageError(f"no tracks match “{args.query}”")
        return _play_headless(services, ids, args)


def _play_headless(services: Services, ids: list[int], args) -> int:
    from app.playback.events import PlaybackFailed, QueueFinished, TrackStarted
    from app.playback.output_choice import open_vlc_engine
    from app.playback.vlc_engine import VlcEngine
    from app.playback.wav_sink import WavSink

    sink = WavSink(args.audio_out) if args.audio_out else None
    try:
        engine = VlcEngine(pcm_sink=sink) if sink else \
            open_vlc_engine(getattr(args, "audio_output", None))
    except PlaybackError:
        if sink:
            sink.close()
        raise
    if engine.output_note:
        print(engine.output_note, file=sys.stderr)
    player = services.start_player(engine)
    finished = threading.Event()
    started: list[int] = []
    failed: list[str] = []

    def on_started(event: TrackStarted) -> None:
        started.append(event.track.id)
        print(f"▶ {event.track.artist} — {event.track.title} ({_duration(event.track.duration_ms)})",
              flush=True)

    def on_failed(event: PlaybackFailed) -> None:
        failed.append(event.message)
        print(event.message, file=sys.stderr, flush=True)

    services.bus.subscribe(TrackStarted, on_started)
    services.bus.subscribe(PlaybackFailed, on_failed)
    services.bus.subscribe(QueueFinished, lambda event: finished.set())
    player.play_tracks(ids, context="search")
    try:
        while not finished.wait(0.5):
            pass
    except KeyboardInterrupt:
        player.call(player._stop)
        raise
    finally:
        player.shutdown()
        if sink:
            sink.close()
    return 0 if started else 1


# -- history ------------------------------------------------------------------------------------
def history(args) -> int:
    if getattr(args, "history_command", None) == "import":
        return history_import(args)
    with open_services(args) as services:
        events = services.history.recent(max(1, args.limit))
        if args.json:
            print(json.dumps([event.__dict__ for event in events], ensure_ascii=False, indent=1))
            return 0
        if not events:
            print("Nothing played yet.")
        for event in events:
            when = datetime.fromtimestamp(event.started_at).strftime("%Y-%m-%d %H:%M")
            startup = f"{event.startup_ms:.0f} ms" if event.startup_ms is not None else "-"
            origin = (f"from {event.audio_source}, started in {startup}" if event.audio_source
                      else "imported")
            print(f"{when}  {event.artist} — {event.title}  {_duration(event.ms_played)} played, "
                  f"{event.end_reason or 'playing'}, {origin}")
        return 0


def history_import(args) -> int:
    from app.history_import.importer import import_history  # noqa: PLC0415

    with open_library(args) as services:
        report = import_history(services.db, [Path(name) for name in args.files])
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(report.summary())
        for problem in report.problems:
            print(f"  skipped {problem}", file=sys.stderr)
    return 0


# -- bench --------------------------------------------------------------------------------------
def bench(args) -> int:
    say = None if args.json else print
    started = time.monotonic()
    if args.bench == "playback":
        from app.bench.playback_bench import run_playback_bench  # noqa: PLC0415

        if args.rtt_ms < 0 or args.kbps <= 0:
            raise UsageError("--rtt-ms must be at least 0 and --kbps above 0")
        server = None
        if args.server:
            if not args.user or not args.password_stdin:
                raise UsageError("--server needs --user and --password-stdin")
            server = (args.server, args.user, sys.stdin.readline().rstrip("\r\n"))
        result = run_playback_bench(args.rtt_ms, args.kbps, server, progress=say)
    elif args.bench == "gap":
        from app.bench.gap_bench import run_gap_bench  # noqa: PLC0415

        if args.runs < 1:
            raise UsageError("--runs must be at least 1")
        result = run_gap_bench(progress=say, runs=args.runs)
    elif args.bench == "responsiveness":
        from app.bench.responsiveness_bench import run_responsiveness_bench  # noqa: PLC0415

        if args.runs < 1 or args.listen_s < 5:
            raise UsageError("--runs must be at least 1 and --listen-s at least 5")
        result = run_responsiveness_bench(args.runs, args.listen_s, progress=say,
                                          crossfade_s=args.crossfade)
    elif args.bench == "train":
        from app.bench.train_bench import run_train_bench  # noqa: PLC0415

        if args.tracks < 100 or args.plays < 1:
            raise UsageError("--tracks must be at least 100 and --plays at least 1")
        result = run_train_bench(args.tracks, args.plays, progress=say)
    elif args.bench == "smart":
        from app.bench.smart_bench import run_smart_bench  # noqa: PLC0415

        if args.tracks < 100 or args.plays < 1:
            raise UsageError("--tracks must be at least 100 and --plays at least 1")
        result = run_smart_bench(args.tracks, args.plays, progress=say)
    elif args.bench == "transitions":
        from app.bench.transitions_bench import run_transitions_bench  # noqa: PLC0415

        result = run_transitions_bench(progress=say)
    elif args.bench == "scan":
        from app.bench.scan_bench import run_scan_bench  # noqa: PLC0415

        if args.files < 4:
            raise UsageError("--files must be at least 4")
        result = run_scan_bench(args.files, progress=say)
    elif args.bench == "sync":
        from app.bench.sync_bench import run_sync_bench  # noqa: PLC0415

        if args.songs < 1000:
            raise UsageError("--songs must be at least 1000")
        result = run_sync_bench(args.songs, progress=say)
    else:
        from ui.bench.library import run_library_bench  # noqa: PLC0415

        if args.tracks < 1000:
            raise UsageError("--tracks must be at least 1000")
        result = run_library_bench(args.tracks, progress=say)
    if not args.json:
        print(f"(took {time.monotonic() - started:.0f} s)")
    print(json.dumps(result, indent=None if args.json else 1))
    return 0
