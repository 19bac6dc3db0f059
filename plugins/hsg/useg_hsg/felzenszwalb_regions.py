"""Download-free over-segmentation: Felzenszwalb superpixels merged down to a region budget."""
import heapq

import numpy as np
import torch
from skimage.color import rgb2gray
from skimage.filters import sobel
from skimage.segmentation import felzenszwalb

from useg.pseudo_labels import BasePseudoLabeler
from useg.registry import PSEUDO_LABELERS


def boundary_statistics(labels, edges):
    """Sum and length of the boundary between every pair of 4-adjacent regions.

    Args:
        labels (ndarray): ``(H, W)`` region ids in ``[0, n)``.
        edges (ndarray): ``(H, W)`` boundary strength.

    Returns:
        dict: ``{(a, b): [strength_sum, length]}`` with ``a < b``.
    """
    num = int(labels.max()) + 1
    first = np.concatenate([labels[:, :-1].ravel(), labels[:-1, :].ravel()]).astype(np.int64)
    second = np.concatenate([labels[:, 1:].ravel(), labels[1:, :].ravel()]).astype(np.int64)
    strength = np.concatenate([np.maximum(edges[:, :-1], edges[:, 1:]).ravel(),
                               np.maximum(edges[:-1, :], edges[1:, :]).ravel()])
    crossing = first != second
    low = np.minimum(first, second)[crossing]
    high = np.maximum(first, second)[crossing]
    keys = low * num + high
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = np.bincount(inverse, weights=strength[crossing])
    lengths = np.bincount(inverse)
    return {(int(k // num), int(k % num)): [float(s), int(n)]
            for k, s, n in zip(unique, sums, lengths)}


def merge_regions(labels, edges, max_regions):
    """Greedily merge the adjacent pair with the weakest mean boundary until ``<= max_regions``.

    An approximation of thresholding an ultrametric contour map at the level that leaves
    ``max_regions`` regions. Regions that touch no other region are never merged.

    Args:
        labels (ndarray): ``(H, W)`` region ids in ``[0, n)``.
        edges (ndarray): ``(H, W)`` boundary strength.
        max_regions (int): the region budget.

    Returns:
        ndarray: ``(H, W)`` int64 ids ``0..k-1``, ``k <= max_regions`` (unless regions are
        isolated).
    """
    if max_regions < 1:
        raise ValueError(f'max_regions must be >= 1, got {max_regions}')
    labels = np.unique(labels, return_inverse=True)[1].reshape(labels.shape)
    num = int(labels.max()) + 1
    neighbours = {region: {} for region in range(num)}
    statistics = boundary_statistics(labels, edges)
    for (a, b), stats in statistics.items():
        neighbours[a][b] = stats
        neighbours[b][a] = stats
    heap = [(strength / length, a, b) for (a, b), (strength, length) in statistics.items()]
    heapq.heapify(heap)
    parent = list(range(num))
    alive = num
    while alive > max_regions and heap:
        weight, a, b = heapq.heappop(heap)
        if parent[a] != a or parent[b] != b or b not in neighbours[a]:
            continue
        stats = neighbours[a][b]
        if stats[0] / stats[1] != weight:
            continue  # stale entry: the boundary changed after an earlier merge
        parent[b] = a
        alive -= 1
        del neighbours[a][b]
        for other, (strength, length) in neighbours.pop(b).items():
            if other == a:
                continue
            del neighbours[other][b]
            merged = neighbours[a].get(other, [0.0, 0])
            merged = [merged[0] + strength, merged[1] + length]
            neighbours[a][other] = merged
            neighbours[other][a] = merged
            heapq.heappush(heap, (merged[0] / merged[1], min(a, other), max(a, other)))
    roots = np.array([_root(parent, region) for region in range(num)])
    return np.unique(roots[labels], return_inverse=True)[1].reshape(labels.shape)


def _root(parent, region):
    while parent[region] != region:
        region = parent[region]
    return region


@PSEUDO_LABELERS.register_module()
class FelzenszwalbRegions(BasePseudoLabeler):
    """Felzenszwalb superpixels merged by mean Sobel boundary strength to ``<= max_regions``.

    The stand-in for HSG's OWT-UCM regions when the authors' maps are not available (a different
    setting: expect noisier, less object-like regions). Output ``(B, H, W)`` uint8 region ids.

    Args:
        scale (float): Felzenszwalb scale (larger: bigger superpixels).
        sigma (float): Gaussian pre-smoothing.
        min_size_fraction (float): smallest superpixel, as a fraction of the image area.
        max_regions (int): region budget (HSG: 48).
    """

    requires_features = False

    def __init__(self, scale=200.0, sigma=0.8, min_size_fraction=0.005, max_regions=48):
        super().__init__()
        if not 1 <= max_regions <= 255:
            raise ValueError(f'max_regions must be in [1, 255] (uint8 maps, 255 = ignore), '
                             f'got {max_regions}')
        self.scale = float(scale)
        self.sigma = float(sigma)
        self.min_size_fraction = float(min_size_fraction)
        self.max_regions = int(max_regions)

    def regions(self, image):
        """``(H, W, 3)`` uint8 RGB -> ``(H, W)`` uint8 region ids."""
        image = np.asarray(image)
        if image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f'expected an (H, W, 3) RGB image, got shape {image.shape}')
        min_size = max(1, int(round(self.min_size_fraction * image.shape[0] * image.shape[1])))
        superpixels = felzenszwalb(image, scale=self.scale, sigma=self.sigma, min_size=min_size)
        edges = sobel(rgb2gray(image))
        return merge_regions(superpixels, edges, self.max_regions).astype(np.uint8)

    def forward(self, feats, images):
        images = images.cpu().numpy() if torch.is_tensor(images) else np.asarray(images)
        return torch.from_numpy(np.stack([self.regions(image) for image in images]))
