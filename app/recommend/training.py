"""Training the recommender from this library's history, playlists, stars and metadata."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy import sparse

from app.recommend.catalog_features import read_catalog_features
from app.recommend.hybrid import train_hybrid
from app.recommend.lightfm_model import FeatureVectors, LightFMSettings
from app.recommend.model_file import ModelDamaged, TrainedModel, load_model, save_model
from app.recommend.signals import read_signals
from app.store.database import Database


def train_from_library(db: Database, previous: TrainedModel | None = None,
                       settings: LightFMSettings = LightFMSettings(),
                       should_stop=lambda: False) -> TrainedModel:
    """Reads what it needs in one go (short read transactions), then trains with no database."""
    started = time.perf_counter()
    catalog = read_catalog_features(db)
    signals = read_signals(db)
    row_of = catalog.row_of()
    users = [*signals.pseudo_users, {track: w for track, w in signals.person.items() if w > 0}]
    rows, columns, weights = [], [], []
    for user, items in enumerate(users):
        for track_id, weight in items.items():
            if track_id in row_of and weight > 0:
                rows.append(user)
                columns.append(row_of[track_id])
                weights.append(np.log1p(weight))  # diminishing returns on the 50th play
    interactions = sparse.csr_matrix(
        (np.array(weights, np.float32), (rows, columns)), shape=(len(users), len(catalog.track_ids)))
    interactions.sum_duplicates()
    start_from = _aligned(previous, catalog.names, settings.components)
    if start_from is not None:  # resuming: the vectors are most of the way there already
        settings = replace(settings, epochs=max(1, settings.epochs // 2))
    hybrid = train_hybrid(interactions, catalog.counts, prior=catalog.popularity, settings=settings,
                          start_from=start_from, should_stop=should_stop,
                          related_by=interactions[:-1])  # sessions and playlists, not the person
    return TrainedModel(hybrid, catalog.track_ids, catalog.names, signals.plays, time.time(),
                        time.perf_counter() - started)


def retrain_and_save(db: Database, model_path) -> TrainedModel:
    """Train from the library, resuming from the model at `model_path` when it is readable,
    and replace that file atomically with the new one."""
    path = Path(model_path)
    try:
        previous = load_model(path) if path.exists() else None
    except ModelDamaged:
        previous = None  # a damaged model is replaced, not resumed from
    model = train_from_library(db, previous)
    save_model(model, path)
    return model


def _aligned(previous: TrainedModel | None, names: list[str], components: int) -> FeatureVectors | None:
    """The previous model's feature vectors, moved to the new feature order (NaN where new)."""
    if previous is None:
        return None
    old = {name: row for row, name in enumerate(previous.feature_names)}
    vectors = previous.hybrid.vectors
    if vectors.embeddings.shape[1] != components:
        return None
    embeddings = np.full((len(names), vectors.embeddings.shape[1]), np.nan, np.float32)
    biases = np.full(len(names), np.nan, np.float32)
    for row, name in enumerate(names):
        if (old_row := old.get(name)) is not None:
            embeddings[row] = vectors.embeddings[old_row]
            biases[row] = vectors.biases[old_row]
    return FeatureVectors(embeddings, biases, vectors.user_embeddings)
