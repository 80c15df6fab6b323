"""`prelude bench smart`: smart playlists evaluated over a large library with a long history.

A synthetic catalog (`--tracks`, as `bench library` writes it) and `--plays` (50,000; as `bench
train` writes them), some songs loved and rated; then the built-in set and ten varied rules of one's
own, each evaluated as the window and `prelude smart-playlist show` do (one SQL statement, ids
in order), five times. The same-run baseline is reading the whole library's ids in library
order, what the songs page itself does first.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from app.bench.library_bench import fill_profile
from app.bench.stats import percentile
from app.bench.train_bench import write_listening_history
from app.library.smart_rules import smart_playlist
from app.paths import resolve_profile
from app.services import Services
from app.store.smart_playlists import SmartPlaylists

RUNS = 5
PLAYS = 50_000
GOAL_P95_MS = 50.0
# Ten of a person's own, across text, numbers, dates, history and where the audio is.
OWN = (
    ("Jazz of the sixties", ["genre is Jazz", "year between 1960..1969"], False, "year", None),
    ("Long ones", ["duration at_least 6m"], False, "-duration", 200),
    ("Heavy rotation", ["play_count at_least 5", "last_played in_last 30d"], False,
     "-play_count", 100),
    ("Skipped a lot", ["skip_rate at_least 50", "play_count at_least 1"], False,
     "-skip_rate", None),
    ("Loved or five stars", ["favourite is true", "rating is 5"], True, "artist", None),
    ("Love songs", ["title contains love"], False, None, None),
    ("Not lately", ["last_played not_in_last 180d", "play_count at_least 1"], False,
     "last_played", 300),
    ("Offline rock", ["genre is Rock", "cached is true"], False, None, None),
    ("New this year", ["added in_last 1y", "genre is_not Classical"], False, "-added", 500),
    ("Random hour", ["duration between 2m..5m"], False, "random", 15),
)


def run_smart_bench(tracks: int, plays: int = PLAYS, progress=None) -> dict:
    say = progress or (lambda message: None)
    workdir = Path(tempfile.mkdtemp(prefix="prelude-bench-smart-"))
    try:
        say(f"Writing {tracks:,} tracks…")
        fill_profile(workdir, tracks)
        say(f"Writing {plays:,} plays, loving and rating some songs…")
        write_listening_history(workdir, plays)
        with Services.open(resolve_profile(workdir)) as services:
            _love_and_rate(services)
            say("Evaluating each smart playlist five times…")
            return _evaluate(services, tracks, plays)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _love_and_rate(services, seed: int = 3) -> None:
    rng = random.Random(seed)
    ids = services.tracks.ordered_ids()
    edits = services.writeback()
    edits.set_starred(rng.sample(ids, len(ids) // 50), True)
    for track_id in rng.sample(ids, min(len(ids), 500)):
        edits.set_rating(track_id, rng.randint(1, 5))


def _timed_ms(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def _evaluate(services, tracks: int, plays: int) -> dict:
    store = SmartPlaylists(services.db)
    playlists = [p for p in store.all() if p.built_in]
    playlists += [smart_playlist(name, rules, any_, sort, limit)
                  for name, rules, any_, sort, limit in OWN]
    each: dict[str, dict] = {}
    for playlist in playlists:
        runs = [_timed_ms(lambda p=playlist: store.track_ids(p)) for _ in range(RUNS)]
        each[playlist.name] = {"median_ms": round(statistics.median(ms for ms, _ in runs), 2),
                               "songs": len(runs[0][1])}
    baseline = statistics.median(_timed_ms(services.tracks.ordered_ids)[0] for _ in range(RUNS))
    medians = [figures["median_ms"] for figures in each.values()]
    p95 = percentile(medians, 0.95)
    return {
        "tracks": tracks, "plays": plays, "playlists": len(each),
        "eval_p50_ms": round(statistics.median(medians), 2), "eval_p95_ms": round(p95, 2),
        "library_order_ms": round(baseline, 2),
        "eval_p95_to_library_order": round(p95 / baseline, 2) if baseline else None,
        "goal_p95_ms": GOAL_P95_MS, "each": each,
    }
