"""Two-level grouping of the segments of both views by clustering transformers (HSG section 5)."""
import torch
from torch import nn

from useg.registry import MODELS
from .position_embedding import LearnedPositionEmbedding
from .segments import pad_tokens


def group_means(values, labels, valid, num_groups):
    """Mean of ``values`` ``(I, C, N)`` over the valid tokens of each label -> ``(I, C, G)``.

    ``labels`` ``(I, N)`` in ``[0, G)``; ``valid`` bool ``(I, N)``; empty groups get 0.
    """
    one_hot = nn.functional.one_hot(labels, num_groups).to(values.dtype)
    one_hot = one_hot * valid.unsqueeze(-1).to(values.dtype)               # (I, N, G)
    sums = torch.bmm(values, one_hot)
    return sums / one_hot.sum(1, keepdim=True).clamp(min=1e-12)


@MODELS.register_module()
class HierarchicalGrouping(nn.Module):
    """Fine (K1) then coarse (K2) clustering transformers over the segment tokens of an image pair.

    Fine level: tokens are the segment prototypes, positions their mean positional code; soft
    assignments ``P1 = softmax_K(logits)`` ``(I, K1, N)``. Coarse level: tokens are the K1 fine
    centroid features, positions the mean position of each fine group's nodes; ``Q (I, K2, K1)``
    and the chained node assignments ``P2 = Q P1``.

    Args:
        fine_clusters (int): K1 (8).
        coarse_clusters (int): K2 (4).
        dim (int): token width (128, the embedding width).
        transformer (dict): extra ``ClusteringTransformer`` arguments.
        token_capacity (int, optional): token slots per image pair (None: the batch's largest
            segment count; padded slots are masked everywhere, so this only bounds the count).
        position_table_size (int): entries of the positional row / column tables (50).
    """

    def __init__(self, fine_clusters=8, coarse_clusters=4, dim=128, transformer=None,
                 token_capacity=256, position_table_size=50):
        super().__init__()
        transformer = dict(transformer or {})
        self.fine = MODELS.build(dict(type='ClusteringTransformer', num_clusters=fine_clusters,
                                      dim=dim, **transformer))
        self.coarse = MODELS.build(dict(type='ClusteringTransformer',
                                        num_clusters=coarse_clusters, dim=dim, **transformer))
        self.position_embedding = LearnedPositionEmbedding(dim, position_table_size)
        self.fine_clusters = fine_clusters
        self.coarse_clusters = coarse_clusters
        self.token_capacity = token_capacity

    def forward(self, segments, num_images, views_per_image=2):
        """Group the segments of every image.

        Args:
            segments (Segments): with ``segment_position`` set.
            num_images (int): images on this rank.
            views_per_image (int): views per image.

        Returns:
            dict: ``tokens`` ``(I, C, N)``, ``padding_mask`` ``(I, N)``, ``view_ids`` ``(I, N)``,
            ``fine_probs`` ``(I, K1, N)``, ``coarse_probs`` ``(I, K2, N)``, ``fine_centroids``
            ``(I, C, K1)``, ``coarse_centroids`` ``(I, C, K2)``, and per segment ``(S,)``
            ``segment_fine`` / ``segment_coarse`` (group index inside its image).
        """
        image = segments.segment_image
        tokens, padding, slot = pad_tokens(segments.prototypes, image, num_images,
                                           self.token_capacity)
        positions, _, _ = pad_tokens(segments.segment_position, image, num_images,
                                     self.token_capacity)
        view_ids = torch.full_like(padding, -1, dtype=torch.long)
        view_ids[image, slot] = segments.segment_view % views_per_image
        valid = ~padding

        fine = self.fine(tokens, padding, positions)
        fine_probs = torch.softmax(fine['logits'], dim=1)                   # (I, K1, N)
        fine_labels = fine_probs.argmax(1)                                  # (I, N)
        fine_positions = group_means(positions, fine_labels, valid, self.fine_clusters)
        coarse = self.coarse(fine['centroid_features'], None, fine_positions)
        coarse_of_fine = torch.softmax(coarse['logits'], dim=1)             # (I, K2, K1)
        coarse_probs = torch.bmm(coarse_of_fine, fine_probs)                # (I, K2, N)
        coarse_labels = coarse_probs.argmax(1)
        return dict(tokens=tokens, padding_mask=padding, view_ids=view_ids,
                    fine_probs=fine_probs, coarse_probs=coarse_probs,
                    fine_centroids=fine['centroids'], coarse_centroids=coarse['centroids'],
                    segment_fine=fine_labels[image, slot],
                    segment_coarse=coarse_labels[image, slot])
