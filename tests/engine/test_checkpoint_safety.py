"""Checkpoints are data: a crafted pickle runs nothing anywhere useg reads a checkpoint, even when
the environment asks torch to unpickle freely (TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1)."""
import os
import os.path as osp

import pytest
import torch

from tests.apis.test_tools import TINY, data_root_options, run_tool


class RunsCode:
    """Unpickling this creates a folder: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker,)


@pytest.fixture
def crafted(tmp_path, monkeypatch):
    """``(work_dir, checkpoint, marker)``: a code-running checkpoint recorded as the latest."""
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    marker = str(tmp_path / 'code_ran')
    work_dir = tmp_path / 'work_dir'
    work_dir.mkdir()
    checkpoint = str(work_dir / 'iter_4.pth')
    torch.save({'meta': {'iter': 4, 'epoch': 0, 'payload': RunsCode(marker)},
                'state_dict': {'cluster_probe.clusters': torch.zeros(4, 48)}}, checkpoint)
    (work_dir / 'last_checkpoint').write_text('iter_4.pth')
    return str(work_dir), checkpoint, marker


def test_crafted_checkpoint_runs_nothing_in_any_tool(crafted, synthetic_data_root, capsys):
    work_dir, checkpoint, marker = crafted
    options = ['--cfg-options', 'train_cfg.max_iters=2', 'train_cfg.val_interval=100',
               *data_root_options(synthetic_data_root)]
    with pytest.warns(RuntimeWarning, match=f'skipping unreadable checkpoint {checkpoint}'):
        assert run_tool('train', TINY, '--work-dir', work_dir, '--resume', *options) == 1
    assert 'no intact checkpoint' in capsys.readouterr().err
    assert run_tool('train', TINY, '--work-dir', work_dir, *options[:-len(data_root_options(''))],
                    *data_root_options(synthetic_data_root), f'load_from={checkpoint}') == 1
    assert 'cannot be loaded safely' in capsys.readouterr().err
    assert run_tool('test', TINY, checkpoint, '--work-dir', work_dir) == 1
    assert run_tool('infer', TINY, checkpoint, synthetic_data_root, '--out-dir',
                    osp.join(work_dir, 'out')) == 1
    from useg.models.backbones import read_checkpoint
    with pytest.raises(RuntimeError, match='--allow-pickle'):
        read_checkpoint(checkpoint)
    assert not osp.exists(marker)


def test_the_crafted_checkpoint_does_run_code_when_unpickled_freely(crafted):
    """The control: the same file does run code through a plain ``torch.load``."""
    _, checkpoint, marker = crafted
    torch.load(checkpoint, weights_only=False)
    assert osp.isdir(marker)


def test_truncated_checkpoint_gives_one_line_in_test(tmp_path, capsys):
    checkpoint = tmp_path / 'iter_4.pth'
    torch.save({'state_dict': {'w': torch.zeros(1000)}}, checkpoint)
    checkpoint.write_bytes(checkpoint.read_bytes()[:500])
    assert run_tool('test', TINY, str(checkpoint), '--work-dir', str(tmp_path)) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f'error: checkpoint {checkpoint} is unreadable') and len(err.splitlines()) == 1
