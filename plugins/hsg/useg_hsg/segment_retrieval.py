"""HSG's released evaluation: per-image segments labelled by top-k retrieval of labelled
training segments (HSG section 8)."""
import torch
import torch.nn.functional as F

from useg.utils import IGNORE_INDEX

from .spherical_kmeans import grid_labels, location_features, normalize


def segment_embedding_map(kmeans, embeddings, valid):
    """Spherical k-means segments of one image at full resolution.

    Args:
        kmeans (SphericalKMeans): with the inference grid (VOC 6x6, Cityscapes 12x24).
        embeddings (Tensor): upsampled embeddings ``(D, H, W)``.
        valid (Tensor): bool ``(H, W)``, False on padding.

    Returns:
        tuple: segment ids ``(H, W)`` (consecutive over valid pixels, -1 elsewhere) and unit
        prototypes ``(S, D)`` (normalised mean of the unit embeddings, no location).
    """
    dim, height, width = embeddings.shape
    pixels = normalize(embeddings.flatten(1).t())
    features = normalize(torch.cat([pixels, location_features(height, width, pixels.device)
                                    .to(pixels.dtype)], dim=1))
    initial = grid_labels(kmeans.grid, height, width, pixels.device)
    flat_valid = valid.reshape(-1)
    labels = kmeans.kmeans_batched(features[None], initial[None], flat_valid[None],
                                   int(initial.max()) + 1)[0]
    _, segment = torch.unique(labels[flat_valid], return_inverse=True)
    count = int(segment.max()) + 1 if segment.numel() else 0
    prototypes = normalize(pixels.new_zeros(count, dim).index_add(0, segment,
                                                                  pixels[flat_valid]))
    segment_map = torch.full((height * width,), -1, dtype=torch.long, device=pixels.device)
    segment_map[flat_valid] = segment
    return segment_map.view(height, width), prototypes


def majority_labels(segment_map, labels, num_segments, num_classes):
    """Majority ground-truth class of each segment ``(S,)``; 255 when its majority is ignore
    or it has no pixel.

    ``labels`` ``(H, W)`` outside ``[0, num_classes)`` vote for "ignore"; ties -> smaller id.
    """
    inside = segment_map >= 0
    votes = labels[inside].long()
    votes = torch.where((votes >= 0) & (votes < num_classes), votes,
                        torch.full_like(votes, num_classes))
    counts = torch.zeros(num_segments, num_classes + 1, dtype=torch.long, device=labels.device)
    counts.index_put_((segment_map[inside], votes), torch.ones_like(votes), accumulate=True)
    majority = counts.argmax(1)
    unlabelled = (majority == num_classes) | (counts.sum(1) == 0)
    return torch.where(unlabelled, torch.full_like(majority, IGNORE_INDEX), majority)


def retrieve_labels(prototypes, bank_prototypes, bank_labels, num_classes, top_k=20):
    """Majority label of the ``top_k`` cosine neighbours in the memory bank ``(S,)``.

    Ties go to the smaller class id.
    """
    if bank_prototypes.shape[0] == 0:
        raise ValueError('the segment memory bank is empty: build it from labelled images first')
    top_k = min(top_k, bank_prototypes.shape[0])
    neighbours = torch.mm(prototypes, bank_prototypes.t()).topk(top_k, dim=1).indices
    votes = F.one_hot(bank_labels[neighbours], num_classes).sum(1)
    return votes.argmax(1)
