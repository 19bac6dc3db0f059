import logging
from types import SimpleNamespace

import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from PIL import Image

import useg  # noqa: F401
from useg.evaluation import HungarianMetric
from useg.registry import HOOKS
from useg.visualization import matched_prediction

PALETTE = [[255, 0, 0], [0, 255, 0], [0, 0, 255]]


def make_batch():
    """One 8x8 black image; gt left half class 0, right half class 2; clusters 1 | 0."""
    gt = torch.zeros(1, 8, 8, dtype=torch.long)
    gt[..., 4:] = 2
    pred = torch.where(gt == 2, 0, 1)
    sample = SegDataSample(metainfo=dict(img_path='/data/imgs/val/scene_7.png'))
    sample.gt_sem_seg = PixelData(data=gt)
    sample.pred_sem_seg = PixelData(data=pred)
    return dict(inputs=[torch.zeros(3, 8, 8, dtype=torch.uint8)]), [sample]


def test_matched_prediction_recolours_clusters_and_drops_unmatched():
    pred = np.array([[0, 1, 2]])
    assert matched_prediction(pred, np.array([2, -1, 0])).tolist() == [[2, 255, 0]]


def test_hook_writes_overlays_in_matched_class_colours(tmp_path):
    data_batch, outputs = make_batch()
    metric = HungarianMetric(num_classes=3, prefix='cluster')
    metric.dataset_meta = dict(classes=['a', 'b', 'c'], palette=PALETTE)
    metric.process(data_batch, [sample.to_dict() for sample in outputs])
    metric.evaluate(1)
    runner = SimpleNamespace(test_evaluator=SimpleNamespace(metrics=[metric],
                                                            dataset_meta=metric.dataset_meta),
                             work_dir=str(tmp_path), logger=logging.getLogger('test'))
    hook = HOOKS.build(dict(type='HungarianVisualizationHook', out_dir=str(tmp_path / 'vis')))
    hook.before_test_epoch(runner)
    hook.after_test_iter(runner, 0, data_batch, outputs)
    hook.after_test_epoch(runner, {})
    drawn = np.asarray(Image.open(tmp_path / 'vis' / 'scene_7.png').convert('RGB'))
    assert drawn.shape == (8, 24, 3)  # image | ground truth | prediction
    assert (drawn[:, :8] == 0).all()
    prediction = drawn[:, 16:].astype(int)
    # cluster 1 -> class 0 (red), cluster 0 -> class 2 (blue); alpha 0.8 over black.
    assert prediction[0, 0].argmax() == 0 and prediction[0, 0, 0] > 150
    assert prediction[-1, -1].argmax() == 2 and prediction[-1, -1, 2] > 150
    assert (np.abs(drawn[:, 8:16].astype(int) - prediction) <= 1).mean() > 0.9
