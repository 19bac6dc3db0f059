"""First principal direction of sets of feature vectors, one set per image.

PriMaPs needs only the sign-carrying first right-singular vector of the centred available
features. The reference takes it from ``torch.pca_lowrank(X, q=3, niter=100)``, a randomised
subspace iteration whose sign follows the Householder-QR / SVD conventions of its steps (and
whether it works on ``X`` or ``X^T``). :func:`batched_first_principal_direction` runs the same
steps for many sets at once (each set zero-padded at the *bottom*, which leaves every Householder
reflection, hence every sign, unchanged), so it returns the directions ``pca_lowrank`` returns.
It iterates on the ``C x C`` (or ``N x N``, whichever is smaller) Gram matrix instead of the
``N x C`` rows (:func:`gram_subspace_iteration`), so the rows are read twice, not 201 times.

The mask extraction gives every image its own random stream seeded with :data:`START_SEED`
(:func:`image_start_stream` for the per-image loop, one generator per image in the batched one),
so an image's directions depend neither on the global seed nor on the rest of its batch.
"""
from contextlib import contextmanager

import torch

START_SEED = 0  # seed of every image's stream of subspace-iteration starts


@contextmanager
def image_start_stream(device):
    """Run the block on the global stream seeded with :data:`START_SEED` (``device``'s on CUDA),
    then restore the global random state: the reference's loop after ``torch.manual_seed(0)``."""
    devices = [device] if torch.device(device).type == 'cuda' else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(START_SEED)
        yield


def first_principal_direction(features, rank=3, niter=100):
    """``features (N, C)`` -> first principal direction ``(C,)`` via ``torch.pca_lowrank``."""
    rank = min(rank, *features.shape)
    return torch.pca_lowrank(features, q=rank, niter=niter)[2][:, 0]


def _orthonormal_basis(matrix):
    return torch.linalg.qr(matrix).Q


def _random_start(widths, columns, rank, generators, like):
    """``(b, columns, rank)`` Gaussian start, image ``i`` drawing ``randn(widths[i], rank)`` from
    ``generators[i]`` (None: the global stream).

    Drawing each image's block on its own, as ``pca_lowrank`` does, makes a batch of one consume
    the random stream exactly like ``pca_lowrank``.
    """
    start = torch.zeros(len(widths), columns, rank, dtype=like.dtype)
    for position, (width, source) in enumerate(zip(widths, generators)):
        device = source.device if source is not None else torch.device('cpu')
        start[position, :width] = torch.randn(width, rank, generator=source, dtype=like.dtype,
                                              device=device).cpu()
    return start.to(like.device)


def subspace_iteration(matrix, start, niter):
    """Halko et al. Alg. 4.4 on ``matrix (b, m, n)`` as ``pca_lowrank`` writes it: orthonormal
    basis ``(b, m, rank)`` (``start (b, n, rank)``)."""
    basis = _orthonormal_basis(matrix @ start)
    for _ in range(niter):
        basis = _orthonormal_basis(matrix.mT @ basis)
        basis = _orthonormal_basis(matrix @ basis)
    return basis


def gram_subspace_iteration(matrix, start, niter):
    """The basis of :func:`subspace_iteration`, iterating on the small Gram matrix.

    For upper-triangular ``T``, ``qr(M T).Q`` equals ``qr(M).Q`` up to column signs, and a
    Householder ``qr(M).Q`` does not change when columns of ``M`` change sign. One step of
    :func:`subspace_iteration`, ``P <- qr(A^T qr(A P).Q).Q``, is ``qr(A^T A P R^-1)`` with
    ``R`` upper triangular; so, up to column signs that do not reach the final
    ``qr(A P).Q``, it is ``P <- qr(G P).Q`` with ``G = A^T A`` (``n x n``, float64). ``matrix``
    is read twice instead of ``2 * niter + 1`` times; the last step runs on ``matrix`` itself, so
    the returned signs are its ``qr``'s. ``matrix (b, m, n)``, ``start (b, n, rank)`` ->
    ``(b, m, rank)``.
    """
    return _orthonormal_basis(matrix @ gram_right_basis(matrix, start, niter).to(matrix.dtype))


