"""2-process CPU (gloo) data-parallel training through ``torchrun tools/train.py --launcher pytorch``.

Baseline: the 2-process run (batch 2 per rank) ends with the single-process weights (batch 4).
PriMaPs-EM and SmooSeg: the EMA teacher / EMA prototypes are identical on both ranks. STEGO (and
PriMaPs, SmooSeg) are not compared with the single-process run: STEGO draws its sample coordinates
and its negative permutation per process batch (2 images per rank instead of 4 in one batch, from
each rank's own generator), PriMaPs flips each sample with the process's generator, so the draws of
a 2-process run are not those of a 1-process run; the baseline draws nothing at random.
"""
import os.path as osp

import pytest
import torch

from useg.testing import config_path, distributed_config, load, torchrun

pytestmark = pytest.mark.skipif(not torch.distributed.is_gloo_available(), reason='needs gloo')


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
