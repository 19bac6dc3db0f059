"""tools/precompute_clusterbook.py: an interrupted stage 1 resumes to the uninterrupted result."""
import os
import os.path as osp
import sys

import pytest
import torch

REPO = osp.join(osp.dirname(__file__), '..', '..', '..')
CONFIG = osp.join(REPO, 'configs', 'cause', 'tiny_synthetic.py')


def _run(cache_dir, data_root, extra=()):
    sys.path.insert(0, osp.join(REPO, 'tools'))
    try:
        import precompute_clusterbook
    finally:
        sys.path.pop(0)
    precompute_clusterbook.main([CONFIG, '--workers', '0', '--device', 'cpu', *extra,
                                 '--cfg-options', f'clusterbook.cache_dir={cache_dir}',
                                 'clusterbook.save_interval=2',
                                 f'train_dataloader.dataset.data_root={data_root}'])
    (path, ) = [osp.join(root, name) for root, _, names in os.walk(cache_dir) for name in names
                if name == 'clusterbook.pt']
    return path, torch.load(path, map_location='cpu', weights_only=True)


def test_interrupted_precompute_resumes_to_the_same_clusterbook(synthetic_data_root, tmp_path,
                                                                monkeypatch, capsys):
    from useg.tools import precompute
    from useg_cause import ModularityLoss
    straight, reference = _run(str(tmp_path / 'straight'), synthetic_data_root)
    assert len(reference['losses']) == 4  # 16 images, batch 4, one epoch
    capsys.readouterr()
    # `useg precompute CONFIG` finds the step through the config's `precomputes` declaration
    precompute.main([CONFIG, '--workers', '0', '--cfg-options',
                     f'clusterbook.cache_dir={tmp_path / "straight"}',
                     f'train_dataloader.dataset.data_root={synthetic_data_root}'])
    out = capsys.readouterr().out
    assert f'clusterbook cached: {straight}' in out and 'precomputed: clusterbook' in out

    calls = []
    forward = ModularityLoss.forward

    def interrupt_third_batch(self, tokens, centroids):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return forward(self, tokens, centroids)

    monkeypatch.setattr(ModularityLoss, 'forward', interrupt_third_batch)
    with pytest.raises(KeyboardInterrupt):
        _run(str(tmp_path / 'interrupted'), synthetic_data_root)
    monkeypatch.setattr(ModularityLoss, 'forward', forward)
    partial = [name for _, _, names in os.walk(tmp_path / 'interrupted') for name in names]
    assert partial == ['clusterbook.pt.partial']  # saved after batch 2, no final file yet

    path, resumed = _run(str(tmp_path / 'interrupted'), synthetic_data_root)
    assert not osp.exists(path + '.partial')
    assert resumed['losses'] == reference['losses']
    assert torch.equal(resumed['codebook'], reference['codebook'])
    with open(path, 'wb') as file:  # unreadable -> --force redoes it
        file.write(b'garbage')
    forced, again = _run(str(tmp_path / 'interrupted'), synthetic_data_root, ['--force'])
    assert forced == path and torch.equal(again['codebook'], reference['codebook'])
