"""`prelude --self-test`: is this installation (or bundle) whole? Packagers run it on what they built.

In a temporary profile it creates the database, plays a generated tone through libvlc to the
PCM sink (no sound device) and checks the pitch and length that come out, then trains and loads
a small recommender. Each part is timed; the first failure is named.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.errors import PreludeError

TONE_HZ, TONE_S = 440.0, 1.0


class SelfTestFailed(Exception):
    def __init__(self, part: str, reason: str):
        super().__init__(f"{part}: {reason}")
        self.part = part


def run_self_test() -> str:
    """One line saying what passed; raises SelfTestFailed naming the part that did not."""
    with tempfile.TemporaryDirectory(prefix="prelude-self-test-") as folder:
        root = Path(folder)
        parts = [
            ("resources", _resources),
            ("database", lambda: _database(root)),
            ("audio", lambda: _audio(root)),
            ("recommender", lambda: _recommender(root)),
        ]
        said = [_timed(name, check) for name, check in parts]
    from app import __version__  # noqa: PLC0415

    return f"Prelude {__version__} self-test passed: " + "; ".join(said)


def _timed(name: str, check: Callable[[], str]) -> str:
    started = time.perf_counter()
    try:
        detail = check()
    except SelfTestFailed:
        raise
    except PreludeError as error:  # already in words
        raise SelfTestFailed(name, str(error)) from error
    except Exception as error:  # noqa: BLE001 - any failure is this part's failure, in words
        raise SelfTestFailed(name, f"{type(error).__name__}: {error}") from error
    return f"{name} ok ({detail}, {time.perf_counter() - started:.2f} s)"


def _resources() -> str:
    from app import APP_ID  # noqa: PLC0415
    from app.paths import resource_file  # noqa: PLC0415

    wanted = [("icons", "hicolor", "scalable", "apps", f"{APP_ID}.svg"),
              ("desktop", f"{APP_ID}.desktop"), ("desktop", f"{APP_ID}.metainfo.xml")]
    missing = ["/".join(parts) for parts in wanted if not resource_file(*parts).is_file()]
    if missing:
        raise SelfTestFailed("resources", f"missing {', '.join(missing)}")
    return f"{len(wanted)} files"


def _database(root: Path) -> str:
    from app.paths import resolve_profile  # noqa: PLC0415
    from app.services import Services  # noqa: PLC0415

    with Services.open(resolve_profile(root / "profile")) as services:
        verdict = services.db.integrity_check()
        if verdict != "ok":
            raise SelfTestFailed("database", f"integrity check says {verdict}")
        version = services.db.schema_version()
    return f"schema {version}"


def _audio(root: Path) -> str:
    import numpy as np  # noqa: PLC0415
    import soundfile  # noqa: PLC0415

    from app.bench.pcm_analysis import RATE, audible_seconds, dominant_frequency, pcm_to_mono  # noqa: PLC0415
    from app.errors import PlaybackError  # noqa: PLC0415
    from app.playback.decode import decode_to_pcm  # noqa: PLC0415
    from app.playback.vlc_engine import libvlc_version  # noqa: PLC0415

    tone = root / "tone.wav"
    times = np.arange(int(RATE * TONE_S)) / RATE
    wave = (0.5 * np.sin(2 * np.pi * TONE_HZ * times)).astype(np.float32)
    soundfile.write(tone, np.stack([wave, wave], axis=1), RATE, subtype="PCM_16")
    try:
        pcm = decode_to_pcm(tone, timeout_s=20)
    except PlaybackError as error:
        raise SelfTestFailed("audio", str(error)) from error
    samples = pcm_to_mono(pcm)
    if samples.size == 0:
        raise SelfTestFailed("audio", "libvlc decoded no audio")
    pitch, length = dominant_frequency(samples), audible_seconds(samples)
    if abs(pitch - TONE_HZ) > 5 or abs(length - TONE_S) > 0.15:
        raise SelfTestFailed("audio", f"expected {TONE_HZ:.0f} Hz for {TONE_S:.1f} s, "
                                      f"decoded {pitch:.0f} Hz for {length:.2f} s")
    from app.playback.sound_devices import portaudio_summary  # noqa: PLC0415

    return f"{pitch:.0f} Hz tone decoded by libvlc {libvlc_version()}; {portaudio_summary()}"


def _recommender(root: Path) -> str:
    import time as clock  # noqa: PLC0415

    from app.models import TrackTags  # noqa: PLC0415
    from app.paths import resolve_profile  # noqa: PLC0415
    from app.recommend.model_file import load_model, save_model  # noqa: PLC0415
    from app.recommend.training import train_from_library  # noqa: PLC0415
    from app.services import Services  # noqa: PLC0415
    from app.store.history import add_past_plays  # noqa: PLC0415

    with Services.open(resolve_profile(root / "recommender")) as services:
        services.tracks.save_tags([
            TrackTags(location=f"/self-test/{genre}/{n}", title=f"{genre} {n}", artist=f"{genre} {n % 3}",
                      album=f"{genre} album", genres=(genre,), duration_ms=180_000)
            for genre in ("Jazz", "Metal") for n in range(12)])
        jazz = sorted(t.id for t in services.tracks.search("") if t.genre == "Jazz")
        now = clock.time() - 86400
        add_past_plays(services.db, [
            {"track_id": track, "title": "t", "started_at": now + n * 200,
             "ended_at": now + n * 200 + 180, "ms_played": 180_000, "end_reason": "completed"}
            for n, track in enumerate(jazz[:8] * 2)])
        model = train_from_library(services.db)
        save_model(model, services.recommender.model_path)
        services.recommender.install(load_model(services.recommender.model_path))
        picks = services.recommender.for_you(4).track_ids
        if sum(track in jazz for track in picks) < 3:  # (no artist twice in a row may add one other)
            raise SelfTestFailed("recommender", "a trained model did not recommend the liked genre")
    return f"LightFM model trained and reloaded, {len(model.track_ids)} tracks"
