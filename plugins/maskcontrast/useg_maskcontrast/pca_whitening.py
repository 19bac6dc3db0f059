"""PCA with whitening (sklearn ``PCA(n_components, whiten=True).fit_transform`` semantics)."""
import torch


def pca_whiten(vectors, num_components):
    """``vectors (N, D)`` -> whitened principal components ``(N, num_components)`` (float64 maths).

    Centre, SVD, project onto the first ``num_components`` right singular vectors and divide by
    ``sqrt(explained variance)`` (variance with ``N - 1``). Signs follow sklearn's ``svd_flip``
    (largest absolute loading of each component positive) so results do not depend on the SVD
    backend. Components with zero variance stay zero.
    """
    data = vectors.double()
    count, dim = data.shape
    if num_components > min(count, dim):
        raise ValueError(f'num_components={num_components} exceeds min(N={count}, D={dim})')
    centred = data - data.mean(0, keepdim=True)
    left, singular, right_t = torch.linalg.svd(centred, full_matrices=False)
    largest = right_t.abs().argmax(1)
    signs = torch.sign(right_t[torch.arange(right_t.shape[0]), largest])
    signs[signs == 0] = 1
    projected = (left * signs) * singular
    std = singular / max(count - 1, 1) ** 0.5
    std = torch.where(std > 0, std, torch.ones_like(std))
    return (projected / std)[:, :num_components]
