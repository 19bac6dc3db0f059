"""One training per work dir: a running one's lock refuses a second, a killed one's is taken
over, and partial writes of an interrupted run are removed at the next start."""
import json
import os
import socket
import subprocess
import sys

import pytest

from tests.apis.test_tools import TINY, data_root_options, run_tool
from useg.engine.work_dir_lock import LOCK_FILE, acquire_work_dir_lock, work_dir_lock
from useg.utils import UsegError


def write_lock(work_dir, pid):
    work_dir.mkdir(parents=True, exist_ok=True)
    (work_dir / LOCK_FILE).write_text(json.dumps(dict(pid=pid, host=socket.gethostname(),
                                                      command='useg train other.py')))


def test_second_training_on_a_locked_work_dir_refuses_in_one_line(synthetic_data_root, tmp_path,
                                                                  capsys):
    first = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    try:
        write_lock(tmp_path / 'run', first.pid)
        options = data_root_options(synthetic_data_root, **{'train_cfg.max_iters': 2})
        code = run_tool('train', TINY, '--work-dir', str(tmp_path / 'run'), '--cfg-options',
                        *options)
        error = capsys.readouterr().err.strip().splitlines()
        assert code == 1 and len(error) == 1
        assert f'in use by training process {first.pid}' in error[0]
        assert '--work-dir' in error[0] and 'wait' in error[0]
        assert not list((tmp_path / 'run').glob('*.pth'))  # nothing was trained
    finally:
        first.kill()
        first.wait()


def test_lock_of_a_killed_run_is_taken_over_and_partial_writes_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, '-c', 'pass'])
    dead.wait()
    work_dir = tmp_path / 'run'
    write_lock(work_dir, dead.pid)
    (work_dir / 'iter_4.pth.tmp12345').write_bytes(b'half a checkpoint')
    (work_dir / 'iter_2.pth').write_bytes(b'kept')
    with pytest.warns(RuntimeWarning, match='is gone'):
        with work_dir_lock(str(work_dir)) as path:
            assert json.loads(open(path).read())['pid'] == os.getpid()
            assert not (work_dir / 'iter_4.pth.tmp12345').exists()
            assert (work_dir / 'iter_2.pth').read_bytes() == b'kept'
            with pytest.raises(UsegError, match=f'process {os.getpid()}'):
                acquire_work_dir_lock(str(work_dir))  # held while the block runs
    assert not (work_dir / LOCK_FILE).exists()  # released at the end


def test_a_finished_training_leaves_no_lock(synthetic_data_root, tmp_path):
    options = data_root_options(synthetic_data_root, **{'train_cfg.max_iters': 1,
                                                        'train_cfg.val_interval': 100})
    assert run_tool('train', TINY, '--work-dir', str(tmp_path / 'run'), '--cfg-options',
                    *options) == 0
    assert not (tmp_path / 'run' / LOCK_FILE).exists()
    assert list((tmp_path / 'run').glob('*.pth'))
