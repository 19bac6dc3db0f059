"""MaskContrast's semantic segment retrieval: 1-NN of each image's object in a memory bank."""
import numpy as np
import torch
from mmengine.evaluator import BaseMetric

from useg.evaluation.hungarian import confusion_matrix
from useg.registry import METRICS

from .iou_matching import class_iou


@METRICS.register_module()
class SegmentRetrievalMetric(BaseMetric):
    """mIoU (percent) of salient pixels painted with their image's nearest memory-bank label.

    The memory bank (``SegmentMemoryBankMetric`` on the train split) holds unit embeddings and
    classes; each sample's ``mask_embedding`` takes the class of its most cosine-similar entry,
    painted on ``saliency_sem_seg``; everything else is background (0). Scored with the reference's
    meter: per-class TP / max(TP + FP + FN, 1e-8) over all pixels (255 ignored). ``kept_classes``
    (e.g. the 7-class protocol ``(1, 5, 6, 7, 8, 10, 15)``) turns the other ground-truth classes into
    255 and averages over the kept ones only (background left out); None averages all classes.
    """

    default_prefix = 'retrieval'

    def __init__(self, memory_bank, num_classes=21, kept_classes=None, collect_device='cpu',
                 prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        bank = torch.load(memory_bank, map_location='cpu', weights_only=True)
        self.bank_embeddings = bank['embeddings'].float()
        self.bank_labels = bank['labels'].long()
        self.num_classes = num_classes
        self.kept_classes = None if kept_classes is None else tuple(kept_classes)

    def process(self, data_batch, data_samples):
        for sample in data_samples:
            embedding = torch.as_tensor(sample['mask_embedding']).float().cpu()
            label = self.bank_labels[(self.bank_embeddings @ embedding).argmax()]
            salient = sample['saliency_sem_seg']['data'][0].cpu().long()
            gt = sample['gt_sem_seg']['data'][0].cpu().long()
            if self.kept_classes is not None:
                dropped = ~np.isin(gt.numpy(), (0, ) + self.kept_classes)
                gt[torch.from_numpy(dropped)] = 255
            self.results.append(confusion_matrix(salient * label, gt, self.num_classes,
                                                 self.num_classes))

    def compute_metrics(self, results):
        confusion = torch.stack(results).sum(0)
        iou = class_iou(confusion, torch.arange(self.num_classes))
        if self.kept_classes is not None:
            iou = iou[list(self.kept_classes)]
        return dict(mIoU=float(iou.mean() * 100))
