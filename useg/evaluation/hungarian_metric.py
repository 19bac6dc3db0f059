"""``HungarianMetric``: Acc / mIoU of cluster (or linear-probe) predictions over a whole split."""
import logging

import torch
from mmengine.dist import get_world_size
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from prettytable import PrettyTable

from useg.registry import METRICS
from .hungarian import confusion_matrix, match_clusters, scores_from_confusion

MODES = ('hungarian', 'linear')
COLLAPSE_SHARE = 90.0  # percent of the pixels in one cluster that counts as collapse


def cluster_shares(confusion):
    """Percent of the (labelled) pixels predicted as each id: ``confusion (K, C)`` -> ``(K,)``."""
    counts = confusion.sum(1).double()
    return counts * 100 / counts.sum().clamp(min=1)


def collapse_message(shares, method=None, what='cluster'):
    """A one-line warning when a cluster is empty or one holds > 90 % of the pixels, else None."""
    empty = [index for index, share in enumerate(shares.tolist()) if share == 0]
    largest = float(shares.max()) if len(shares) else 0.0
    if not empty and largest <= COLLAPSE_SHARE:
        return None
    reasons = ([f'{len(empty)} empty (ids {empty})'] if empty else []) + (
        [f'one holds {largest:.1f} %'] if largest > COLLAPSE_SHARE else [])
    shares_text = '/'.join(f'{share:.1f}' for share in shares.tolist())
    return (f'{method or "the model"}: {what} predictions collapsed ({", ".join(reasons)}); '
            f'shares {shares_text} % of the pixels')


@METRICS.register_module()
class HungarianMetric(BaseMetric):
    """Pixel accuracy and mIoU after matching predicted ids to classes over the whole split.

    Every data sample adds its ``(num_clusters, num_classes)`` confusion (rows = predicted
    ids); mmengine collects them from all ranks and the main process sums them, matches
    clusters to classes once with scipy ``linear_sum_assignment`` (maximising matched pixels)
    and reports ``Acc`` and ``mIoU`` in percent plus a logged per-class IoU table.

    * Target values outside ``[0, num_classes)`` (e.g. 255) are ignored.
    * ``num_clusters > num_classes`` (over-clustering) is allowed: clusters left unmatched
      keep no class, so their pixels count as **errors** (in Acc and as false negatives of
      their true class).
    * ``mode='linear'``: predictions are already class ids (linear probe); the identity
      assignment is used and ``num_clusters`` must equal ``num_classes``.
    * Classes absent from both prediction and target are excluded from the mean.
    * Samples without ``pred_key`` (or without ``gt_sem_seg``) are skipped, so one evaluator
      list can hold the cluster, linear and CRF variants; no such samples gives ``{}``.

    After evaluation, ``self.assignment`` (LongTensor ``(num_clusters,)``, cluster -> class
    or -1) and ``self.confusion`` hold the latest result (main process only).

    Collapse check: the result also holds ``shares`` (percent of the labelled pixels predicted as
    each id, a list), and a warning names the method (``predicted_by`` of the samples, set by
    ``UnsupervisedSegmentor.predict``) and the shares when an id is never predicted or one id
    holds more than 90 % of the pixels.

    Args:
        num_classes: classes; default ``len(dataset_meta['classes'])``.
        num_clusters: predicted ids; default ``num_classes``. A prediction id outside
            ``[0, num_clusters)`` raises ``ValueError`` naming it.
        mode: ``'hungarian'`` or ``'linear'``.
        pred_key: data-sample field holding the prediction (``pred_sem_seg``,
            ``linear_pred_sem_seg``, ``crf_pred_sem_seg``, ``crf_linear_pred_sem_seg``).
        prefix: metric-name prefix, e.g. ``'cluster'`` -> ``cluster/mIoU``.
        drop_extra_cluster_pixels: leave out the pixels predicted as an id ``>= num_classes``
            before matching (STEGO's and EAGLE's reference metric with extra clusters; the
            evaluated pixel set then depends on the prediction). Off: they are counted.
    """
    default_prefix = None

    def __init__(self, num_classes=None, num_clusters=None, mode='hungarian',
                 pred_key='pred_sem_seg', prefix=None, drop_extra_cluster_pixels=False,
                 collect_device='cpu'):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if mode not in MODES:
            raise ValueError(f'mode must be one of {MODES}, got {mode!r}')
        if mode == 'linear' and num_clusters is not None and num_clusters != num_classes:
            raise ValueError(f"mode='linear' predicts class ids: num_clusters ({num_clusters}) "
                             f'must equal num_classes ({num_classes})')
        self.num_classes = num_classes
        self.num_clusters = num_clusters
        self.mode = mode
        self.pred_key = pred_key
        self.drop_extra_cluster_pixels = bool(drop_extra_cluster_pixels)
        self.assignment = None
        self.confusion = None
        self.method = None

    def _resolved_sizes(self):
        num_classes = self.num_classes
        if num_classes is None:
            classes = (self.dataset_meta or {}).get('classes')
            if not classes:
                raise ValueError('HungarianMetric needs num_classes or dataset_meta["classes"]')
            num_classes = len(classes)
        num_clusters = num_classes if self.num_clusters is None else self.num_clusters
        return num_classes, num_clusters

    def process(self, data_batch, data_samples):
        """Add the confusion of every sample that has ``pred_key``."""
        num_classes, num_clusters = self._resolved_sizes()
        for sample in data_samples:
            if self.pred_key not in sample or 'gt_sem_seg' not in sample:
                continue
            self.method = sample.get('predicted_by', self.method)
            pred = _field_data(sample[self.pred_key]).squeeze()
            target = _field_data(sample['gt_sem_seg']).squeeze().to(pred.device)
            self.results.append(confusion_matrix(pred, target, num_classes, num_clusters))

    def evaluate(self, size):
        """mmengine's evaluate, minus its empty-results warning for a variant the model did not
        predict (single process; with several ranks the collection must run everywhere)."""
        if not self.results and get_world_size() == 1:
            return {}
        return super().evaluate(size)

    def compute_metrics(self, results):
        """Sum the per-sample confusions and score them; ``{}`` when there are none."""
        if not results:
            return {}
        confusion = torch.stack(results).sum(0)
        shares = cluster_shares(confusion)
        if self.drop_extra_cluster_pixels:
            confusion = confusion.clone()
            confusion[confusion.shape[1]:] = 0
        if self.mode == 'linear':
            assignment = torch.arange(confusion.shape[0])
        else:
            assignment = match_clusters(confusion)
        acc, miou, iou = scores_from_confusion(confusion, assignment)
        self.assignment, self.confusion = assignment, confusion
        self._log_table(iou)
        message = collapse_message(shares, self.method, self.prefix or self.pred_key)
        if message is not None:
            print_log(message, logger='current', level=logging.WARNING)
        return dict(Acc=acc, mIoU=miou, shares=[round(share, 2) for share in shares.tolist()])

    def _log_table(self, iou):
        classes = (self.dataset_meta or {}).get('classes') or [str(i) for i in range(len(iou))]
        table = PrettyTable(field_names=['class', 'IoU'])
        for name, value in zip(classes, iou.tolist()):
            table.add_row([name, 'n/a' if value != value else f'{value:.2f}'])
        title = f'per-class IoU ({self.prefix or self.pred_key}, {self.mode}):'
        print_log(f'{title}\n{table.get_string()}', logger='current')


def _field_data(field):
    """Tensor of a ``PixelData`` or of its ``to_dict()`` form."""
    return field['data'] if isinstance(field, dict) else field.data
