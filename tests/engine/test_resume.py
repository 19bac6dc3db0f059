"""Resume that survives: atomic saves, relative last_checkpoint, skipping unreadable checkpoints,
one-line errors, and bit-identical kill-and-resume with the RNG state in the checkpoint."""
import os.path as osp
import shutil

import pytest
import torch

from tests.apis.test_tools import TINY, data_root_options, run_tool
from tests.conftest import config_path


def train_tiny(work_dir, data_root, max_iters, *extra, config=TINY):
    options = data_root_options(data_root, **{'default_hooks.checkpoint.interval': 2,
                                              'default_hooks.checkpoint.max_keep_ckpts': 5,
                                              'train_cfg.val_interval': 100,
                                              'train_cfg.max_iters': max_iters})
    return run_tool('train', config, '--work-dir', str(work_dir), *extra, '--cfg-options', *options)


def weights(path):
    return torch.load(path, map_location='cpu', weights_only=True)['state_dict']


@pytest.fixture
def four_iters(synthetic_data_root, tmp_path):
    work_dir = tmp_path / 'run'
    assert train_tiny(work_dir, synthetic_data_root, 4) == 0
    return work_dir


def test_last_checkpoint_is_relative_and_a_copied_work_dir_resumes_from_itself(
        four_iters, synthetic_data_root, tmp_path, capsys):
    assert (four_iters / 'last_checkpoint').read_text() == 'iter_4.pth'
    copy = tmp_path / 'copy'
    shutil.copytree(four_iters, copy)
    shutil.rmtree(four_iters)
    assert train_tiny(copy, synthetic_data_root, 6, '--resume') == 0
    assert f'Resuming from {copy / "iter_4.pth"}' in capsys.readouterr().out


def test_truncated_latest_checkpoint_is_skipped_for_the_newest_intact_one(
        four_iters, synthetic_data_root, capsys):
    latest = four_iters / 'iter_4.pth'
    latest.write_bytes(latest.read_bytes()[:1000])
    with pytest.warns(RuntimeWarning, match=f'skipping unreadable checkpoint {latest}'):
        assert train_tiny(four_iters, synthetic_data_root, 6, '--resume') == 0
    assert 'resumed epoch: 0, iter: 2' in capsys.readouterr().out


def test_bad_last_checkpoint_or_foreign_checkpoint_give_one_line(four_iters, synthetic_data_root,
                                                                 tmp_path, capsys):
    record = four_iters / 'last_checkpoint'
    record.write_text('/somewhere/else/iter_9.pth')
    assert train_tiny(four_iters, synthetic_data_root, 6, '--resume') == 1
    assert f'{record} names /somewhere/else/iter_9.pth, outside this work dir' in capsys.readouterr().err

    empty = tmp_path / 'empty'
    empty.mkdir()
    (empty / 'last_checkpoint').write_text('')
    assert train_tiny(empty, synthetic_data_root, 2, '--resume') == 1
    assert capsys.readouterr().err.strip() == (
        f'error: {empty / "last_checkpoint"} is empty and {empty} holds no iter_*.pth checkpoint: '
        f'delete {empty / "last_checkpoint"} to start fresh')

    checkpoint = torch.load(four_iters / 'iter_4.pth', weights_only=True)
    record.write_text('iter_4.pth')
    plain = dict(state_dict=checkpoint['state_dict'])  # weights only, no training state
    torch.save(plain, four_iters / 'iter_4.pth')
    assert train_tiny(four_iters, synthetic_data_root, 6, '--resume') == 1
    assert 'holds weights only (no training state) and cannot be resumed' in capsys.readouterr().err

    other = dict(checkpoint, state_dict={f'other_model.{k}': v for k, v in checkpoint['state_dict'].items()})
    torch.save(other, four_iters / 'iter_4.pth')
    assert train_tiny(four_iters, synthetic_data_root, 6, '--resume') == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and 'does not fit the model of this config' in err


def test_checkpoint_write_is_atomic(synthetic_data_root, tmp_path, monkeypatch):
    """A save killed half-way leaves no file under the checkpoint's name."""
    import mmengine.runner.runner as mmengine_runner

    def killed_while_writing(checkpoint, filename, **kwargs):
        with open(filename, 'wb') as file:
            file.write(b'PK\x03\x04 half a zip')
        raise KeyboardInterrupt

    monkeypatch.setattr(mmengine_runner, 'save_checkpoint', killed_while_writing)
    with pytest.raises(KeyboardInterrupt):
        train_tiny(tmp_path, synthetic_data_root, 2)
    assert not (tmp_path / 'iter_2.pth').exists()


@pytest.mark.parametrize('config', ['baseline', 'stego', 'eagle', 'hp'])
def test_kill_and_resume_gives_bit_identical_weights(config, synthetic_data_root, tmp_path):
    """STEGO draws dropout masks, sample coordinates and neighbours, EAGLE its schedule switch
    (at iteration 4) and HP its reference pools: the RNG state and the counters are resumed."""
    config = config_path(config, 'tiny_synthetic.py')
    extra = []
    if 'stego' in config:
        from useg.apis import load_config, set_data_root
        from useg.neighbors.precompute import precompute_knn
        cfg = load_config(config, {'train_dataloader.dataset.knn.cache_dir': str(tmp_path / 'knn')})
        set_data_root(cfg, synthetic_data_root)
        precompute_knn(cfg, workers=0)
        extra = [f'train_dataloader.dataset.knn.cache_dir={tmp_path / "knn"}',
                 f'train_dataloader.dataset.dataset.data_root={synthetic_data_root}']

    def run(work_dir, iters, *args):
        options = data_root_options(synthetic_data_root, **{
            'default_hooks.checkpoint.interval': 3, 'train_cfg.val_interval': 100,
            'train_cfg.max_iters': iters})
        if extra:  # the wrapped dataset's root is set above
            options = [o for o in options if not o.startswith('train_dataloader.dataset.data_root')]
        assert run_tool('train', config, '--work-dir', str(work_dir), *args, '--cfg-options',
                        *options, *extra) == 0

    run(tmp_path / 'straight', 6)
    run(tmp_path / 'killed', 3)
    run(tmp_path / 'killed', 6, '--resume')
    straight, resumed = weights(tmp_path / 'straight' / 'iter_6.pth'), weights(tmp_path / 'killed' / 'iter_6.pth')
    for key in straight:
        assert torch.equal(straight[key], resumed[key]), key


def test_load_from_a_checkpoint_of_another_model_is_refused_in_one_line(
        four_iters, synthetic_data_root, tmp_path, capsys):
    state = weights(four_iters / 'iter_4.pth')
    other = {key: value for key, value in state.items() if not key.startswith('linear_probe.')}
    other['teacher.prototypes'] = torch.zeros(4, 8)  # e.g. an EMA teacher of another method
    torch.save({'state_dict': other, 'meta': {}}, tmp_path / 'other.pth')
    capsys.readouterr()
    assert train_tiny(tmp_path / 'from_other', synthetic_data_root, 2, '--cfg-options',
                      f'load_from={tmp_path / "other.pth"}') == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and f'checkpoint {tmp_path / "other.pth"} does not fit' in error[0]
    assert 'missing keys (linear_probe.' in error[0] and 'teacher.prototypes' in error[0]
    assert not list((tmp_path / 'from_other').glob('*.pth'))
    # a checkpoint of this model still starts a training
    assert train_tiny(tmp_path / 'from_same', synthetic_data_root, 2, '--cfg-options',
                      f'load_from={four_iters / "iter_4.pth"}') == 0
