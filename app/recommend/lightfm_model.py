"""The LightFM part of the recommender: the only module that imports `lightfm`.

Items are described by their features only (artist, album, genres, decade, tags...), without a
per-item identity feature: on the Last.fm evaluation an identity feature made warm NDCG@10 worse
(validation split: 0.167 against 0.199), and it cannot help an item nobody has played. An item's
vector is the sum of its features' vectors, so a new track gets a place from its metadata alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class LightFMSettings:
    components: int = 64
    epochs: int = 30
    learning_rate: float = 0.05
    item_alpha: float = 1e-6
    max_sampled: int = 30
    threads: int = 2
    seed: int = 1


@dataclass
class FeatureVectors:
    """What training leaves behind: one vector and one bias per feature."""

    embeddings: np.ndarray  # features x components, float32
    biases: np.ndarray  # features, float32
    user_embeddings: np.ndarray  # training rows x components: what each (pseudo-)user liked

    def item_vectors(self, item_features: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """(item biases, item embeddings) for items described by `item_features`."""
        return (
            np.asarray(item_features @ self.biases, dtype=np.float32),
            np.asarray(item_features @ self.embeddings, dtype=np.float32),
        )


def train_feature_vectors(
    interactions: sparse.coo_matrix,
    item_features: sparse.csr_matrix,
    settings: LightFMSettings,
    start_from: FeatureVectors | None = None,
    should_stop=lambda: False,
) -> FeatureVectors:
    """WARP on (pseudo-)users x items, weighted by `interactions`' values. With `start_from`
    (rows aligned to `item_features`' columns, NaN rows for new features), training resumes
    from the previous model's feature vectors instead of from noise."""
    from lightfm import LightFM

    model = LightFM(
        no_components=settings.components,
        loss="warp",
        learning_rate=settings.learning_rate,
        item_alpha=settings.item_alpha,
        max_sampled=settings.max_sampled,
        random_state=settings.seed,
    )
    users = sparse.identity(interactions.shape[0], dtype=np.float32, format="csr")
    if start_from is not None:
        # LightFM has no public warm start; _initialize is what fit_partial runs the first time.
        model._initialize(settings.components, item_features.shape[1], interactions.shape[0])
        known = ~np.isnan(start_from.biases)
        model.item_embeddings[known] = start_from.embeddings[known]
        model.item_biases[known] = start_from.biases[known]
    weights = interactions.tocoo()
    binary = sparse.coo_matrix((np.ones_like(weights.data), (weights.row, weights.col)), shape=weights.shape)
    for _ in range(settings.epochs):
        if should_stop():
            raise TrainingCancelled()
        model.fit_partial(binary, user_features=users, item_features=item_features,
                          sample_weight=weights, epochs=1, num_threads=settings.threads)
    return FeatureVectors(model.item_embeddings.copy(), model.item_biases.copy(),
                          model.user_embeddings.copy())


class TrainingCancelled(Exception):
    """Training stopped because the app is closing or a newer training superseded it."""
