"""configs/eagle/tiny_synthetic.py trains end to end (across the schedule switch) and evaluates."""
import os.path as osp

import torch

from useg.apis import load_config
from useg.testing import REPO_ROOT

CONFIG = osp.join(REPO_ROOT, 'configs', 'eagle', 'tiny_synthetic.py')


def test_tiny_config_trains_across_the_switch_and_tests(train_test, tmp_path):
    work_dir = str(tmp_path / 'work_dir')
    metrics = train_test(CONFIG, {'train_cfg.max_iters': 6, 'train_cfg.val_interval': 6,
                                  'default_hooks.checkpoint.interval': 6}, work_dir=work_dir)
    for key in ('cluster/mIoU', 'linear/mIoU', 'crf_cluster/mIoU'):
        assert 0 <= metrics[key] <= 100, (key, metrics)
    with open(osp.join(work_dir, 'last_checkpoint')) as file:
        state = torch.load(osp.join(work_dir, file.read().strip()), map_location='cpu',
                           weights_only=True)['state_dict']
    assert int(state['completed_iters']) == 6  # schedule start 4: iterations 6 ran the object loss
    assert {'projector.weight', 'eigen_probe.clusters', 'eigen_probe_aug.clusters'} <= set(state)


def test_paper_configs_load():
    for name, channels, clusters in [('eagle_dino_vits8_cocostuff27', 1152, 32),
                                     ('eagle_dino_vitb8_cityscapes27_faithful', 2304, 28)]:
        cfg = load_config(osp.join(REPO_ROOT, 'configs', 'eagle', f'{name}.py'))
        assert cfg.model.head.in_channels == channels
        assert cfg.model.cluster_probe.num_clusters == clusters
        assert sorted(cfg.optim_wrapper) == sorted(['constructor', 'head', 'projector',
                                                     'cluster_probe', 'linear_probe',
                                                     'eigen_probe', 'eigen_probe_aug'])
