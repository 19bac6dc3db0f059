"""tools/train.py, tools/test.py and tools/infer.py: the main job, resume, and one-line errors."""
import os.path as osp
import subprocess
import sys

import pytest

from useg.testing import REPO_ROOT, load_script

TINY = osp.join(REPO_ROOT, 'configs', 'baseline', 'tiny_synthetic.py')


def load_tool(name):
    return load_script('tools', f'{name}.py')


def run_tool(name, *argv):
    """Run a tool in-process as its ``__main__`` does; returns the exit code (0 on success)."""
    from useg.apis import run_cli
    tool = load_tool(name)
    try:
        run_cli(lambda: tool.main(list(argv)))
    except SystemExit as exit_:
        return exit_.code
    return 0


def data_root_options(root, **extra):
    options = [f'{loader}.dataset.data_root={root}' for loader in
               ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    return options + [f'{key}={value}' for key, value in extra.items()]


@pytest.fixture(scope='module')
def trained(tmp_path_factory, synthetic_data_root):
    """A tiny model trained through tools/train.py: (work_dir, checkpoint)."""
    work_dir = str(tmp_path_factory.mktemp('tiny'))
    code = run_tool('train', TINY, '--work-dir', work_dir, '--cfg-options',
                    *data_root_options(synthetic_data_root))
    assert code == 0
    return work_dir, osp.join(work_dir, 'iter_60.pth')


def test_train_then_test_prints_metrics_and_writes_overlays(trained, synthetic_data_root, tmp_path, capsys):
    work_dir, checkpoint = trained
    out = tmp_path / 'metrics.json'
    code = run_tool('test', TINY, checkpoint, '--work-dir', str(tmp_path), '--out', str(out),
                    '--show-dir', str(tmp_path / 'show'), '--cfg-options',
                    *data_root_options(synthetic_data_root))
    assert code == 0
    import json
    metrics = json.loads(out.read_text())
    assert 0 <= metrics['cluster/mIoU'] <= 100 and 0 <= metrics['linear/Acc'] <= 100
    assert metrics['linear/Acc'] > 50  # 4 separable synthetic classes: far above chance (25 %)
    assert len(list((tmp_path / 'show').glob('*.png'))) == 8


def test_infer_writes_label_maps_and_overlays(trained, synthetic_data_root, tmp_path):
    _, checkpoint = trained
    code = run_tool('infer', TINY, checkpoint, osp.join(synthetic_data_root, 'imgs', 'val'),
                    '--out-dir', str(tmp_path), '--short-side', '64')
    assert code == 0
    from PIL import Image
    label = Image.open(tmp_path / '0000.png')
    assert label.size == (96, 96)  # back at the original image size
    assert (tmp_path / '0000_overlay.png').is_file()


def test_resume_continues_from_the_latest_checkpoint(synthetic_data_root, tmp_path, capsys):
    options = data_root_options(synthetic_data_root, **{'default_hooks.checkpoint.interval': 2,
                                                         'train_cfg.val_interval': 100})
    assert run_tool('train', TINY, '--work-dir', str(tmp_path), '--cfg-options',
                    'train_cfg.max_iters=4', *options) == 0
    assert run_tool('train', TINY, '--work-dir', str(tmp_path), '--resume', '--cfg-options',
                    'train_cfg.max_iters=6', *options) == 0
    log = capsys.readouterr().out
    assert 'resumed epoch: 0, iter: 4' in log
    assert (tmp_path / 'iter_6.pth').is_file()


def test_resume_without_checkpoint_warns_and_starts_fresh(synthetic_data_root, tmp_path):
    with pytest.warns(RuntimeWarning, match='no checkpoint found'):
        code = run_tool('train', TINY, '--work-dir', str(tmp_path), '--resume', '--cfg-options',
                        'train_cfg.max_iters=2', 'train_cfg.val_interval=100', *data_root_options(synthetic_data_root))
    assert code == 0 and (tmp_path / 'iter_2.pth').is_file()


def test_bad_inputs_give_one_line_and_exit_1(trained, synthetic_data_root, tmp_path, capsys):
    _, checkpoint = trained
    assert run_tool('train', str(tmp_path / 'nope.py')) == 1
    assert capsys.readouterr().err.strip() == f'error: config file not found: {tmp_path / "nope.py"}'

    assert run_tool('test', TINY, str(tmp_path / 'missing.pth')) == 1
    assert 'error: checkpoint not found' in capsys.readouterr().err

    # a checkpoint of a different model: the probes have other shapes
    assert run_tool('test', TINY, checkpoint, '--work-dir', str(tmp_path), '--cfg-options',
                    'model.cluster_probe.num_clusters=7', *data_root_options(synthetic_data_root)) == 1
    err = capsys.readouterr().err
    assert 'does not fit the model' in err and 'cluster_probe.clusters (4, 48) vs model (7, 48)' in err

    assert run_tool('train', TINY, '--work-dir', str(tmp_path), '--cfg-options',
                    'model.cluster_probe.type=ClusterProbes', *data_root_options(synthetic_data_root)) == 1
    err = capsys.readouterr().err
    assert "'ClusterProbes' is not registered in the useg::model registry" in err
    assert 'Closest registered names: ClusterProbe' in err


def test_cli_errors_have_no_traceback(tmp_path):
    result = subprocess.run([sys.executable, osp.join(REPO_ROOT, 'tools', 'test.py'), TINY,
                             str(tmp_path / 'missing.pth')], capture_output=True, text=True, cwd=REPO_ROOT)
    assert result.returncode == 1
    assert 'Traceback' not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f'error: checkpoint not found: {tmp_path / "missing.pth"}'
