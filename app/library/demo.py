"""A small demo library, made on first run when no music is found anywhere.

Five invented artists, ten albums, forty short synthesized tracks (FLAC with real tags and
genres, a cover image per album), labelled "Prelude Demo" (the label tag, a marker file, and the
window's banner; the album titles stay clean so the covers and cards read as albums), so a new
user can try every feature before pointing Prelude at their own music.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from app.library.demo_covers import demo_cover
from app.library.tags import write_tags

SAMPLE_RATE = 22050
DEMO_LABEL = "Prelude Demo"
MARKER_FILE = "PRELUDE-DEMO-LIBRARY.txt"


@dataclass(frozen=True)
class DemoArtist:
    name: str
    genre: str
    albums: tuple[str, str]
    root_hz: float
    tempo_bpm: int
    wave: str  # sine, square, triangle, saw, pluck
    colour: tuple[int, int, int]
    titles: tuple[str, ...]  # four per album


ARTISTS = (
    DemoArtist("Aurora Drift", "Ambient", ("Slow Tides", "Northern Quiet"), 220.0, 60, "sine",
               (70, 110, 170), ("First Light", "Open Water", "Drifting Ice", "Low Cloud",
                                "Snowfield", "Polar Night", "Aurora", "Still Lake")),
    DemoArtist("Pixel Parade", "Chiptune", ("Eight Bit Summer", "Level Select"), 330.0, 150,
               "square", (200, 80, 140), ("Insert Coin", "Beach Stage", "Power Up", "High Score",
                                          "World 1-1", "Boss Rush", "Continue?", "Credits")),
    DemoArtist("The Blue Note Trio", "Jazz", ("Late Set", "Brushes and Smoke"), 196.0, 100,
               "triangle", (40, 60, 120), ("Last Call", "Blue Hour", "Walking Bass", "After Midnight",
                                           "Smoke Rings", "Soft Shoe", "Brushwork", "Round About")),
    DemoArtist("Hollow Pines", "Folk", ("Woodsmoke", "River Songs"), 261.6, 90, "pluck",
               (120, 90, 50), ("Lantern", "Homeward", "Kindling", "Old Road",
                               "Ferryman", "Willow Bend", "Far Shore", "Delta Rain")),
    DemoArtist("Circuit Garden", "Electronic", ("Voltage Bloom", "Night Transit"), 110.0, 124,
               "saw", (30, 150, 120), ("Photosynth", "Green Wire", "Pollen Drive", "Capacitor",
                                       "Last Train", "Overpass", "Neon Rain", "Terminal")),
)
TRACK_SECONDS = 24
MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11, 12)


def _oscillator(kind: str, phase: np.ndarray) -> np.ndarray:
    if kind == "square":
        return np.sign(np.sin(phase)) * 0.5
    if kind == "triangle":
        return 2 / math.pi * np.arcsin(np.sin(phase))
    if kind == "saw":
        return ((phase / math.pi) % 2.0) - 1.0
    return np.sin(phase)


def synthesize(artist: DemoArtist, seed: int, seconds: int = TRACK_SECONDS) -> np.ndarray:
    """A short melody over a drone, different per artist and per track (deterministic)."""
    rng = np.random.default_rng(seed)
    beat = 60.0 / artist.tempo_bpm
    notes_per_track = int(seconds / beat)
    pieces = []
    for _ in range(notes_per_track):
        step = MAJOR_SCALE[int(rng.integers(0, len(MAJOR_SCALE)))]
        freq = artist.root_hz * 2 ** (step / 12)
        t = np.arange(int(beat * SAMPLE_RATE)) / SAMPLE_RATE
        envelope = np.exp(-t * (6.0 if artist.wave == "pluck" else 1.5))
        pieces.append(_oscillator(artist.wave, 2 * math.pi * freq * t) * envelope)
    melody = np.concatenate(pieces)
    t = np.arange(melody.size) / SAMPLE_RATE
    drone = 0.3 * np.sin(2 * math.pi * artist.root_hz / 2 * t)
    signal = 0.6 * melody + drone
    fade = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.5)  # half-second fades
    return (signal * fade * 0.5).astype(np.float32)


def create_demo_library(target: Path) -> Path:
    """Write the demo library under target (replacing an incomplete one) and return it."""
    if (target / MARKER_FILE).exists():
        return target
    if target.exists():
        shutil.rmtree(target)
    staging = target.with_name(target.name + ".part")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    seed = 0
    for artist_index, artist in enumerate(ARTISTS):
        for album_index, album in enumerate(artist.albums):
            folder = staging / artist.name / album
            folder.mkdir(parents=True)
            colour = tuple(min(255, c + 40 * album_index) for c in artist.colour)
            (folder / "cover.png").write_bytes(demo_cover(album, artist.name, artist.wave, colour, seed))
            titles = artist.titles[album_index * 4:album_index * 4 + 4]
            for number, title in enumerate(titles, start=1):
                seed += 1
                path = folder / f"{number:02d} {title}.flac"
                soundfile.write(path, synthesize(artist, seed), SAMPLE_RATE, format="FLAC")
                write_tags(
                    path, title=title, artist=artist.name, albumartist=artist.name,
                    album=album, genre=artist.genre,
                    tracknumber=str(number), date=str(2019 + artist_index + album_index),
                    organization=DEMO_LABEL,
                )
    (staging / MARKER_FILE).write_text(
        "Synthesized demo music made by Prelude on first run. Safe to delete.\n", encoding="utf-8")
    staging.rename(target)  # all or nothing: an interrupted run is redone next time
    return target
