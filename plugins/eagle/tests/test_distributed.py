"""2-process CPU (gloo) training of the tiny config: every rank ends with the same weights,
projector and eigen probes included, across the schedule switch."""
import pytest
import torch

from useg.testing import config_path, distributed_config, load, torchrun

pytestmark = pytest.mark.skipif(not torch.distributed.is_gloo_available(), reason='needs gloo')


def test_ranks_stay_identical_across_the_switch(synthetic_data_root, tmp_path):
    config = distributed_config(config_path('eagle', 'tiny_synthetic.py'), synthetic_data_root,
                                str(tmp_path / 'eagle'), tmp_path,
                                **{'train_cfg.max_iters': 6, 'train_cfg.val_interval': 100,
                                   'default_hooks.checkpoint.interval': 6,
                                   'train_dataloader.batch_size': 2})
    torchrun(config, 2)
    ranks = [load(tmp_path / 'eagle' / f'rank{rank}.pth') for rank in (0, 1)]
    assert {'projector.weight', 'eigen_probe.clusters', 'head.linear.weight'} <= set(ranks[0])
    for key in ranks[0]:
        torch.testing.assert_close(ranks[0][key], ranks[1][key], rtol=0, atol=0, msg=key)
