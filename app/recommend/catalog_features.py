"""Item features from the library's own metadata, so a track nobody played still has a place.

Each track is described by its artist, album artist, album, genres, decade and a duration bucket
(and tags, where a server gives them as genres). Names are compared case-folded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from app.store.database import Database
from app.store.recommender_inputs import catalog_rows

DURATION_BUCKETS_S = (120, 210, 300, 420, 600)  # short, radio length, long, very long...


@dataclass
class CatalogFeatures:
    track_ids: np.ndarray  # one per row, ascending
    names: list[str]  # one per column
    counts: sparse.csr_matrix  # tracks x features
    artists: list[str]  # one per row: for "no artist twice in a row"
    added_at: np.ndarray  # one per row: for "newest" when nothing is known yet
    popularity: np.ndarray  # one per row: the server's play count (0 when it does not say)

    def row_of(self) -> dict[int, int]:
        return {int(track_id): row for row, track_id in enumerate(self.track_ids)}


def read_catalog_features(db: Database) -> CatalogFeatures:
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    track_ids, artists, added, popularity = [], [], [], []
    for row_number, row in enumerate(catalog_rows(db)):
        track_ids.append(row["id"])
        artists.append(_fold(row["artist"] or row["album_artist"]))
        added.append(row["added_at"] or 0.0)
        popularity.append(row["server_play_count"] or 0)
        for name in _features_of(row):
            column = vocabulary.setdefault(name, len(vocabulary))
            rows.append(row_number)
            columns.append(column)
    counts = sparse.csr_matrix(
        (np.ones(len(rows), np.float32), (rows, columns)), shape=(len(track_ids), len(vocabulary)))
    counts.sum_duplicates()
    return CatalogFeatures(np.array(track_ids, dtype=np.int64), list(vocabulary), counts,
                             artists, np.array(added, dtype=np.float64),
                             np.array(popularity, dtype=np.float32))


def _features_of(row) -> list[str]:
    features = []
    artist = _fold(row["artist"])
    album_artist = _fold(row["album_artist"])
    if artist:
        features.append(f"artist:{artist}")
    if album_artist and album_artist != artist:
        features.append(f"album_artist:{album_artist}")
    album = _fold(row["album"])
    if album:
        features.append(f"album:{row['album_id'] or ''}:{album_artist or artist}:{album}")
    for genre in (row["genre"] or "").split(";"):
        if genre := _fold(genre):
            features.append(f"genre:{genre}")
    if row["year"]:
        features.append(f"decade:{row['year'] // 10 * 10}")
    if row["duration_ms"]:
        seconds = row["duration_ms"] / 1000
        bucket = sum(seconds > limit for limit in DURATION_BUCKETS_S)
        features.append(f"duration:{bucket}")
    return features


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())
