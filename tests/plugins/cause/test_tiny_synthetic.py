"""configs/cause/tiny_synthetic.py: clusterbook precompute -> stages 2 and 3 -> test, end to end."""
import os.path as osp

import pytest
import torch

from useg.apis import load_config, set_data_root, train
from useg.utils import UsegError

CONFIG = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs', 'cause', 'tiny_synthetic.py')


def _config(synthetic_data_root, tmp_path, work_dir, **options):
    cfg = load_config(CONFIG, {'clusterbook.cache_dir': str(tmp_path / 'clusterbook'), **options},
                      work_dir)
    set_data_root(cfg, synthetic_data_root)
    return cfg


def test_all_stages_end_to_end(train_test, synthetic_data_root, tmp_path, capsys):
    from useg_cause import load_clusterbook, precompute_clusterbook
    options = {'clusterbook.cache_dir': str(tmp_path / 'clusterbook')}
    work_dir = str(tmp_path / 'work_dir')

    # stage 2 stops with the exact command while the clusterbook is missing
    with pytest.raises(UsegError, match='python tools/precompute_clusterbook.py .*tiny_synthetic.py'):
        train(_config(synthetic_data_root, tmp_path, work_dir))

    path = precompute_clusterbook(_config(synthetic_data_root, tmp_path, work_dir), workers=0)
    codebook = load_clusterbook(path)
    assert codebook.shape == (16, 48) and torch.isfinite(codebook).all()
    assert precompute_clusterbook(_config(synthetic_data_root, tmp_path, work_dir),
                                  workers=0) == path  # cached
    assert 'clusterbook cached' in capsys.readouterr().out

    metrics = train_test(CONFIG, cfg_options=options, work_dir=work_dir)
    for key in ('cluster/Acc', 'cluster/mIoU', 'linear/Acc', 'linear/mIoU'):
        assert 0 <= metrics[key] <= 100, (key, metrics)

    state = torch.load(osp.join(work_dir, 'iter_10.pth'), map_location='cpu',
                       weights_only=True)
    first = torch.load(osp.join(work_dir, 'iter_5.pth'), map_location='cpu', weights_only=True)
    model, early = state['state_dict'], first['state_dict']
    assert int(model['iteration']) == 10
    torch.testing.assert_close(model['codebook'], codebook)
    torch.testing.assert_close(model['teacher.head.codebook'], codebook)
    # stage 3 (iterations 6-10) moves only the centroids and the linear probe: no label leakage
    heads = [key for key in model if key.startswith(('student.', 'teacher.'))]
    assert heads
    for key in heads:
        torch.testing.assert_close(model[key], early[key], rtol=0, atol=0)
    for key in ('cluster_probe.clusters', 'linear_probe.conv.weight'):
        assert not torch.equal(model[key], early[key]), key
    assert state['cause_concept_bank']['rows'].shape[0] > 0
