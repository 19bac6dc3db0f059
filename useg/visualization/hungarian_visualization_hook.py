"""``tools/test.py --show-dir``: overlays in the Hungarian-matched classes' colours, per-class IoU
bars and matched confusion matrices."""
import os
import os.path as osp

import numpy as np
from mmengine.hooks import Hook

from useg.datasets.transforms import pil_resize
from useg.evaluation import HungarianMetric, scores_from_confusion
from useg.registry import HOOKS
from .panels import matched_prediction, save_panels
from .plots import matched_confusion, plot_class_iou, plot_confusion

# (panel title, prediction field) in drawing order; a field the model did not predict is skipped.
PANELS = (('prediction', 'pred_sem_seg'), ('CRF', 'crf_pred_sem_seg'))


def find_metric(evaluator, pred_key='pred_sem_seg'):
    """The evaluator's evaluated ``HungarianMetric`` on ``pred_key`` (or ``None``)."""
    for metric in getattr(evaluator, 'metrics', []):
        if isinstance(metric, HungarianMetric) and metric.pred_key == pred_key \
                and metric.assignment is not None:
            return metric
    return None


def find_assignment(evaluator, pred_key='pred_sem_seg'):
    """Cluster -> class assignment ``(num_clusters,)`` of the metric on ``pred_key`` (or ``None``)."""
    metric = find_metric(evaluator, pred_key)
    return None if metric is None else metric.assignment.numpy()


def write_metric_plots(evaluator, classes, palette, out_dir):
    """``per_class_iou_<prefix>.png`` and ``confusion_<prefix>.png`` for every evaluated
    ``HungarianMetric``; returns the written paths."""
    written = []
    for metric in getattr(evaluator, 'metrics', []):
        if not isinstance(metric, HungarianMetric) or metric.confusion is None:
            continue
        name = metric.prefix or metric.pred_key
        _, _, iou = scores_from_confusion(metric.confusion, metric.assignment)
        written.append(plot_class_iou(iou.numpy(), classes, palette,
                                      osp.join(out_dir, f'per_class_iou_{name}.png'),
                                      title=f'per-class IoU, {name}'))
        written.append(plot_confusion(matched_confusion(metric.confusion, metric.assignment),
                                      classes, osp.join(out_dir, f'confusion_{name}.png'),
                                      title=f'confusion ({name}, {metric.mode})'))
    return written


@HOOKS.register_module()
class HungarianVisualizationHook(Hook):
    """After testing, write ``image | ground truth | prediction | CRF`` panels and plots.

    During the test epoch every ``interval``-th sample (at most ``max_samples``) is kept: the
    network input ``(3, H, W)`` uint8 BGR, ``gt_sem_seg`` and the cluster ids of
    ``pred_sem_seg`` (and ``crf_pred_sem_seg`` when predicted). After the epoch the clusters
    are recoloured with the classes the test evaluator's ``HungarianMetric`` on the same field
    matched them to; each sample becomes ``<image name>.png`` (titled panels and a legend of
    the classes shown, all in the dataset palette). Per-class IoU bars and matched confusion
    matrices of every evaluated variant go to ``<out_dir>/plots``. ``out_dir`` defaults to
    ``<work_dir>/vis``.
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
            predictions = {key: sample.get(key).data[0].cpu().numpy()
                           for _, key in PANELS if key in sample}
            gt = sample.gt_sem_seg.data[0].cpu().numpy() if 'gt_sem_seg' in sample else None
            name = osp.splitext(osp.basename(sample.metainfo.get('img_path', '')))[0]
            self._samples.append((name or f'{self._seen - 1:06d}', image, gt, predictions))

    def after_test_epoch(self, runner, metrics=None):
        evaluator = runner.test_evaluator
        assignments = {key: find_assignment(evaluator, key) for _, key in PANELS}
        if assignments['pred_sem_seg'] is None or not self._samples:
            runner.logger.warning('HungarianVisualizationHook: no Hungarian assignment or no '
                                  'samples; nothing drawn')
            return
        out_dir = self.out_dir or osp.join(runner.work_dir, 'vis')
        os.makedirs(out_dir, exist_ok=True)
        classes, palette = evaluator.dataset_meta['classes'], evaluator.dataset_meta['palette']
        for name, image, gt, predictions in self._samples:
            size = predictions['pred_sem_seg'].shape
            image = np.ascontiguousarray(pil_resize(np.ascontiguousarray(image), size, 'bilinear'))
            panels = [('image', None)] + ([('ground truth', gt)] if gt is not None else [])
            panels += [(title, matched_prediction(predictions[key], assignments[key]))
                       for title, key in PANELS
                       if key in predictions and assignments[key] is not None]
            save_panels(osp.join(out_dir, f'{name}.png'), image, panels, classes, palette)
        plot_dir = osp.join(out_dir, 'plots')
        os.makedirs(plot_dir, exist_ok=True)
        plots = write_metric_plots(evaluator, classes, palette, plot_dir)
        runner.logger.info(f'wrote {len(self._samples)} overlays to {out_dir} and {len(plots)} '
                           f'plots to {plot_dir}')
        self._samples = []
