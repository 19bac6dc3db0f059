"""Overlays of cluster predictions in the colours of their Hungarian-matched classes."""
import os
import os.path as osp

import mmcv
import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from mmseg.visualization import SegLocalVisualizer

from useg.datasets.transforms import pil_resize
from useg.evaluation import HungarianMetric
from useg.registry import HOOKS

IGNORE_INDEX = 255


def matched_prediction(pred, assignment):
    """Cluster ids ``(H, W)`` -> class ids through ``assignment`` ``(num_clusters,)``
    (cluster -> class or -1); unmatched clusters become 255 (not drawn)."""
    lookup = np.where(assignment >= 0, assignment, IGNORE_INDEX)
    return lookup[pred]


def find_assignment(evaluator, pred_key='pred_sem_seg'):
    """The assignment of the evaluator's Hungarian metric on ``pred_key`` (or ``None``)."""
    for metric in getattr(evaluator, 'metrics', []):
        if isinstance(metric, HungarianMetric) and metric.pred_key == pred_key \
                and metric.mode == 'hungarian' and metric.assignment is not None:
            return metric.assignment.numpy()
    return None


@HOOKS.register_module()
class HungarianVisualizationHook(Hook):
    """After testing, write ``image | ground truth | prediction`` overlays to ``out_dir``.

    During the test epoch every ``interval``-th sample (at most ``max_samples``) is kept:
    the network input ``(3, H, W)`` uint8 BGR, ``gt_sem_seg`` and the cluster ids of
    ``pred_sem_seg``. After the epoch, the clusters are recoloured with the classes the
    test evaluator's ``HungarianMetric`` (``pred_key='pred_sem_seg'``) matched them to and
    drawn with mmseg's ``SegLocalVisualizer``: one ``<image name>.png`` per sample.
    ``out_dir`` defaults to ``<work_dir>/vis``.
    """
    priority = 'LOW'

    def __init__(self, out_dir=None, max_samples=None, interval=1):
        self.out_dir = out_dir
        self.max_samples = max_samples
        self.interval = interval
        self._samples = []
        self._seen = 0

    def before_test_epoch(self, runner):
        self._samples, self._seen = [], 0

    def after_test_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        for index, sample in enumerate(outputs or []):
            self._seen += 1
            full = self.max_samples is not None and len(self._samples) >= self.max_samples
            if full or (self._seen - 1) % self.interval or 'pred_sem_seg' not in sample:
                continue
            image = data_batch['inputs'][index].permute(1, 2, 0).cpu().numpy()[:, :, ::-1]
            pred = sample.pred_sem_seg.data[0].cpu().numpy()
            gt = sample.gt_sem_seg.data[0].cpu().numpy() if 'gt_sem_seg' in sample else None
            name = osp.splitext(osp.basename(sample.metainfo.get('img_path', '')))[0]
            self._samples.append((name or f'{self._seen - 1:06d}', image, gt, pred))

    def after_test_epoch(self, runner, metrics=None):
        assignment = find_assignment(runner.test_evaluator)
        if assignment is None or not self._samples:
            runner.logger.warning('HungarianVisualizationHook: no Hungarian assignment or no '
                                  'samples; nothing drawn')
            return
        out_dir = self.out_dir or osp.join(runner.work_dir, 'vis')
        os.makedirs(out_dir, exist_ok=True)
        visualizer = SegLocalVisualizer.get_instance('useg_hungarian_overlays')
        meta = runner.test_evaluator.dataset_meta
        visualizer.set_dataset_meta(classes=meta['classes'], palette=meta['palette'])
        for name, image, gt, pred in self._samples:
            self._draw(visualizer, osp.join(out_dir, f'{name}.png'), image, gt,
                       matched_prediction(pred, assignment))
        runner.logger.info(f'wrote {len(self._samples)} overlays to {out_dir}')
        self._samples = []

    @staticmethod
    def _draw(visualizer, out_file, image, gt, pred):
        """``image`` ``(h, w, 3)`` RGB uint8, ``gt``/``pred`` ``(H, W)`` class ids."""
        image = np.ascontiguousarray(pil_resize(np.ascontiguousarray(image), pred.shape,
                                                'bilinear'))
        sample = SegDataSample()
        sample.pred_sem_seg = PixelData(data=torch.from_numpy(pred.astype(np.int64))[None])
        if gt is not None:
            sample.gt_sem_seg = PixelData(data=torch.from_numpy(gt.astype(np.int64))[None])
        visualizer.add_datasample(osp.basename(out_file), image, sample, out_file=out_file)
        drawn = mmcv.imread(out_file, channel_order='rgb')
        mmcv.imwrite(np.concatenate([image, drawn], axis=1)[:, :, ::-1], out_file)
