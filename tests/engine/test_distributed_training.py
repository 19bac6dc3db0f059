"""2-process CPU (gloo) data-parallel training through ``torchrun tools/train.py --launcher pytorch``.

Baseline: the 2-process run (batch 2 per rank) ends with the single-process weights (batch 4).
PriMaPs-EM and SmooSeg: the EMA teacher / EMA prototypes are identical on both ranks. STEGO (and
PriMaPs, SmooSeg) are not compared with the single-process run: STEGO draws its sample coordinates
and its negative permutation per process batch (2 images per rank instead of 4 in one batch, from
each rank's own generator), PriMaPs flips each sample with the process's generator, so the draws of
a 2-process run are not those of a 1-process run; the baseline draws nothing at random.
"""
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest
import torch

from tests.conftest import REPO_ROOT, config_path

pytestmark = pytest.mark.skipif(not torch.distributed.is_gloo_available(), reason='needs gloo')


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def distributed_config(config, data_root, work_dir, tmp_path, **options):
    """``config`` on the generated data, with every rank saving its final weights."""
    from useg.apis import load_config, set_data_root
    cfg = load_config(config, options, work_dir)
    set_data_root(cfg, data_root)
    cfg.custom_imports = dict(imports=['tests.engine.rank_weights_hook'], allow_failed_imports=False)
    cfg.custom_hooks = list(cfg.custom_hooks) + [dict(type='RankWeightsTestHook')]
    if cfg.get('pseudo_labels'):
        from useg.pseudo_labels import precompute_pseudo_labels
        cfg.pseudo_labels.cache_dir = str(tmp_path / 'pseudo_labels')
        precompute_pseudo_labels(cfg, workers=0)
    path = str(tmp_path / f'{osp.basename(work_dir)}.py')
    cfg.dump(path)
    return path


def torchrun(config, nproc):
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO_ROOT)
    result = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', f'--nproc_per_node={nproc}',
         f'--master_port={free_port()}', osp.join(REPO_ROOT, 'tools', 'train.py'), config,
         '--launcher', 'pytorch'], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def load(path):
    return torch.load(path, map_location='cpu', weights_only=True)


def validation_metrics(work_dir):
    """The metrics of the validation at the end of a run (mmengine's scalars.json)."""
    import glob
    import json
    (path,) = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    with open(path) as file:
        rows = [json.loads(line) for line in file if line.strip()]
    return {key: value for key, value in rows[-1].items() if '/' in key}


def test_two_processes_match_one_process_at_equal_global_batch(synthetic_data_root, tmp_path):
    from useg.apis import train
    options = {'train_cfg.max_iters': 4, 'train_cfg.val_interval': 4,
               'default_hooks.checkpoint.interval': 4}
    single = distributed_config(config_path('baseline', 'tiny_synthetic.py'), synthetic_data_root,
                                str(tmp_path / 'single'), tmp_path, **options)
    from useg.apis import load_config
    train(load_config(single))
    double = distributed_config(config_path('baseline', 'tiny_synthetic.py'), synthetic_data_root,
                                str(tmp_path / 'double'), tmp_path,
                                **options, **{'train_dataloader.batch_size': 2})
    torchrun(double, 2)
    reference = load(tmp_path / 'single' / 'rank0.pth')
    ranks = [load(tmp_path / 'double' / f'rank{rank}.pth') for rank in (0, 1)]
    trained = [key for key in reference if key.startswith(('cluster_probe', 'linear_probe'))]
    assert trained
    for key in reference:
        torch.testing.assert_close(ranks[0][key], ranks[1][key], rtol=0, atol=0)  # same on every rank
        torch.testing.assert_close(ranks[0][key], reference[key], rtol=1e-5, atol=1e-6)
    saved = load(tmp_path / 'double' / 'iter_4.pth')['state_dict']
    for key in trained:
        torch.testing.assert_close(saved[key], ranks[0][key], rtol=0, atol=0)  # rank 0 saved it
    # the validation metric gathers both ranks' halves of the split: the single-process numbers
    single_metrics, double_metrics = (validation_metrics(tmp_path / run) for run in ('single', 'double'))
    assert 'cluster/mIoU' in single_metrics
    assert double_metrics == pytest.approx(single_metrics, abs=1e-3)


@pytest.mark.parametrize('plugin, teacher_prefix', [('primaps', 'teacher.'),
                                                     ('smooseg', 'teacher.')])
def test_ema_teachers_stay_identical_on_every_rank(plugin, teacher_prefix, synthetic_data_root,
                                                   tmp_path):
    config = distributed_config(config_path(plugin, 'tiny_synthetic.py'), synthetic_data_root,
                                str(tmp_path / plugin), tmp_path,
                                **{'train_cfg.max_iters': 4, 'train_cfg.val_interval': 100,
                                   'default_hooks.checkpoint.interval': 4,
                                   'train_dataloader.batch_size': 2})
    torchrun(config, 2)
    ranks = [load(tmp_path / plugin / f'rank{rank}.pth') for rank in (0, 1)]
    teacher = [key for key in ranks[0] if key.startswith(teacher_prefix)]
    assert teacher
    for key in ranks[0]:
        torch.testing.assert_close(ranks[0][key], ranks[1][key], rtol=0, atol=0, msg=key)
