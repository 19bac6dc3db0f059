"""EiCue: the smallest eigenvectors of a Laplacian built from code affinity plus colour affinity."""
import torch
import torch.nn.functional as F

DEGREE_EPS = 1e-12


def color_affinity(images, size, sigma=0.1, divisor=255.0):
    """Dense colour affinity of ``images (B, 3, H, W)`` resized to ``size`` -> ``(B, n, n)``.

    Pixels (bilinear resize, row-major, divided by ``divisor``) ``p_i`` give
    ``exp(-||p_i - p_j||^2 / (2 sigma^2))``, ``n = size[0] * size[1]``.
    """
    resized = F.interpolate(images, size=tuple(size), mode='bilinear', align_corners=False)
    pixels = resized.flatten(2).transpose(1, 2) / divisor
    distance = torch.cdist(pixels, pixels)
    return torch.exp(-distance ** 2 / (2 * sigma ** 2))


def eicue_laplacian(code, color):
    """Symmetric normalised Laplacian ``(B, n, n)`` of code ``(B, D, h, w)`` and ``color (B, n, n)``.

    ``W = max(Z Z^T, 0) / max + color / max`` (one maximum per image; an image whose code affinity
    has no positive entry keeps only the colour term), ``L = D^-1/2 (D - W) D^-1/2``.
    """
    tokens = code.flatten(2).transpose(1, 2)
    affinity = (tokens @ tokens.transpose(1, 2)).clamp(min=0)
    peak = affinity.amax(dim=(1, 2), keepdim=True)
    affinity = torch.where(peak > 0, affinity / peak.clamp(min=torch.finfo(peak.dtype).tiny),
                           torch.zeros_like(affinity))
    weights = affinity + color / color.amax(dim=(1, 2), keepdim=True)
    degree = weights.sum(-1)
    degree = torch.where(degree < DEGREE_EPS, torch.ones_like(degree), degree)
    scale = 1 / degree.sqrt()
    laplacian = torch.diag_embed(degree) - weights
    return scale[:, :, None] * laplacian * scale[:, None, :]


def flip_eigenvector_signs(eigenvectors):
    """Per image negate the whole ``(n, K)`` block of ``eigenvectors (B, n, K)`` when the fraction
    of positive entries lies strictly between 0.5 and 1."""
    positive = (eigenvectors > 0).float().mean(dim=(1, 2))
    flip = (positive > 0.5) & (positive < 1)
    return torch.where(flip[:, None, None], -eigenvectors, eigenvectors)


def eicue_eigenvectors(laplacian, num_eigenvectors=4):
    """``laplacian (B, n, n)`` -> the K smallest ``(eigenvalues (B, K), eigenvectors (B, n, K))``
    (float32 ``eigh`` on the upper triangle, signs by :func:`flip_eigenvector_signs`)."""
    eigenvalues, eigenvectors = torch.linalg.eigh(laplacian.float(), UPLO='U')
    return (eigenvalues[:, :num_eigenvectors],
            flip_eigenvector_signs(eigenvectors[:, :, :num_eigenvectors]))


def eicue(code, images, num_eigenvectors=4, sigma=0.1, divisor=255.0, color_size=None):
    """EiCue maps ``(B, K - 1, h, w)`` of ``code (B, D, h, w)`` and ``images (B, 3, H, W)``.

    Colour affinity at ``color_size`` (default the code grid), Laplacian, K smallest eigenvectors,
    the first (constant) one dropped. No gradient.
    """
    batch, _, height, width = code.shape
    with torch.no_grad():
        color = color_affinity(images, color_size or (height, width), sigma, divisor)
        eigenvectors = eicue_eigenvectors(eicue_laplacian(code, color), num_eigenvectors)[1]
    return eigenvectors[:, :, 1:].transpose(1, 2).reshape(batch, -1, height, width)
