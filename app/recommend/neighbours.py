"""Item-to-item similarity from co-occurrence: cosine over who (or which session) played what."""

from __future__ import annotations

import numpy as np
from scipy import sparse

KEEP_PER_ITEM = 100  # strongest neighbours kept per item; bounds memory at 100k tracks


def cosine_neighbours(interactions: sparse.csr_matrix, keep: int = KEEP_PER_ITEM) -> sparse.csr_matrix:
    """items x items, each row the item's `keep` most similar items (itself excluded)."""
    binary = interactions.tocsc(copy=True).astype(np.float32)
    binary.data[:] = 1.0
    norms = np.sqrt(np.asarray(binary.sum(axis=0)).ravel())
    norms[norms == 0] = 1.0
    normalised = (binary @ sparse.diags(1.0 / norms)).tocsc()
    similarity = (normalised.T @ normalised).tocsr()
    similarity.setdiag(0)
    similarity.eliminate_zeros()
    return top_per_row(similarity, keep)


def top_per_row(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    indptr, indices, data = [0], [], []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        values = matrix.data[start:end]
        columns = matrix.indices[start:end]
        if len(values) > keep:
            best = np.argpartition(-values, keep)[:keep]
            values, columns = values[best], columns[best]
        indices.append(columns)
        data.append(values)
        indptr.append(indptr[-1] + len(values))
    return sparse.csr_matrix(
        (np.concatenate(data) if data else np.zeros(0, np.float32),
         np.concatenate(indices) if indices else np.zeros(0, np.int32),
         np.array(indptr)),
        shape=matrix.shape,
    )
