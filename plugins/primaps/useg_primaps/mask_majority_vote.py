"""The E-step of PriMaPs-EM: every mask takes the teacher's majority class."""
import torch


def mask_majority_vote(class_map, mask_ids, num_classes, ignore_index=255):
    """Per image and mask id, the most frequent class of ``class_map`` inside the mask.

    Args:
        class_map: ``(B, H, W)`` long teacher predictions in ``[0, num_classes)``.
        mask_ids: ``(B, H, W)`` mask ids (``ignore_index`` = no mask).
        num_classes: K.

    Returns:
        ``(B, H, W)`` long pseudo labels: the mask's mode (ties -> the smallest class id, as
        ``torch.mode`` on the CPU), ``ignore_index`` outside every mask.
    """
    if class_map.shape != mask_ids.shape or class_map.dim() != 3:
        raise ValueError(f'class_map and mask_ids must both be (B, H, W), got '
                         f'{tuple(class_map.shape)} and {tuple(mask_ids.shape)}')
    batch = class_map.shape[0]
    mask_ids = mask_ids.long()
    valid = mask_ids != ignore_index
    slots = ignore_index + 1
    image = torch.arange(batch, device=class_map.device)[:, None, None].expand_as(mask_ids)
    bins = (image * slots + mask_ids.clamp(0, ignore_index)) * num_classes + class_map.long()
    counts = torch.bincount(bins[valid], minlength=batch * slots * num_classes)
    mode = counts.reshape(batch * slots, num_classes).argmax(1)  # first maximum = smallest id
    labels = mode[(image * slots + mask_ids.clamp(0, ignore_index)).flatten()].reshape_as(mask_ids)
    return torch.where(valid, labels, torch.full_like(labels, ignore_index))
