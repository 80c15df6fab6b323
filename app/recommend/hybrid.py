"""Prelude's recommender: LightFM feature vectors, item neighbours and content similarity, blended.

Each part answers differently well: LightFM (trained on features only) generalises across
artists that share tags; item neighbours capture "people who played this also played that"
precisely where there is evidence; content similarity scaled by a popularity prior is the best
guess for an item nobody has played. For one person (a profile: item -> weight, negative for
skips) each part scores the candidates, each score is standardised over the candidates, and the
blend weighs them. An item with no plays in training has no neighbours and a LightFM vector made
only of its features, so its content part weighs `cold_content`. Content likeness is measured
against what sets a person apart: `common_taste` of everyone's taste (what the training rows
played, as features) is taken out of theirs first, so the tags every listener shares ("rock",
"seen live") stop deciding whom an unplayed artist suits. Before that, unplayed items filled the
top of warm lists, and a person's own list (For You) held them back by `unplayed_offset`
standard deviations; with it, tuning holds them back by nothing (the setting stays, searched). A
radio or autoplay, scored from its seed, is never held back: likeness to the seed is the point.
The weights are chosen by `prelude eval-recommender --tune` on a validation split of the Last.fm
data set (README, "Recommender quality").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from app.recommend.content import normalise_rows, tfidf
from app.recommend.lightfm_model import FeatureVectors, LightFMSettings, train_feature_vectors
from app.recommend.neighbours import cosine_neighbours


@dataclass(frozen=True)
class BlendWeights:
    """Chosen by `eval-recommender --tune` (warm: neighbours, content, unplayed_offset; cold:
    common_taste, cold_content, popularity_exponent) on seed 2011's validation split; lightfm
    is the scale."""

    lightfm: float = 1.0
    neighbours: float = 0.25
    content: float = 0.25
    cold_content: float = 1.0
    popularity_exponent: float = 0.8
    unplayed_offset: float = 0.0
    common_taste: float = 0.6


@dataclass
class HybridModel:
    features: sparse.csr_matrix  # items x features, TF-IDF rows of length 1
    vectors: FeatureVectors
    neighbours: sparse.csr_matrix  # items x items
    played: np.ndarray  # bool per item: had plays in training
    prior: np.ndarray  # popularity prior per item (>= 0)
    common: np.ndarray  # everyone's taste: features, length 1 (all 0 with nothing played)
    weights: BlendWeights = BlendWeights()

    def __post_init__(self):
        self._biases, self._embeddings = self.vectors.item_vectors(self.features)
        self._commonness = np.asarray(self.features @ self.common, dtype=np.float32)  # per item

    @property
    def item_count(self) -> int:
        return self.features.shape[0]

    def parts(self, profiles: sparse.csr_matrix, candidates: np.ndarray,
              rows: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Raw scores of each part, people x candidates; `profiles` is people x items. `rows`:
        the people's rows in training, whose learned vectors LightFM then uses; without them
        (a radio seed, a profile never trained on) a person is the mean of their items' vectors."""
        if rows is not None:
            people = self.vectors.user_embeddings[rows]  # -1: the person, in the app's model
        else:
            positive = profiles.copy()
            positive.data = np.clip(positive.data, 0, None)
            totals = np.asarray(positive.sum(axis=1)).ravel()
            totals[totals == 0] = 1.0
            people = np.asarray(positive @ self._embeddings) / totals[:, None]
        everything = len(candidates) == self.item_count  # slicing a 100k-column matrix costs
        embeddings = self._embeddings if everything else self._embeddings[candidates]
        lightfm = people @ embeddings.T + self._biases[candidates]
        neighbours_matrix = self.neighbours if everything else self.neighbours[:, candidates]
        neighbours = (profiles @ neighbours_matrix).toarray()
        taste = normalise_rows(profiles @ self.features)
        features = self.features if everything else self.features[candidates]
        content = (taste @ features.T).toarray()
        content -= self.weights.common_taste * self._commonness[candidates]
        content *= (1.0 + self.prior[candidates]) ** self.weights.popularity_exponent
        return {"lightfm": lightfm, "neighbours": neighbours, "content": content}

    def score(self, profiles: sparse.csr_matrix, candidates: np.ndarray,
              rows: np.ndarray | None = None) -> np.ndarray:
        """people x candidates; higher is better."""
        parts = self.parts(profiles, candidates, rows)
        weights = self.weights
        content_weight = np.where(self.played[candidates], weights.content, weights.cold_content)
        blend = (weights.lightfm * _standardise(parts["lightfm"])
                 + weights.neighbours * _standardise(parts["neighbours"])
                 + content_weight * _standardise(parts["content"]))
        if rows is not None:  # a person's own list; a radio's seed decides by likeness alone
            blend -= weights.unplayed_offset * ~self.played[candidates]
        return blend


def train_hybrid(
    interactions: sparse.csr_matrix,
    feature_counts: sparse.csr_matrix,
    prior: np.ndarray | None = None,
    settings: LightFMSettings = LightFMSettings(),
    start_from: FeatureVectors | None = None,
    should_stop=lambda: False,
    related_by: sparse.csr_matrix | None = None,
) -> HybridModel:
    """`interactions`: (pseudo-)users x items, positive weights. `feature_counts`: items x
    features. `start_from`: feature vectors of an earlier model, rows aligned to the features.
    `related_by`: the rows item neighbours are learned from, when not all of them (a row of
    everything one person ever played relates everything to everything)."""
    features = tfidf(feature_counts)
    vectors = train_feature_vectors(interactions.tocoo(), features, settings, start_from, should_stop)
    played = np.asarray((interactions > 0).sum(axis=0)).ravel() > 0
    return HybridModel(
        features=features,
        vectors=vectors,
        neighbours=cosine_neighbours(interactions if related_by is None else related_by),
        played=played,
        prior=np.zeros(features.shape[0], np.float32) if prior is None else prior.astype(np.float32),
        common=common_taste(interactions, features),
    )


def common_taste(interactions: sparse.csr_matrix, features: sparse.csr_matrix) -> np.ndarray:
    """Everyone's taste, length 1: the features of what the rows played, each play weighted as
    in the rows (so an artist many people play weighs as much as they do)."""
    total = sparse.csr_matrix(np.asarray(interactions.sum(axis=0)).astype(np.float32)) @ features
    return normalise_rows(total.tocsr()).toarray().ravel().astype(np.float32)


def _standardise(values: np.ndarray) -> np.ndarray:
    """Each row to mean 0, spread 1 (a row with no spread becomes all 0)."""
    values = np.asarray(values, dtype=np.float32)
    spread = values.std(axis=1, keepdims=True)
    spread[(spread == 0) | ~np.isfinite(spread)] = np.inf
    return (values - values.mean(axis=1, keepdims=True)) / spread
