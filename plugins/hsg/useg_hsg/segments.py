"""Segments of a multi-view batch: k-means cluster x region, per view (HSG sections 4-5)."""
from dataclasses import dataclass

import torch

from .spherical_kmeans import normalize

REGION_IGNORE = 255


@dataclass
class Segments:
    """Segments of one rank's batch of ``V`` views per image (views of an image are adjacent).

    Pixel fields cover the valid feature pixels only, in (view, y, x) order.

    Attributes:
        pixel_embeddings: unit pixel embeddings ``(P, D)`` (with gradient).
        pixel_segment: local segment id of every pixel ``(P,)``.
        prototypes: unit segment prototypes ``(S, D)`` (with gradient: not detached).
        segment_view: view (batch row) of every segment ``(S,)``.
        segment_image: image of every segment ``(S,)`` (``view // V``).
        segment_region: region id of every segment ``(S,)``.
        segment_position: mean positional code of every segment ``(S, C)`` or None.
    """
    pixel_embeddings: torch.Tensor
    pixel_segment: torch.Tensor
    prototypes: torch.Tensor
    segment_view: torch.Tensor
    segment_image: torch.Tensor
    segment_region: torch.Tensor
    segment_position: torch.Tensor = None

    @property
    def num_segments(self):
        return self.prototypes.shape[0]


def segment_mean(values, index, count):
    """Per-index mean ``(count, C)`` of ``values`` ``(P, C)`` (0 for empty indices)."""
    sums = values.new_zeros(count, values.shape[1]).index_add(0, index, values)
    sizes = torch.bincount(index, minlength=count).clamp(min=1).to(values.dtype)
    return sums / sizes.unsqueeze(1)


def extract_segments(embeddings, clusters, regions, views_per_image=2, positions=None):
    """Cut every view into segments = unique (view, cluster, region) over valid pixels.

    Args:
        embeddings (Tensor): pixel embeddings ``(B, D, h, w)``, ``B = images * views_per_image``.
        clusters (Tensor): k-means cluster ids ``(B, h, w)``.
        regions (Tensor): region ids ``(B, h, w)``; ``255`` marks ignored / padded pixels.
        views_per_image (int): ``V``.
        positions (Tensor, optional): positional codes ``(C, h, w)`` to average per segment.

    Returns:
        Segments: with local segment ids ``0..S-1`` ordered by (view, cluster, region).
    """
    batch, dim, height, width = embeddings.shape
    if batch % views_per_image:
        raise ValueError(f'batch of {batch} views is not a multiple of {views_per_image} views '
                         'per image')
    if regions.shape != (batch, height, width) or clusters.shape != regions.shape:
        raise ValueError(f'regions {tuple(regions.shape)} and clusters {tuple(clusters.shape)} '
                         f'must be ({batch}, {height}, {width}), the feature grid')
    valid = (regions != REGION_IGNORE).view(-1)
    pixels = embeddings.permute(0, 2, 3, 1).reshape(-1, dim)[valid]
    views = torch.arange(batch, device=embeddings.device).repeat_interleave(height * width)[valid]
    region_ids = regions.reshape(-1)[valid].long()
    cluster_ids = clusters.reshape(-1)[valid].long()
    num_clusters = int(cluster_ids.max()) + 1 if cluster_ids.numel() else 1
    num_regions = REGION_IGNORE + 1
    keys = (views * num_clusters + cluster_ids) * num_regions + region_ids
    unique_keys, pixel_segment = torch.unique(keys, return_inverse=True)
    count = unique_keys.shape[0]
    unit_pixels = normalize(pixels)
    prototypes = normalize(
        unit_pixels.new_zeros(count, dim).index_add(0, pixel_segment, unit_pixels))
    segment_view = unique_keys // (num_clusters * num_regions)
    segment_position = None
    if positions is not None:
        flat = positions.permute(1, 2, 0).reshape(1, height * width, -1).expand(batch, -1, -1)
        segment_position = segment_mean(flat.reshape(-1, flat.shape[-1])[valid], pixel_segment,
                                        count)
    return Segments(pixel_embeddings=unit_pixels, pixel_segment=pixel_segment,
                    prototypes=prototypes, segment_view=segment_view,
                    segment_image=segment_view // views_per_image,
                    segment_region=unique_keys % num_regions,
                    segment_position=segment_position)


def pad_tokens(values, image, num_images, capacity=None):
    """Scatter per-segment rows into per-image token slots.

    Args:
        values (Tensor): ``(S, C)`` rows, sorted by image.
        image (Tensor): image of every row ``(S,)``.
        num_images (int): ``I``.
        capacity (int, optional): token slots per image (default: the largest count).

    Returns:
        tuple: tokens ``(I, C, N)`` (zeros in padded slots), padding mask ``(I, N)`` and the slot
        of every row ``(S,)``.
    """
    counts = torch.bincount(image, minlength=num_images)
    largest = int(counts.max()) if counts.numel() else 0
    capacity = largest if capacity is None else capacity
    if largest > capacity:
        raise ValueError(f'an image pair has {largest} segments, more than the {capacity} token '
                         'slots (raise token_capacity)')
    starts = torch.cumsum(counts, 0) - counts
    slot = torch.arange(image.shape[0], device=image.device) - starts[image]
    tokens = values.new_zeros(num_images, capacity, values.shape[1])
    tokens = tokens.index_put((image, slot), values)
    padding = torch.ones(num_images, capacity, dtype=torch.bool, device=image.device)
    padding[image, slot] = False
    return tokens.transpose(1, 2), padding, slot
