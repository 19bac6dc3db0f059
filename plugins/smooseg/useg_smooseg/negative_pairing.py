"""SmooSeg's draw of a "random other image" per batch element (STEGO's ``super_perm`` rule)."""
import torch


def other_image_indices(batch_size, device=None):
    """Index ``(B,)`` of a partner image for every batch element, from the global torch RNG.

    A random permutation whose fixed points are bumped by one (mod ``B``): no element is paired
    with itself when ``B > 1``, but an image may be picked twice (this is not a derangement, the
    reference rule is kept on purpose). With ``B == 1`` the only image is its own partner.
    """
    if batch_size < 1:
        raise ValueError(f'batch_size must be at least 1, got {batch_size}')
    indices = torch.randperm(batch_size, device=device, dtype=torch.long)
    fixed_points = indices == torch.arange(batch_size, device=device)
    indices[fixed_points] += 1
    return indices % batch_size
