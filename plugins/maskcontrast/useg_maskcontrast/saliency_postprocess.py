"""The MaskContrast authors' post-processing of saliency predictions (``saliency/README.md``)."""
import cv2
import numpy as np


def postprocess_saliency(probability, threshold=0.5, min_segment_area=0.01, min_mask_area=0.01):
    """Binary object mask from a saliency map, or None when too little of it remains.

    1. ``mask = probability > threshold``;
    2. every contour (``RETR_TREE``) whose filled area is below ``min_segment_area`` of the image
       is erased from the mask (filled, so the erased region includes what it encloses);
    3. the image is dropped (None) when under ``min_mask_area`` of its pixels remain foreground.

    Args:
        probability: ``(H, W)`` saliency in [0, 1].

    Returns:
        ``(H, W)`` uint8 mask of 0/1, or None.
    """
    probability = np.asarray(probability)
    if probability.ndim != 2:
        raise ValueError(f'saliency map must be (H, W); got shape {probability.shape}')
    mask = (probability > threshold).astype(np.uint8)
    contours, _ = cv2.findContours(mask.copy(), cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    for contour in contours:
        segment = cv2.drawContours(np.zeros_like(mask), [contour], 0, 255, thickness=cv2.FILLED)
        if (segment == 255).sum() / segment.size < min_segment_area:
            mask[segment == 255] = 0
    if mask.sum() / mask.size < min_mask_area:
        return None
    return mask
