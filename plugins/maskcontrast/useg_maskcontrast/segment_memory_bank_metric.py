"""Builds MaskContrast's retrieval memory bank: one (embedding, majority class) per train image."""
import os
import os.path as osp

import numpy as np
import torch
from mmengine.evaluator import BaseMetric

from useg.registry import METRICS


def majority_class(salient, gt, ignore=(0, 255)):
    """Most frequent ground-truth class inside the salient mask, or None when only ``ignore``."""
    classes, counts = np.unique(gt[salient.astype(bool)], return_counts=True)
    keep = ~np.isin(classes, ignore)
    if not keep.any():
        return None
    return int(classes[keep][counts[keep].argmax()])


@METRICS.register_module()
class SegmentMemoryBankMetric(BaseMetric):
    """Saves ``{'embeddings': (N, D), 'labels': (N,)}`` to ``out_file`` (run it on the train split).

    Per sample (``MaskContrastSegmentor.predict`` outputs): skipped when nothing is salient or the
    salient pixels hold only background / ignore; otherwise labelled with the majority ground-truth
    class inside the mask (background and 255 left out). ``kept_classes`` (the 7-class protocol)
    also leaves every other class out, as the reference's dataset turns them into 255. Returns the
    bank's size as its metric.
    """

    default_prefix = 'memory_bank'

    def __init__(self, out_file, num_classes=21, kept_classes=None, collect_device='cpu',
                 prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.out_file = out_file
        kept = range(1, num_classes) if kept_classes is None else kept_classes
        self.ignored = tuple(sorted(set(range(256)) - set(kept)))

    def process(self, data_batch, data_samples):
        for sample in data_samples:
            salient = sample['saliency_sem_seg']['data'][0].cpu().numpy()
            gt = sample['gt_sem_seg']['data'][0].cpu().numpy()
            label = majority_class(salient, gt, self.ignored) if salient.any() else None
            if label is not None:
                self.results.append((torch.as_tensor(sample['mask_embedding']).float().cpu(), label))

    def compute_metrics(self, results):
        if not results:
            raise ValueError('no image has a salient object with a class: the memory bank is empty')
        bank = dict(embeddings=torch.stack([embedding for embedding, _ in results]),
                    labels=torch.tensor([label for _, label in results], dtype=torch.long))
        os.makedirs(osp.dirname(osp.abspath(self.out_file)), exist_ok=True)
        torch.save(bank, self.out_file)
        return dict(size=len(results))
