"""`prelude bench library` prints the JSON interface other tools read (on a small library)."""

from __future__ import annotations

import json

from tests.cli import run_prelude


def test_bench_library_prints_the_documented_keys(tmp_path):
    result = run_prelude(tmp_path, "bench", "library", "--tracks", "3000", "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for key in ("search_p50_ms", "search_p95_ms", "window_s", "empty_window_s", "rss_mb"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert figures["search_p50_ms"] <= figures["search_p95_ms"]
    assert figures["tracks"] == 3000
    assert figures["table_filled_s"] >= figures["window_s"]


def test_bench_refuses_a_silly_size(tmp_path):
    result = run_prelude(tmp_path, "bench", "library", "--tracks", "5")
    assert result.returncode == 2 and "--tracks must be at least 1000" in result.stderr


def test_bench_sync_prints_the_documented_keys(tmp_path):
    result = run_prelude(tmp_path, "bench", "sync", "--songs", "2000", "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["songs"] == 2000
    for key in ("full_sync_s", "songs_per_s", "resync_s", "rss_mb"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert figures["resync_s"] < figures["full_sync_s"]
