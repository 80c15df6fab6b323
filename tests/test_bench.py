"""Each `prelude bench ...` prints the JSON interface other tools read (on small inputs)."""

from __future__ import annotations

import json
import subprocess

import pytest

from app.bench.sound_server import PrivatePulse
from tests.cli import PRELUDE, run_prelude


def test_bench_library_prints_the_documented_keys(tmp_path):
    result = run_prelude(tmp_path, "bench", "library", "--tracks", "3000", "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for key in ("search_p50_ms", "search_p95_ms", "grouped_p50_ms", "grouped_p95_ms",
                "query_p50_ms", "query_p95_ms", "window_s", "empty_window_s", "rss_mb"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert figures["search_p50_ms"] <= figures["search_p95_ms"]
    # Keystroke to painted rows is the query and more: a thread hop, reading rows, painting.
    assert figures["query_p50_ms"] < figures["search_p50_ms"]
    assert figures["search_p95_ms"] < 10_000  # every keystroke's rows were painted (none timed out)
    assert figures["search_prefixes"] == 126
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
    # Over the emulated link the five questions of a no-change re-sync go at once: about one
    # round trip. Asked in turn they cannot take less than five (0.72 s measured at 100 ms).
    assert figures["resync_requests"] == 5 and figures["link_rtt_ms"] == 100.0
    assert 0.1 <= figures["resync_link_s"] < 5 * 0.1


def test_bench_smart_prints_the_documented_keys(tmp_path):
    result = run_prelude(tmp_path, "bench", "smart", "--tracks", "2000", "--plays", "3000",
                         "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert (figures["tracks"], figures["plays"], figures["playlists"]) == (2000, 3000, 14)
    assert 0 < figures["eval_p50_ms"] <= figures["eval_p95_ms"]
    assert figures["library_order_ms"] > 0
    each = figures["each"]
    # the files are dated over ten years: about 30 days' worth (16 of 2,000 with this seed)
    assert 0 < each["Recently added"]["songs"] < 100
    assert each["Long ones"]["songs"] == 200 and each["Random hour"]["songs"] == 15  # limits
    assert each["Heavy rotation"]["songs"] > 0 and each["Never played"]["songs"] < 2000


def test_bench_train_prints_the_documented_keys(tmp_path):
    """A small catalog and history: trains in a child, then again resuming from that model."""
    result = run_prelude(tmp_path, "bench", "train", "--tracks", "2000", "--plays", "3000",
                         "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert (figures["tracks"], figures["plays"]) == (2000, 3000)
    for key in ("fit_s", "rss_mb", "resume_fit_s", "resume_rss_mb", "recommend_first_ms",
                "recommend_p50_ms", "recommend_max_ms"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert figures["recommend_p50_ms"] <= figures["recommend_max_ms"]
    # The ratios are the figures against the device budget (60 s, 500 MB), nothing else.
    assert figures["fit_budget_ratio"] == pytest.approx(figures["fit_s"] / 60.0, abs=0.001)
    assert figures["rss_budget_ratio"] == pytest.approx(figures["rss_mb"] / 500.0, abs=0.001)
    assert 30 < figures["rss_mb"] < 500  # a whole Python process with the model, in budget


@pytest.mark.timeout(900)
def test_bench_playback_prints_the_documented_keys(tmp_path):
    """The whole listening script, both modes, against supysonic behind the emulated link."""
    result = subprocess.run([PRELUDE, "bench", "playback", "--rtt-ms", "50", "--kbps", "4000",
                             "--json"], capture_output=True, text=True, timeout=900,
                            env={**PrivatePulse.client_env(), "PRELUDE_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    keys = {"p50_ms", "p95_ms", "p99_ms", "hit_rate_predictable", "hit_rate_all", "stalls",
            "transitions", "heard_p50_ms", "heard_p95_ms", "dropouts"}
    for mode in ("prefetch", "no_prefetch"):
        assert keys <= set(figures[mode]), mode
        assert figures[mode]["transitions"] == 12
        assert figures[mode]["p50_ms"] <= figures[mode]["p95_ms"] <= figures[mode]["p99_ms"]
        # Heard at the sink: after the decoder, never before it (within the sink's 7.5 ms blocks).
        assert figures[mode]["heard_p50_ms"] >= figures[mode]["p50_ms"] - 8
        assert figures[mode]["heard_p50_ms"] <= figures[mode]["heard_p95_ms"]
    assert figures["prefetch"]["dropouts"] == 0  # cached tracks never break up at the sink
    assert figures["heard_p50_ratio"] == round(
        figures["no_prefetch"]["heard_p50_ms"] / figures["prefetch"]["heard_p50_ms"], 1)
    assert figures["no_prefetch"]["hit_rate_all"] == 0  # nothing is cached with prefetch off
    assert figures["p50_ratio"] == round(
        figures["no_prefetch"]["p50_ms"] / figures["prefetch"]["p50_ms"], 1)
    # The skip-heavy script: with the predictor, the usually skipped 2-minute tracks are fetched
    # whole only after the tracks that will be played, so the link carries less for them.
    skips = figures["skip_predictor"]
    for mode in ("on", "off"):
        assert skips[mode]["transitions"] == 5
        assert skips[mode]["skipped_tracks_kb"] > 0
    # Measured on this link: about 0.8 (0.64 on the slower default link).
    assert skips["on"]["skipped_tracks_kb"] < 0.95 * skips["off"]["skipped_tracks_kb"]
    assert skips["skipped_bytes_ratio"] < 0.95


def test_bench_playback_measures_any_server_given_to_it(subsonic):
    """The `--server` path: an existing server (here the suite's supysonic) behind the link."""
    from app.bench.playback_bench import SCRIPT, run_playback_bench
    from app.bench.supysonic_server import PASSWORD, USER

    figures = run_playback_bench(20, 8000, server=(subsonic.url, USER, PASSWORD),
                                 steps=SCRIPT[:3], skip_script=False)
    assert figures["prefetch"]["transitions"] == figures["no_prefetch"]["transitions"] == 3
    assert [d["action"] for d in figures["prefetch"]["detail"]] == ["start", "skip", "skip"]


def test_bench_playback_reads_the_password_from_stdin_and_names_an_unreachable_server(tmp_path):
    import socket
    import subprocess

    from tests.cli import PRELUDE, prelude_env

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = subprocess.run(
        [PRELUDE, "bench", "playback", "--server", f"http://127.0.0.1:{port}", "--user", "me",
         "--password-stdin", "--json"], input="s3cret\n", env=prelude_env(tmp_path),
        capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1
    assert f"Could not reach your server (http://127.0.0.1:{port})" in refused.stderr
    assert "s3cret" not in refused.stderr + refused.stdout
    usage = run_prelude(tmp_path, "bench", "playback", "--server", "http://127.0.0.1:1")
    assert usage.returncode == 2 and "--server needs --user and --password-stdin" in usage.stderr



def test_bench_scan_prints_the_documented_keys(tmp_path):
    """A small generated folder: every file is seen once, and a rescan that reads nothing is
    faster than the scan that read every file."""
    result = run_prelude(tmp_path, "bench", "scan", "--files", "200", "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["files"] == 200 and figures["formats"] == ["mp3", "flac", "ogg", "wav"]
    for key in ("tags_only_s", "first_scan_s", "first_scan_files_per_s", "rescan_s",
                "rescan_files_per_s", "first_scan_ratio", "rescan_ratio"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert figures["rescan_s"] < figures["first_scan_s"]
    # (the seconds are printed rounded to the ms: the rate, from the exact time, to within 1%)
    assert figures["first_scan_files_per_s"] == pytest.approx(200 / figures["first_scan_s"],
                                                              rel=0.01)
    # (the ratio, from the exact times, within what rounding both times to the ms allows)
    first, tags = figures["first_scan_s"], figures["tags_only_s"]
    assert ((first - 0.0005) / (tags + 0.0005) - 0.005 <= figures["first_scan_ratio"]
            <= (first + 0.0005) / (tags - 0.0005) + 0.005)


def test_bench_transitions_prints_the_loudness_keys_and_levels_what_it_plays(tmp_path):
    """Through a private PulseAudio: ten tracks 22 LU apart, heard within the goals; the
    crossfades of 3 and 8 s heard at their length and at equal power; a cut album gapless."""
    result = run_prelude(tmp_path, "bench", "transitions", "--json", timeout=600)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["tracks"] == 10 and len(figures["levels_heard_lufs"]) == 10
    assert figures["loudness_spread_lu"] == pytest.approx(
        max(figures["levels_heard_lufs"]) - min(figures["levels_heard_lufs"]), abs=0.02)
    assert figures["loudness_spread_lu"] <= 2.0
    assert all(abs(level - figures["target_lufs"]) <= 1.0 for level in figures["levels_heard_lufs"])
    assert figures["max_true_peak_dbtp"] <= -1.0
    assert figures["analysed_per_s"] > 0 and figures["analysed_x_realtime"] > 1
    assert 0 <= figures["trim_error_ms"] <= 50
    assert set(figures["crossfades_heard_ms"]) == {"3", "8"}
    assert 0 <= figures["crossfade_error_ms"] <= 40  # the goal is 20; the bench holds it
    assert 0 <= figures["crossfade_level_dev_db"] <= 1.5
    assert 0 <= figures["gap_ms"] <= 1
