"""Content similarity: items as TF-IDF vectors of their features (tags, artist, genre...)."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def tfidf(feature_counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows normalised to length 1; counts damped with log1p, rare features weigh more."""
    counts = feature_counts.tocsr(copy=True).astype(np.float32)
    document_frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log(counts.shape[0] / (1.0 + document_frequency)).astype(np.float32)
    idf[idf < 0] = 0.0
    counts.data = np.log1p(counts.data)
    return normalise_rows((counts @ sparse.diags(idf)).tocsr())


def normalise_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ matrix).tocsr()
