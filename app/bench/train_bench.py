"""`prelude bench train`: training time and memory for a large generated catalog and history.

The catalog is the one `bench library` uses; the history is a listener with a taste for a few
genres, in sessions of 5 to 25 plays with gaps of hours between them, a fifth of plays skipped
early. Training runs in a fresh child process so its peak memory is its own. Compared in the
same run: a second training that resumes from the first model (what happens after new plays).
The child then times For You and a radio with the model it trained (budget: 150 ms).
"""

from __future__ import annotations

import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.bench.library_bench import fill_profile
from app.paths import resolve_profile
from app.services import Services
from app.store.history import add_past_plays

FIT_BUDGET_S = 60.0
RSS_BUDGET_MB = 500.0


def run_train_bench(tracks: int, plays: int, progress=None) -> dict:
    say = progress or (lambda message: None)
    workdir = Path(tempfile.mkdtemp(prefix="prelude-bench-train-"))
    try:
        say(f"Writing {tracks:,} tracks…")
        fill_profile(workdir, tracks)
        say(f"Writing {plays:,} plays…")
        write_listening_history(workdir, plays)
        say("Training (fresh child process)…")
        first = _train_in_child(workdir)
        say("Training again, resuming from that model…")
        resumed = _train_in_child(workdir)
        return {
            "tracks": tracks, "plays": plays,
            "fit_s": first["fit_s"], "rss_mb": first["rss_mb"],
            "resume_fit_s": resumed["fit_s"], "resume_rss_mb": resumed["rss_mb"],
            **{key: first[key] for key in ("recommend_first_ms", "recommend_p50_ms",
                                           "recommend_max_ms")},
            "fit_budget_ratio": round(first["fit_s"] / FIT_BUDGET_S, 3),
            "rss_budget_ratio": round(first["rss_mb"] / RSS_BUDGET_MB, 3),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def write_listening_history(data_dir: Path, plays: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with Services.open(resolve_profile(data_dir)) as services:
        rows = sorted(services.tracks.search(""), key=lambda track: track.id)
        genres = sorted({track.genre for track in rows})
        liked = set(rng.sample(genres, max(1, len(genres) // 4)))
        favourites = [track for track in rows if track.genre in liked]
        others = [track for track in rows if track.genre not in liked] or favourites
        clock = time.time() - 365 * 86400
        events = []
        while len(events) < plays:
            for _ in range(rng.randint(5, 25)):
                track = rng.choice(favourites if rng.random() < 0.8 else others)
                duration = track.duration_ms or 200_000
                roll = rng.random()
                if roll < 0.2:
                    reason, played = "skipped", rng.randint(1_000, 20_000)
                elif roll < 0.3:
                    reason, played = "stopped", rng.randint(30_000, duration)
                else:
                    reason, played = "completed", duration
                events.append((track.id, "bench", clock, clock + played / 1000, played, reason))
                clock += played / 1000
            clock += rng.uniform(2, 20) * 3600
        events = events[:plays]
        # The history ends an hour ago, as a real one does (never in the future).
        shift = time.time() - 3600 - events[-1][3]
        events = [(track, title, start + shift, end + shift, played, reason)
                  for track, title, start, end, played, reason in events]
        add_past_plays(services.db, (
            {"track_id": track, "title": title, "started_at": start, "ended_at": end,
             "ms_played": played, "end_reason": reason}
            for track, title, start, end, played, reason in events))


def _train_in_child(data_dir: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "app.bench.train_bench", str(data_dir)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"training failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child(data_dir: Path) -> None:
    from app.recommend.training import retrain_and_save  # noqa: PLC0415

    with Services.open(resolve_profile(data_dir)) as services:
        model = retrain_and_save(services.db, services.recommender.model_path)
        fit_s = model.fit_seconds  # reading history and metadata, and training
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        answers = _time_answers(services, model)
    print(json.dumps({"fit_s": round(fit_s, 2), "rss_mb": round(rss_mb, 1), **answers}))


def _time_answers(services, model, repeats: int = 5) -> dict:
    """How long For You and a radio take to answer with this model, as the window asks them:
    the first For You (it reads the catalog's features) and then the median and the worst."""
    recommender = services.recommender
    recommender.install(model)
    seed = services.history.recent(1)[0].track_id

    def took_ms(ask) -> float:
        began = time.perf_counter()
        ask()
        return (time.perf_counter() - began) * 1000

    first = took_ms(lambda: recommender.for_you(20))
    times = [took_ms(lambda: recommender.for_you(20)) for _ in range(repeats)]
    times += [took_ms(lambda: recommender.radio(seed)) for _ in range(repeats)]
    return {"recommend_first_ms": round(first, 1),
            "recommend_p50_ms": round(statistics.median(times), 1),
            "recommend_max_ms": round(max(times), 1)}


if __name__ == "__main__":
    _child(Path(sys.argv[1]))