def gram_right_basis(matrix, start, niter):
    """The right basis ``(b, n, rank)`` (float64) that :func:`gram_subspace_iteration` ends with,
    before its last ``qr(matrix @ right)``: ``niter`` steps ``P <- qr(G P).Q``, ``G = A^T A``."""
    gram = (matrix.mT @ matrix).double()
    right = start.double()
    for _ in range(niter):
        right = _orthonormal_basis(gram @ right)
    return right


def reference_layout(rows):
    """Centred ``rows (N, C)`` laid out as ``pca_lowrank`` sees the reference's rows.

    The reference passes ``feat[:, available].T``, a column-major ``(N, C)`` view; its centred
    copy (``X - X.mean(-2)``) keeps that layout, and ``pca_lowrank`` works on its transpose
    (``(C, N)``, row-major) when ``N < C``. Returns that matrix (``(N, C)`` or ``(C, N)``).
    """
    column_major = rows.mT.contiguous().mT
    centred = column_major - column_major.mean(dim=-2, keepdim=True)
    return centred if len(rows) >= rows.shape[1] else centred.mH


def direction_from_right_basis(rows, right):
    """``pca_lowrank``'s last steps on one set: ``Q = qr(A P).Q``, ``svd(Q^T A)`` -> ``(C,)``.

    Run on :func:`reference_layout` in float32, as ``pca_lowrank`` runs them: the sign of the
    returned direction is decided by rounding-level terms of the nearly row-orthogonal
    ``Q^T A`` where the top singular values are close, so these steps must round as the
    reference's do. ``rows (N, C)``, ``right (N or C, rank)`` (the side ``pca_lowrank`` draws
    its start on).
    """
    matrix = reference_layout(rows)
    basis = _orthonormal_basis(matrix @ right.to(matrix.dtype))
    u, _, vh = torch.linalg.svd(basis.mH @ matrix, full_matrices=False)
    return vh[0] if len(rows) >= rows.shape[1] else basis @ u[:, 0]


def batched_first_principal_direction(features, counts, rank=3, niter=100, generator=None):
    """First principal directions of ``B`` row sets of different sizes.

    Args:
        features: ``(B, N, C)``; rows ``[0, counts[b])`` of set ``b`` are its vectors (in the
            order ``pca_lowrank`` would see them), the rest is padding and is ignored.
        counts: ``(B,)`` number of valid rows per set (at least 1).
        rank, niter: ``q`` and ``niter`` of ``torch.pca_lowrank``.
        generator: random stream of the subspace-iteration starts (on the features' device or
            the CPU): one generator for every set, a sequence of ``B`` (one per set), or None
            (the global stream, as ``pca_lowrank``).

    Returns:
        ``(B, C)`` directions, equal up to float rounding to ``first_principal_direction`` of
        each set drawing the same start.
    """
    batch, rows, channels = features.shape
    counts = counts.to(features.device)
    valid = torch.arange(rows, device=features.device)[None, :] < counts[:, None]
    mean = (features * valid[..., None]).sum(1, keepdim=True) / counts[:, None, None]
    centred = (features - mean) * valid[..., None]
    directions = features.new_zeros(batch, channels)
    tall = counts >= channels  # pca_lowrank works on X^T when X has fewer rows than columns
    ranks = counts.clamp(max=min(rank, channels))
    generators = (list(generator) if isinstance(generator, (list, tuple))
                  else [generator] * batch)
    for is_tall, q in sorted(set(zip(tall.tolist(), ranks.tolist()))):
        index = ((tall == is_tall) & (ranks == q)).nonzero().flatten()
        matrix = centred[index] if is_tall else centred[index].mT
        widths = [channels if is_tall else int(counts[image]) for image in index.tolist()]
        start = _random_start(widths, matrix.shape[-1], q,
                              [generators[image] for image in index.tolist()], matrix)
        right = gram_right_basis(matrix, start, niter)
        for position, (image, width) in enumerate(zip(index.tolist(), widths)):
            directions[image] = direction_from_right_basis(
                features[image, :int(counts[image])], right[position, :width])
    return directions
