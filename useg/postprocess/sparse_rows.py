"""A fixed sparse matrix applied to dense tables through ``embedding_bag`` (CPU or CUDA)."""
import warnings

import torch
import torch.nn.functional as F


class SparseRows:
    """Sparse ``(R, C)`` matrix in compressed rows: row ``i`` holds ``weights[j]`` at column
    ``indices[j]`` for ``offsets[i] <= j < offsets[i + 1]``.

    ``rows(table (C, V))`` -> ``(R, V)`` float32 (``embedding_bag`` sum with per-entry weights: a
    gather-and-accumulate kernel, no scatter; empty rows give 0).
    """

    def __init__(self, indices, offsets, weights, num_columns):
        self.indices, self.offsets, self.weights = indices, offsets, weights.float()
        self.num_columns = num_columns

    @property
    def num_rows(self):
        return len(self.offsets) - 1

    def __call__(self, table):
        return F.embedding_bag(self.indices, table, self.offsets, mode='sum',
                               per_sample_weights=self.weights, include_last_offset=True)

    def row_of_entries(self):
        """``(nnz,)`` row of every entry."""
        return torch.repeat_interleave(torch.arange(self.num_rows, device=self.offsets.device),
                                       self.offsets.diff())

    def scaled(self, rows=None, columns=None):
        """``diag(rows) @ self @ diag(columns)`` (either ``None`` = identity)."""
        weights = self.weights
        if rows is not None:
            weights = weights * rows[self.row_of_entries()]
        if columns is not None:
            weights = weights * columns[self.indices]
        return SparseRows(self.indices, self.offsets, weights, self.num_columns)

    def to_csr(self):
        with warnings.catch_warnings():  # "sparse CSR support is in beta"
            warnings.simplefilter('ignore', UserWarning)
            return torch.sparse_csr_tensor(self.offsets, self.indices, self.weights,
                                           (self.num_rows, self.num_columns))

    @classmethod
    def from_csr(cls, matrix):
        return cls(matrix.col_indices(), matrix.crow_indices(), matrix.values(), matrix.shape[1])

    def compact(self):
        """The same matrix with int32 indices where they fit (smaller, as fast)."""
        if len(self.indices) >= 2 ** 31 or self.num_columns >= 2 ** 31:
            return self
        return SparseRows(self.indices.int(), self.offsets.int(), self.weights, self.num_columns)
