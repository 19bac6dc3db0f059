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
from useg.visualization.panels import OPACITY, panel_layout

PALETTE = [[255, 0, 0], [0, 255, 0], [0, 0, 255]]


def make_batch():
    """One 8x8 black image; gt left half class 0, right half class 2; clusters 1 | 0 (a
    perfect prediction after matching); CRF: cluster 1 but the last column 0 (classes 0 | 2)."""
    gt = torch.zeros(1, 8, 8, dtype=torch.long)
    gt[..., 4:] = 2
    pred = torch.where(gt == 2, 0, 1)
    sample = SegDataSample(metainfo=dict(img_path='/data/imgs/val/scene_7.png'))
    sample.gt_sem_seg = PixelData(data=gt)
    sample.pred_sem_seg = PixelData(data=pred)
    crf = torch.ones_like(pred)
    crf[..., 7:] = 0
    sample.crf_pred_sem_seg = PixelData(data=crf)
    return dict(inputs=[torch.zeros(3, 8, 8, dtype=torch.uint8)]), [sample]


def evaluated_metric(data_batch, outputs, pred_key, prefix):
    metric = HungarianMetric(num_classes=3, pred_key=pred_key, prefix=prefix)
    metric.dataset_meta = dict(classes=['road', 'tree', 'sky'], palette=PALETTE)
    metric.process(data_batch, [sample.to_dict() for sample in outputs])
    metric.evaluate(1)
    return metric


def test_matched_prediction_recolours_clusters_and_drops_unmatched():
    pred = np.array([[0, 1, 2]])
    assert matched_prediction(pred, np.array([2, -1, 0])).tolist() == [[2, 255, 0]]


def test_hook_writes_titled_panels_legend_and_plots(tmp_path):
    data_batch, outputs = make_batch()
    metrics = [evaluated_metric(data_batch, outputs, 'pred_sem_seg', 'cluster'),
               evaluated_metric(data_batch, outputs, 'crf_pred_sem_seg', 'crf_cluster')]
    runner = SimpleNamespace(test_evaluator=SimpleNamespace(metrics=metrics,
                                                            dataset_meta=metrics[0].dataset_meta),
                             work_dir=str(tmp_path), logger=logging.getLogger('test'))
    hook = HOOKS.build(dict(type='HungarianVisualizationHook', out_dir=str(tmp_path / 'vis')))
    hook.before_test_epoch(runner)
    hook.after_test_iter(runner, 0, data_batch, outputs)
    hook.after_test_epoch(runner, {})
    drawn = np.asarray(Image.open(tmp_path / 'vis' / 'scene_7.png').convert('RGB')).astype(int)
    layout = panel_layout(8, 8, 4)  # image | ground truth | prediction | CRF
    assert layout['scale'] * 8 >= 256  # a tiny image is enlarged so the text stays readable
    panels = [drawn[top:bottom, left:right] for left, top, right, bottom in layout['boxes']]
    assert (panels[0] == 0).all()
    # perfect prediction: the prediction panel has exactly the ground truth's colours
    assert (panels[1] == panels[2]).all()
    red, blue = np.round(np.array([255, 0, 0]) * OPACITY), np.round(np.array([0, 0, 255]) * OPACITY)
    assert (panels[2][:, :4 * layout['scale']] == red).all()
    assert (panels[2][:, 4 * layout['scale']:] == blue).all()
    # the CRF clusters are matched with the crf_cluster metric's own assignment
    assert (panels[3][:, :7 * layout['scale']] == red).all()
    assert (panels[3][:, 7 * layout['scale']:] == blue).all()
    # titles: dark text pixels above every panel
    for left, top, right, _ in layout['boxes']:
        assert (drawn[:top, left:right] < 100).all(-1).sum() > 20
    # legend below the panels: swatches in the colours road and sky have in the blended panels
    # (over this black image: the class colour times the opacity), not tree
    legend = drawn[layout['legend_top']:]
    colours = {tuple(colour) for colour in legend.reshape(-1, 3)}
    assert tuple(red) in colours and tuple(blue) in colours
    assert tuple(np.round(np.array([0, 255, 0]) * OPACITY)) not in colours
    assert (legend < 100).all(-1).sum() > 50  # class names
    plots = sorted(path.name for path in (tmp_path / 'vis' / 'plots').iterdir())
    assert plots == ['confusion_cluster.png', 'confusion_crf_cluster.png',
                     'per_class_iou_cluster.png', 'per_class_iou_crf_cluster.png']
    iou_chart = np.asarray(Image.open(tmp_path / 'vis' / 'plots' / 'per_class_iou_cluster.png'))
    assert iou_chart.shape[0] > 100 and len(np.unique(iou_chart.reshape(-1, iou_chart.shape[-1]),
                                                      axis=0)) > 20
