"""2-process CPU (gloo) training of the tiny HP config: pools, EMA head and weights agree."""
import pytest
import torch

from useg.testing import config_path, distributed_config, load, torchrun

pytestmark = pytest.mark.skipif(not torch.distributed.is_gloo_available(), reason='needs gloo')


def test_pools_and_ema_head_are_the_same_on_every_rank(synthetic_data_root, tmp_path):
    config = distributed_config(config_path('hp', 'tiny_synthetic.py'), synthetic_data_root,
                                str(tmp_path / 'hp'), tmp_path,
                                **{'train_cfg.max_iters': 4, 'train_cfg.val_interval': 100,
                                   'default_hooks.checkpoint.interval': 4,
                                   'train_dataloader.batch_size': 2})
    torchrun(config, 2)
    ranks = [load(tmp_path / 'hp' / f'rank{rank}.pth') for rank in (0, 1)]
    assert ranks[0]['pool_feats'].abs().sum() > 0 and ranks[0]['pool_code'].abs().sum() > 0
    for key in ranks[0]:  # pools, EMA head, head, projector, probes
        torch.testing.assert_close(ranks[0][key], ranks[1][key], rtol=0, atol=0, msg=key)
