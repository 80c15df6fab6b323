"""A synthetic catalog with realistic names, for benchmarks (deterministic for a seed)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

from app.models import TrackTags

FIRST_NAMES = ("Maria Anna John David Sarah James Laura Daniel Emma Lucas Sofia Noah Mia Leo Clara "
               "Hugo Elena Oscar Nina Felix Ada Ivan Yuki Kenji Amara Kofi Lena Paolo Ines Omar "
               "Freya Tomas Aiko Rafael Zoe Mateo Ingrid Sami Alma Viktor").split()
LAST_NAMES = ("Lindqvist Moreau Okafor Tanaka Novak Rossi Fischer Haddad Kowalski Silva Jensen "
              "Murphy Dubois Petrov Garcia Nakamura Berg Costa Walsh Adeyemi Sato Larsen Romero "
              "Keller Byrne Mendes Horvat Quinn Vega Aalto").split()
ADJECTIVES = ("Velvet Electric Silent Golden Broken Crimson Hollow Neon Wild Lonely Midnight Paper "
              "Glass Burning Frozen Distant Hidden Endless Lucky Restless Bitter Sweet Northern "
              "Southern Little Savage Gentle Cosmic Rusty Blue Black White Violet Amber Iron Silver "
              "Empty Holy Lost Faded Bright Dark Quiet Loud Secret Sacred Strange Final").split()
NOUNS = ("Harbor Echo River Garden Machine Kingdom Parade Ocean Signal Mirror Desert Engine Orchard "
         "Comet Lantern Forest Station Canyon Circus Island Tiger Wolves Ghosts Horses Sparrows "
         "Radio Highway Cathedral Valley Thunder Motel Satellite Window Shadow Winter Summer "
         "Fever Heart Dream Storm Fire Rain Road City Light Night Sky Stone Wave Dust Bones").split()
VERBS = ("Hold Call Chase Burn Follow Carry Break Wake Dance Run Fall Dream Wait Shine Drive Stay "
         "Hide Sing Leave Remember Forget Find Lose Keep Save Turn Bring Meet Touch Walk").split()
GENRES = ("Rock Pop Jazz Electronic Hip-Hop Folk Classical Metal Indie Ambient Soul Blues "
          "Country Reggae Punk Funk House Techno Latin R&B").split()
CODECS = (("mp3", 320), ("flac", 900), ("aac", 256), ("opus", 160), ("vorbis", 192))


def _artist_name(rng: random.Random) -> str:
    style = rng.random()
    if style < 0.35:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if style < 0.7:
        return f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    if style < 0.85:
        return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    return f"{rng.choice(NOUNS)} {rng.choice(['Collective', 'Trio', 'Orchestra', 'Club', 'Society'])}"


def _title(rng: random.Random) -> str:
    style = rng.random()
    if style < 0.3:
        return f"{rng.choice(VERBS)} the {rng.choice(NOUNS)}"
    if style < 0.6:
        return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    if style < 0.8:
        return f"{rng.choice(NOUNS)} of {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}s"
    return f"{rng.choice(VERBS)} {rng.choice(['Me', 'You', 'Away', 'Home', 'On', 'Again'])}"


def synthetic_catalog(tracks: int, artists: int = 10_000, albums: int = 25_000,
                        seed: int = 1) -> Iterator[TrackTags]:
    """tracks rows spread over `albums` albums by `artists` artists (scaled down for small runs)."""
    rng = random.Random(seed)
    artists = max(1, min(artists, tracks // 10 or 1))
    albums = max(artists, min(albums, tracks // 4 or 1))
    artist_names = [_artist_name(rng) + (f" {n}" if n >= len(FIRST_NAMES) * len(LAST_NAMES) else "")
                    for n in range(artists)]
    album_rows = []
    for n in range(albums):
        album_rows.append((f"{_title(rng)}", artist_names[n % artists], rng.choice(GENRES),
                           rng.randint(1960, 2025)))
    for n in range(tracks):
        album, artist, genre, year = album_rows[n % albums]
        codec, bitrate = rng.choice(CODECS)
        duration = rng.randint(90_000, 420_000)
        yield TrackTags(
            location=f"/bench/{artist}/{album}/{n:06d}.{codec}", title=_title(rng), artist=artist,
            album=album, album_artist=artist, track_no=n // albums + 1, disc_no=1, year=year,
            genres=(genre,), duration_ms=duration, codec=codec, bitrate_kbps=bitrate,
            # files gathered over ten years, as a collection this size is
            size=duration * bitrate // 8, mtime=time.time() - rng.uniform(0, 10 * 365 * 86400),
        )


def search_queries(seed: int = 1) -> list[str]:
    """A dozen queries a person would type: artists, titles, albums, genres, mixed."""
    return ["the velvet harbor", "maria lindqvist", "midnight", "love", "hold the light",
            "electronic", "neon river", "jazz", "kenji tanaka", "broken mirror", "summer",
            "silent parade"]
