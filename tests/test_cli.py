"""The `prelude` command as a person or a script uses it."""

from __future__ import annotations

import json
import subprocess
import wave

import numpy as np
import pytest

from tests.audio import dominant_frequency, pcm_to_mono
from tests.cli import PRELUDE, prelude_env, run_prelude


@pytest.fixture
def scanned(tmp_path, tone_library):
    data = tmp_path / "data"
    result = run_prelude(data, "scan", str(tone_library))
    assert result.returncode == 0, result.stderr
    assert "Scanned 6 files" in result.stdout and "6 new" in result.stdout
    return data


def test_version():
    result = run_prelude(".", "--version")
    assert result.returncode == 0 and result.stdout.startswith("Prelude ")


def test_search_json_lists_ids_and_sources(scanned, tone_library):
    result = run_prelude(scanned, "search", "alpha", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert [t["title"] for t in found] == ["Opening", "Second Song", "Third Song"]
    assert all(t["source"] == "local" and t["location"].startswith(str(tone_library))
               and isinstance(t["id"], int) for t in found)
    nothing = run_prelude(scanned, "search", "zzzz")
    assert nothing.returncode == 1 and "No tracks match" in nothing.stderr


def test_headless_play_writes_the_decoded_audio_and_records_history(scanned, tmp_path):
    out = tmp_path / "out.wav"
    result = run_prelude(scanned, "play", "alpha", "--headless", "--limit", "2",
                         "--audio-out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["▶ Alpha Band — Opening (0:02)",
                                          "▶ Alpha Band — Second Song (0:02)"]
    with wave.open(str(out)) as wav:
        assert (wav.getframerate(), wav.getnchannels()) == (44100, 2)
        pcm = wav.readframes(wav.getnframes())
    samples = pcm_to_mono(pcm)
    assert 2.8 < samples.size / 44100 < 3.4
    first = samples[int(0.3 * 44100):int(1.2 * 44100)]
    assert abs(dominant_frequency(first) - 440) < 3
    assert np.abs(samples).max() > 0.05  # ffmpeg's sine peaks at 1/8 of full scale

    history = json.loads(run_prelude(scanned, "history", "--json").stdout)
    assert [(h["title"], h["end_reason"], h["context"]) for h in history] == [
        ("Second Song", "completed", "search"), ("Opening", "completed", "search")]
    text = run_prelude(scanned, "history", "--limit", "1")
    assert "Alpha Band — Second Song" in text.stdout and "completed" in text.stdout


@pytest.mark.parametrize("args, message", [
    (["frobnicate"], "invalid choice"),
    (["play", "x", "--limit", "0", "--headless"], "--limit must be at least 1"),
    (["scan", "/no/such/folder"], "no such folder: /no/such/folder"),
    (["play", "nothing matches this", "--headless"], "no tracks match"),
    (["search"], "the following arguments are required"),
])
def test_bad_input_is_one_clear_line_and_a_non_zero_exit(scanned, args, message):
    result = run_prelude(scanned, *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_damaged_database_is_a_message_not_a_traceback(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "library.db").write_bytes(b"garbage" * 1000)
    result = run_prelude(data, "search", "x")
    assert result.returncode == 1
    assert "not a Prelude database or is damaged" in result.stderr
    assert "Traceback" not in result.stderr


def test_audio_output_gapless_without_a_device_still_plays_quietly(scanned):
    """`gapless` is an output name of Prelude's, never handed to libvlc as a module (libvlc
    would then try ALSA for every buffer and flood stderr)."""
    env = {**prelude_env(scanned), "PRELUDE_AUDIO_OUTPUT": "gapless"}
    played = subprocess.run([PRELUDE, "play", "opening", "--headless"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert played.returncode == 0, played.stderr
    assert played.stdout.startswith("▶")
    assert "ALSA lib" not in played.stderr and len(played.stderr.splitlines()) <= 1


def test_a_logged_error_is_one_line_on_the_terminal_and_whole_with_verbose(capsys, tmp_path):
    """log.exception (a player command, a training that failed) prints no traceback unless
    --verbose asks for the details."""
    import logging

    from ui.cli import main

    for verbose in (False, True):
        root = logging.getLogger()
        root.handlers.clear()  # basicConfig configures only a logger without handlers
        main(["history", "--data-dir", str(tmp_path), *(["--verbose"] if verbose else [])])
        try:
            raise ValueError("the model file is damaged")
        except ValueError:
            logging.getLogger("app.recommend.scheduler").exception("training failed")
        said = capsys.readouterr().err
        assert "training failed" in said and "the model file is damaged" in said
        assert ("Traceback" in said) == verbose, said
        root.handlers.clear()
