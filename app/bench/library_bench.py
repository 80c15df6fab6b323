"""`prelude bench library`, the part without a window: fill a profile, time search as you type."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from app.bench.stats import percentile
from app.bench.synthetic_catalog import search_queries, synthetic_catalog
from app.paths import resolve_profile
from app.services import Services
from app.settings import LIBRARY_FOLDERS

FIRST_PAGE = 200  # what the table shows first (ui/controllers/search_controller.py asks for the same)
BATCH = 5000


def fill_profile(data_dir: Path, tracks: int, progress: Callable[[str], None] | None = None) -> float:
    """Write a synthetic catalog through the same store code a scan uses; returns tracks/s."""
    services = Services.open(resolve_profile(data_dir))
    try:
        services.settings.write(LIBRARY_FOLDERS, [])  # no music folders: nothing to rescan on launch
        started = time.perf_counter()
        batch = []
        for tags in synthetic_catalog(tracks):
            batch.append(tags)
            if len(batch) == BATCH:
                services.tracks.save_tags(batch)
                batch.clear()
                if progress:
                    progress(f"  {services.tracks.count():,} tracks written")
        if batch:
            services.tracks.save_tags(batch)
        return tracks / (time.perf_counter() - started)
    finally:
        services.close()


def time_search(data_dir: Path, repeats: int = 3) -> dict:
    """The store's query alone, for every prefix of a dozen queries as typed: the first
    screenful and the complete match list."""
    services = Services.open(resolve_profile(data_dir))
    try:
        first_page: list[float] = []
        complete: list[float] = []
        for query in search_queries():
            for end in range(1, len(query) + 1):
                prefix = query[:end]
                page_runs, all_runs = [], []
                for _ in range(repeats):
                    started = time.perf_counter()
                    services.tracks.ordered_ids(prefix, limit=FIRST_PAGE)
                    page_runs.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    services.tracks.ordered_ids(prefix)
                    all_runs.append((time.perf_counter() - started) * 1000)
                first_page.append(statistics.median(page_runs))
                complete.append(statistics.median(all_runs))
        return {  # the core query alone; the window's figures (search_p50_ms...) add the rest
            "query_p50_ms": round(statistics.median(first_page), 3),
            "query_p95_ms": round(percentile(first_page, 0.95), 3),
            "search_all_p50_ms": round(statistics.median(complete), 3),
            "search_all_p95_ms": round(percentile(complete, 0.95), 3),
            "search_prefixes": len(first_page),
        }
    finally:
        services.close()
