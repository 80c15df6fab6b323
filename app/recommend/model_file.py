"""Saving and loading the trained model: one .npz file, versioned, written atomically.

No pickles: only arrays are read back (allow_pickle=False), so a damaged or planted file can
only fail to load. A file that fails any check raises ModelDamaged and is retrained from history.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from app.recommend.hybrid import HybridModel
from app.recommend.lightfm_model import FeatureVectors

MODEL_VERSION = 2  # 2: everyone's taste ("common") is saved


class ModelDamaged(Exception):
    """The model file is unreadable, from another version, or inconsistent."""


class ModelOutdated(ModelDamaged):
    """The model file is whole but written by a Prelude whose model had other parts."""


@dataclass
class TrainedModel:
    hybrid: HybridModel
    track_ids: np.ndarray  # one per item row
    feature_names: list[str]  # one per feature column
    plays: int  # finished plays in history when it was trained
    trained_at: float
    fit_seconds: float

    @property
    def person_vector(self) -> np.ndarray:
        return self.hybrid.vectors.user_embeddings[-1]


def save_model(model: TrainedModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    hybrid = model.hybrid
    arrays = {
        "version": np.array(MODEL_VERSION),
        "track_ids": model.track_ids,
        "feature_names": np.array(model.feature_names, dtype=np.str_),
        "embeddings": hybrid.vectors.embeddings,
        "biases": hybrid.vectors.biases,
        # Only the person's own row: the sessions' and playlists' vectors are not needed later.
        "person": hybrid.vectors.user_embeddings[-1:],
        "played": hybrid.played,
        "prior": hybrid.prior,
        "common": hybrid.common,
        "meta": np.array([model.plays, model.trained_at, model.fit_seconds], dtype=np.float64),
    }
    for name, matrix in (("features", hybrid.features), ("neighbours", hybrid.neighbours)):
        arrays[f"{name}_data"] = matrix.data
        arrays[f"{name}_indices"] = matrix.indices
        arrays[f"{name}_indptr"] = matrix.indptr
        arrays[f"{name}_shape"] = np.array(matrix.shape)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a save that was killed
        if stale != temporary:
            stale.unlink(missing_ok=True)
    try:
        with temporary.open("wb") as out:
            np.savez(out, **arrays)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def load_model(path: Path) -> TrainedModel:
    try:
        with np.load(path, allow_pickle=False) as stored:
            version = int(stored["version"])
            if version != MODEL_VERSION:  # a newer one: this Prelude cannot know its parts
                raise (ModelOutdated if version < MODEL_VERSION else ModelDamaged)(
                    f"model version {version}, expected {MODEL_VERSION}")
            features = _csr(stored, "features")
            neighbours = _csr(stored, "neighbours")
            vectors = FeatureVectors(stored["embeddings"], stored["biases"], stored["person"])
            track_ids = stored["track_ids"]
            plays, trained_at, fit_seconds = stored["meta"]
            hybrid = HybridModel(features, vectors, neighbours, stored["played"], stored["prior"],
                                  stored["common"])
            names = [str(name) for name in stored["feature_names"]]
    except ModelDamaged:
        raise
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, TypeError, IndexError) as error:
        raise ModelDamaged(f"cannot read {path.name}: {error}") from None
    items, feature_count = features.shape
    if not (len(track_ids) == items == neighbours.shape[0] == neighbours.shape[1] == len(hybrid.played)
            and feature_count == len(names) == len(hybrid.common) == len(vectors.biases)
            and feature_count == vectors.embeddings.shape[0]
            and vectors.user_embeddings.shape == (1, vectors.embeddings.shape[1])):
        raise ModelDamaged(f"{path.name} is inconsistent (sizes do not match)")
    return TrainedModel(hybrid, track_ids, names, int(plays), float(trained_at), float(fit_seconds))


def _csr(stored, name: str) -> sparse.csr_matrix:
    shape = tuple(int(size) for size in stored[f"{name}_shape"])
    return sparse.csr_matrix(
        (stored[f"{name}_data"], stored[f"{name}_indices"], stored[f"{name}_indptr"]), shape=shape)
