"""Tiny two-stage HSG: stage 1 (region loss) -> stage 2 (all losses, from stage 1) -> test."""
import os.path as osp

import torch

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', '..', '..', 'configs', 'hsg')


def _checkpoint(work_dir):
    with open(osp.join(work_dir, 'last_checkpoint')) as file:
        return osp.join(work_dir, file.read().strip())


def test_two_stage_train_then_test(train_test, tmp_path):
    stage1_dir = str(tmp_path / 'stage1')
    stage1 = train_test(osp.join(CONFIGS, 'tiny_synthetic.py'), work_dir=stage1_dir)
    for key in ('cluster/mIoU', 'cluster/Acc', 'retrieval/mIoU', 'retrieval/Acc'):
        assert 0.0 <= stage1[key] <= 100.0, (key, stage1)

    stage1_weights = torch.load(_checkpoint(stage1_dir), map_location='cpu',
                                weights_only=False)['state_dict']
    stage2_dir = str(tmp_path / 'stage2')
    stage2 = train_test(osp.join(CONFIGS, 'tiny_synthetic_stage2.py'),
                        cfg_options={'load_from': _checkpoint(stage1_dir)}, work_dir=stage2_dir)
    for key in ('cluster/mIoU', 'retrieval/mIoU'):
        assert 0.0 <= stage2[key] <= 100.0, (key, stage2)
    stage2_weights = torch.load(_checkpoint(stage2_dir), map_location='cpu',
                                weights_only=False)['state_dict']
    assert any(key.startswith('grouping.fine.') for key in stage2_weights)
    assert not any(key.startswith('grouping.') for key in stage1_weights)
    # Stage 2 trained the backbone it started from.
    name = 'backbone.conv1.weight'
    assert stage1_weights[name].shape == stage2_weights[name].shape
    assert not torch.equal(stage1_weights[name], stage2_weights[name])
