"""A full disk while saving a checkpoint: one line naming the file and the space it needs, no
partial file, the previous checkpoint intact, and ``--resume`` continues once space is freed."""
import errno
import shutil
import subprocess

import pytest
import torch
from mmengine.fileio.backends import LocalBackend

from tests.apis.test_tools import TINY, data_root_options, run_tool


def train(work_dir, data_root, max_iters, *extra):
    options = data_root_options(data_root, **{'default_hooks.checkpoint.interval': 2,
                                              'train_cfg.val_interval': 100,
                                              'train_cfg.max_iters': max_iters})
    return run_tool('train', TINY, '--work-dir', str(work_dir), *extra, '--cfg-options', *options)


def check_refusal_and_resume(work_dir, data_root, capsys):
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1, error
    assert error[0].startswith(f'error: disk full writing {work_dir / "iter_4.pth"}: it needs about ')
    assert 'free on that disk' in error[0] and '--resume' in error[0]
    assert sorted(path.name for path in work_dir.iterdir() if '.tmp' in path.name) == []
    assert (work_dir / 'last_checkpoint').read_text() == 'iter_2.pth'
    assert torch.load(work_dir / 'iter_2.pth', weights_only=True)['meta']['iter'] == 2
    assert not (work_dir / 'iter_4.pth').exists()


def test_disk_full_while_saving_a_checkpoint(synthetic_data_root, tmp_path, monkeypatch, capsys):
    put = LocalBackend.put

    def put_until_full(self, obj, filepath):
        if 'iter_4' in str(filepath):
            with open(filepath, 'wb') as file:
                file.write(obj[:len(obj) // 2])  # half the file reached the disk
            raise OSError(errno.ENOSPC, 'No space left on device', str(filepath))
        return put(self, obj, filepath)

    monkeypatch.setattr(LocalBackend, 'put', put_until_full)
    work_dir = tmp_path / 'run'
    assert train(work_dir, synthetic_data_root, 4) == 1
    check_refusal_and_resume(work_dir, synthetic_data_root, capsys)
    monkeypatch.setattr(LocalBackend, 'put', put)  # space freed
    assert train(work_dir, synthetic_data_root, 4, '--resume') == 0
    assert 'Resuming from' in capsys.readouterr().out
    assert torch.load(work_dir / 'iter_4.pth', weights_only=True)['meta']['iter'] == 4


def _mount_tmpfs(folder, size):
    if shutil.which('mount') is None:
        return 'no mount command'
    done = subprocess.run(['mount', '-t', 'tmpfs', '-o', f'size={size}', 'tmpfs', str(folder)],
                          capture_output=True, text=True)
    return None if done.returncode == 0 else (done.stderr.strip() or 'mount failed')


def test_disk_full_on_a_real_small_tmpfs(synthetic_data_root, tmp_path, capsys):
    sized = tmp_path / 'sized'
    assert train(sized, synthetic_data_root, 2) == 0  # how large one checkpoint is
    size = (sized / 'iter_2.pth').stat().st_size
    work_dir = tmp_path / 'small_disk'
    work_dir.mkdir()
    reason = _mount_tmpfs(work_dir, int(size * 1.6))
    if reason is not None:
        pytest.skip(f'cannot mount a small tmpfs on this machine ({reason}); '
                    f'test_disk_full_while_saving_a_checkpoint covers the same path')
    try:
        capsys.readouterr()
        assert train(work_dir, synthetic_data_root, 4) == 1
        check_refusal_and_resume(work_dir, synthetic_data_root, capsys)
        subprocess.run(['mount', '-o', f'remount,size={size * 4}', str(work_dir)], check=True)
        assert train(work_dir, synthetic_data_root, 4, '--resume') == 0
        assert torch.load(work_dir / 'iter_4.pth', weights_only=True)['meta']['iter'] == 4
    finally:
        subprocess.run(['umount', '-l', str(work_dir)], capture_output=True)  # lazy: logs stay open
