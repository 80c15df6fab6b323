"""The LightFM hybrid baseline as its authors describe it: each item is its own identity feature
plus its tags (TF-IDF), WARP loss. Prelude's recommender uses LightFM too, without the identity
feature and blended with other parts: this measures what that blend adds."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from app.recommend.content import normalise_rows, tfidf
from app.recommend.evaluation.baselines import log_weights
from app.recommend.evaluation.matrices import EvalData
from app.recommend.evaluation.tunable import Tunable
from app.recommend.lightfm_model import LightFMSettings, train_feature_vectors


class LightFMHybrid(Tunable):
    defaults = {"identity": False, "components": 64, "epochs": 30, "learning_rate": 0.05}
    search = {"warm": {"identity": (True, False), "components": (32, 64, 128),
                       "epochs": (10, 30, 60), "learning_rate": (0.02, 0.05, 0.1)},
              "cold": {"components": (32, 64, 128), "epochs": (10, 30, 60),
                       "learning_rate": (0.02, 0.05, 0.1)}}

    def fit(self, data: EvalData) -> None:
        params = self.params
        features = tfidf(data.item_tags)
        if params["identity"]:
            identity = sparse.identity(features.shape[0], dtype=np.float32, format="csr")
            features = normalise_rows(sparse.hstack([identity, features]).tocsr())
        settings = LightFMSettings(components=params["components"], epochs=params["epochs"],
                                   learning_rate=params["learning_rate"])
        vectors = train_feature_vectors(log_weights(data.train).tocoo(), features, settings)
        biases, embeddings = vectors.item_vectors(features)
        self.users = vectors.user_embeddings
        self.embeddings, self.biases = embeddings[data.candidates], biases[data.candidates]

    def score(self, users: np.ndarray) -> np.ndarray:
        return self.users[users] @ self.embeddings.T + self.biases
