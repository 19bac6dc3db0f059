"""Build HSG's memory bank of labelled training segments before evaluation (HSG section 8)."""
import torch
import torch.nn.functional as F
from mmengine.hooks import Hook
from mmengine.logging import print_log

from useg.models.data_preprocessor import unpadded_batches
from useg.registry import HOOKS
from useg.utils import IGNORE_INDEX
from .segment_retrieval import majority_labels


@HOOKS.register_module()
class SegmentMemoryBankHook(Hook):
    """Before every validation / test run, segment each image of ``dataloader`` (a labelled split,
    e.g. VOC ``train_aug``) with the current model, label every segment with the majority
    ground-truth class of its pixels, drop segments whose majority is ignore, and hand the bank to
    ``model.set_memory_bank`` (an :class:`HSGSegmentor`).

    This protocol uses training-set labels to name segments (SegSort-style label transfer); report
    it apart from the Hungarian numbers.

    Args:
        dataloader (dict): dataloader config of the labelled split (its pipeline must load
            ``gt_seg_map``).
    """

    priority = 'LOW'

    def __init__(self, dataloader):
        self.dataloader = dataloader

    def before_val_epoch(self, runner):
        self.build(runner)

    def before_test_epoch(self, runner):
        self.build(runner)

    @torch.no_grad()
    def build(self, runner):
        model = getattr(runner.model, 'module', runner.model)
        loader = runner.build_dataloader(self.dataloader)
        was_training = model.training
        model.eval()
        prototypes, labels = [], []
        for batch in loader:
            data = model.data_preprocessor(batch, False)
            segments = [(sample, segment) for inputs, samples in
                        unpadded_batches(data['inputs'], data['data_samples'])
                        for sample, segment in zip(samples, model.image_segments(inputs, samples))]
            for sample, (segment_map, segment_prototypes) in segments:
                target = sample.gt_sem_seg.data[0].to(segment_map.device)
                height, width = tuple(sample.metainfo['img_shape'])[:2]
                segment_map = F.interpolate(segment_map[None, None, :height, :width].float(),
                                            size=target.shape, mode='nearest')[0, 0].long()
                segment_labels = majority_labels(segment_map, target,
                                                 segment_prototypes.shape[0], model.num_classes)
                keep = segment_labels != IGNORE_INDEX
                prototypes.append(segment_prototypes[keep].cpu())
                labels.append(segment_labels[keep].cpu())
        model.train(was_training)
        model.set_memory_bank(torch.cat(prototypes), torch.cat(labels))
        print_log(f'segment memory bank: {sum(len(x) for x in labels)} labelled segments from '
                  f'{len(loader.dataset)} images', logger='current')
