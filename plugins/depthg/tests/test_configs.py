"""The paper configs: clean defaults, faithful variants with every reference switch, paper rows."""
import glob
import os.path as osp

import pytest

from useg.apis import load_config
from useg.evaluation.paper_results import resolve_paper_results
from useg.testing import REPO_ROOT
from useg.tools.precompute import needed_precomputes

PAPER = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', 'depthg', 'depthg_dino_*.py')))


@pytest.mark.parametrize('path', PAPER, ids=osp.basename)
def test_paper_config(path):
    cfg = load_config(path)
    loss, schedule = cfg.model.correlation_loss, cfg.model.schedule
    faithful = path.endswith('_faithful.py')
    assert cfg.model.type == 'DepthGSegmentor' and loss.type == 'DepthGCorrelationLoss'
    assert (loss.fov_unit, loss.coords_mode, loss.depth_mode) == (
        ('radian', 'reference', 'reference') if faithful else ('degree', 'centered', 'distance'))
    assert (schedule.steps_per_iteration, schedule.decay_at_zero) == ((3, True) if faithful else (1, False))
    depth_loader = [step for step in cfg.train_pipeline if step['type'] == 'LoadDepthMap']
    expected_scale = ('truncate' if 'potsdam' in path else 'raw') if faithful else 'unit'
    assert len(depth_loader) == 1 and depth_loader[0]['scale'] == expected_scale
    assert cfg.train_cfg.max_iters == 2334
    assert needed_precomputes(cfg) == ['knn', 'depth']
    assert all(step['type'] != 'LoadDepthMap' for step in cfg.knn.pipeline)
    entry = resolve_paper_results(cfg.paper_results)
    if 'cityscapes' in path:  # the one paper number available here; the other rows are None
        assert 'unverified' in entry['source']
        assert entry['cluster'] == (81.6, 23.1) and loss.sampling == 'random'
    else:
        assert entry is None
