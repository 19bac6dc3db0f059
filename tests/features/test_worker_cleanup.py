"""Data-loader workers of the precompute pass end with their parent (no orphans when killed)."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

CHILD = textwrap.dedent('''
    import os, sys, time
    import torch
    from useg.features import worker_loader

    class Slow(torch.utils.data.Dataset):
        def __len__(self):
            return 1000
        def __getitem__(self, index):
            # later items block for long (a slow transform, a put into a full pipe): torch's
            # parent watchdog only runs between items
            time.sleep(0.05 if index < 4 else 30)
            return dict(pid=os.getpid())

    loader = worker_loader(Slow(), [[i] for i in range(1000)], workers=2)
    pids = set()
    for batch in loader:
        pids.add(batch['pid'][0])
        if len(pids) == 2:
            print(' '.join(map(str, sorted(pids))), flush=True)
            time.sleep(60)
''')


def alive(pid):
    try:
        with open(f'/proc/{pid}/stat') as file:
            return file.read().split(')')[-1].split()[0] != 'Z'
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='prctl death signal is Linux-only')
def test_workers_die_within_a_second_of_a_killed_parent():
    child = subprocess.Popen([sys.executable, '-c', CHILD], stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ, OMP_NUM_THREADS='1'))
    try:
        workers = [int(pid) for pid in child.stdout.readline().split()]
        assert len(workers) == 2 and all(alive(pid) for pid in workers)
        child.send_signal(signal.SIGKILL)
        child.wait()
        deadline = time.time() + 1.0
        while time.time() < deadline and any(alive(pid) for pid in workers):
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers)
    finally:
        child.kill()
