"""configs/cause/tiny_synthetic.py end to end: clusterbook -> stage 2, interrupted and resumed ->
stage 3 -> test; then PriMaPs-EM on the trained CAUSE head (configs/primaps/cause_tiny_synthetic.py).

One test so the CAUSE model is trained once (CI budget)."""
import os.path as osp

import pytest
import torch

from useg.apis import load_config, set_data_root, train
from useg.apis import test as evaluate
from useg.utils import UsegError

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs')
CONFIG = osp.join(CONFIGS, 'cause', 'tiny_synthetic.py')
COMBINED = osp.join(CONFIGS, 'primaps', 'cause_tiny_synthetic.py')


def _load(path):
    return torch.load(path, map_location='cpu', weights_only=True)


def test_all_stages_resume_and_primaps_on_cause(train_test, synthetic_data_root, tmp_path, capsys):
    from useg_cause import load_clusterbook, precompute_clusterbook
    work_dir = str(tmp_path / 'cause')

    def config(max_iters=10):
        cfg = load_config(CONFIG, {'clusterbook.cache_dir': str(tmp_path / 'clusterbook'),
                                   'train_cfg.max_iters': max_iters}, work_dir)
        set_data_root(cfg, synthetic_data_root)
        return cfg

    # stage 2 stops with the exact command while the clusterbook is missing
    with pytest.raises(UsegError, match='useg precompute .*tiny_synthetic.py'):
        train(config(), config_path=CONFIG)

    # stage 1
    path = precompute_clusterbook(config(), workers=0)
    codebook = load_clusterbook(path)
    assert codebook.shape == (16, 48) and torch.isfinite(codebook).all()
    assert precompute_clusterbook(config(), workers=0) == path  # cached, not recomputed
    assert 'clusterbook cached' in capsys.readouterr().out

    # stage 2, interrupted after iteration 3 of 5, then resumed through stage 3
    interrupted = train(config(max_iters=3), config_path=CONFIG)
    saved_bank = {concept: rows.clone() for concept, rows in interrupted.model.bank.rows.items()}
    assert sum(len(rows) for rows in saved_bank.values()) > 0
    resumed = train(config(), resume=True, config_path=CONFIG)
    model = resumed.model
    assert resumed.iter == 10 and int(model.iteration) == 10 and not model.in_head_stage
    logged = resumed.message_hub.log_scalars  # stage 3 logs no stale stage-2 values
    assert 'train/loss_cluster' in logged and 'train/loss_front' not in logged
    for concept, rows in saved_bank.items():  # the bank continued from the checkpoint
        assert torch.equal(model.bank.rows[concept][:len(rows)], rows), concept

    final = _load(osp.join(work_dir, 'iter_10.pth'))
    end_of_stage_2 = _load(osp.join(work_dir, 'iter_5.pth'))['state_dict']
    state = final['state_dict']
    torch.testing.assert_close(state['codebook'], codebook)
    torch.testing.assert_close(state['teacher.head.codebook'], codebook)
    assert final['cause_concept_bank']['rows'].shape[0] > 0
    # stage 3 (iterations 6-10) moves only the centroids and the linear probe: no label leakage
    heads = [key for key in state if key.startswith(('student.', 'teacher.'))]
    assert heads
    for key in heads:
        assert torch.equal(state[key], end_of_stage_2[key]), key
    for key in ('cluster_probe.clusters', 'linear_probe.conv.weight'):
        assert not torch.equal(state[key], end_of_stage_2[key]), key

    metrics = evaluate(config(), osp.join(work_dir, 'iter_10.pth'))
    for key in ('cluster/Acc', 'cluster/mIoU', 'linear/Acc', 'linear/mIoU'):
        assert 0 <= metrics[key] <= 100, (key, metrics)

    # PriMaPs-EM on the frozen CAUSE teacher head, prototypes from CAUSE's centroids
    checkpoint = osp.join(work_dir, 'iter_10.pth')
    combined_dir = str(tmp_path / 'combined')
    metrics = train_test(COMBINED, work_dir=combined_dir,
                         cfg_options={'head_checkpoint': checkpoint})
    for key in ('cluster/Acc', 'cluster/mIoU', 'linear/Acc'):
        assert 0 <= metrics[key] <= 100, (key, metrics)
    with open(osp.join(combined_dir, 'last_checkpoint')) as file:
        combined = _load(osp.join(combined_dir, file.read().strip()))['state_dict']
    teacher_keys = [key for key in state if key.startswith('teacher.head.')]
    assert 'teacher.head.codebook' in teacher_keys
    for key in teacher_keys:  # the frozen head is exactly CAUSE's teacher head
        assert torch.equal(combined['head.' + key[len('teacher.head.'):]], state[key]), key
