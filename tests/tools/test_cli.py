"""The ``useg`` console command, run from outside the checkout; configs shipped in the wheel."""
import os
import os.path as osp
import shutil
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from PIL import Image

from useg import cli
from useg.tools import analyze_logs

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
USEG = osp.join(osp.dirname(sys.executable), 'useg')  # the console script of this environment
ENV = dict(os.environ, OMP_NUM_THREADS='1', PYTHONWARNINGS='ignore')


def useg(*args, cwd, env=ENV):
    return subprocess.run([USEG, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_help_lists_commands_and_installed_plugins(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(['--help']) == 0
    out = capsys.readouterr().out
    for command in ('train', 'test', 'infer', 'precompute', 'reproduce', 'analyze-logs', 'demo'):
        assert f'\n  {command} ' in out
    assert 'useg_primaps' in out and 'useg_stego' in out
    assert cli.main(['trian']) == 2 and "unknown command 'trian'" in capsys.readouterr().err


def test_train_a_shipped_config_by_name_outside_the_checkout(synthetic_data_root, tmp_path):
    """``useg train baseline/tiny_synthetic`` from a folder that is not the checkout, with
    TensorBoard logging; then ``useg analyze-logs`` plots its curves."""
    roots = [f'{loader}.dataset.data_root={synthetic_data_root}'
             for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    result = useg('train', 'baseline/tiny_synthetic', '--work-dir', 'run', '--tensorboard',
                  '--cfg-options', 'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
                  'default_hooks.logger.interval=1', 'default_hooks.checkpoint.interval=2', *roots,
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / 'run' / 'iter_2.pth').is_file()
    events = list((tmp_path / 'run').rglob('events.out.tfevents.*'))
    assert len(events) == 1
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    accumulator = EventAccumulator(str(events[0].parent))
    accumulator.Reload()
    assert {'loss', 'cluster/mIoU'} <= set(accumulator.Tags()['scalars'])

    out = analyze_logs.main([str(tmp_path / 'run'), '--out', str(tmp_path / 'curves.png')])
    curves = np.asarray(Image.open(out).convert('RGB'))
    assert curves.shape[0] > 600  # losses and metrics: several rows of subplots
    assert len(np.unique(curves.reshape(-1, 3), axis=0)) > 30



def test_unknown_config_name_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        cli.main(['train', 'baseline/no_such_config'])
    assert exit_.value.code == 1
    assert capsys.readouterr().err.strip().startswith(
        'error: config file not found: baseline/no_such_config (not a file, nor a config name')


def test_every_command_runs_a_package_module_with_a_main():
    for module_name, _, _ in cli.COMMANDS.values():
        module = cli.load_tool(module_name)
        assert module.__name__ == f'useg.tools.{module_name}' and callable(module.main)


def test_wheel_ships_the_configs_and_resolves_them_without_a_checkout(tmp_path):
    source = tmp_path / 'src'
    for name in ('setup.py', 'README.md'):
        shutil.copy(osp.join(REPO_ROOT, name), source / name if source.exists() else
                    (source.mkdir() or source / name))
    ignore = shutil.ignore_patterns('__pycache__', '.mim', '*.egg-info')
    for name in ('useg', 'configs'):
        shutil.copytree(osp.join(REPO_ROOT, name), source / name, ignore=ignore)
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '--no-build-isolation',
                    '-w', str(tmp_path / 'dist'), str(source)], check=True, env=ENV, timeout=300,
                   capture_output=True)
    wheel = next((tmp_path / 'dist').glob('useg-*.whl'))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert 'useg/.mim/configs/baseline/tiny_synthetic.py' in names
        assert 'useg/.mim/configs/_base_/datasets/synthetic.py' in names
        entry_points = archive.read(next(n for n in names if n.endswith('entry_points.txt')))
        assert b'useg = useg.cli:main' in entry_points
        archive.extractall(tmp_path / 'site')
    # the installed package alone (no checkout next to it) resolves and loads a shipped config
    env = dict(ENV, PYTHONPATH=str(tmp_path / 'site'))
    result = subprocess.run([sys.executable, '-m', 'useg.cli', 'precompute',
                             'baseline/tiny_synthetic'], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    shipped = osp.join(str(tmp_path / 'site'), 'useg', '.mim', 'configs', 'baseline',
                       'tiny_synthetic.py')
    assert f'{shipped} trains without pseudo labels or KNN tables' in result.stdout


def test_precompute_runs_the_step_the_config_needs(synthetic_data_root, tmp_path, monkeypatch,
                                                   capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(['precompute', 'primaps/tiny_synthetic', '--workers', '0', '--cfg-options',
                     f'train_dataloader.dataset.data_root={synthetic_data_root}',
                     f'pseudo_labels.cache_dir={tmp_path / "cache"}']) == 0
    assert 'precomputed: pseudo_labels' in capsys.readouterr().out
    assert len(list((tmp_path / 'cache').rglob('*.png'))) == 16  # one map per training image


def test_every_command_takes_and_lists_threads_and_debug(capsys):
    """``--threads`` / ``--debug`` are in every command's ``--help`` and accepted by it."""
    for command, (module, _, _) in cli.COMMANDS.items():
        with pytest.raises(SystemExit) as exit_:
            cli.load_tool(module).main(['--help'])
        assert exit_.value.code == 0
        out = capsys.readouterr().out
        assert '--threads' in out and '--debug' in out, command


def test_make_synthetic_data_command_with_threads(tmp_path):
    done = useg('make-synthetic-data', str(tmp_path / 'data'), '--num-train', '2', '--num-val', '1',
                '--threads', '1', cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / 'data' / 'imgs' / 'train').iterdir())) == 2
    assert len(list((tmp_path / 'data' / 'labels' / 'val').iterdir())) == 1
    done = useg('analyze-logs', str(tmp_path / 'nothing'), '--threads', '1', cwd=tmp_path)
    assert 'unrecognized arguments' not in done.stderr


def test_messages_name_the_useg_command_outside_a_checkout(tmp_path, monkeypatch):
    from useg.datasets import ImageFolderDataset
    from useg.utils import commands
    from useg.precompute import precompute_command
    assert precompute_command('x.py') == 'useg precompute x.py'  # checkout and wheel alike
    assert commands.tool_command('infer.py', 'x.py').startswith('python tools/infer.py')
    monkeypatch.setattr(commands, 'CHECKOUT', str(tmp_path))  # an installed wheel: no tools/
    assert commands.tool_command('infer.py', 'x.py') == 'useg infer x.py'
    with pytest.raises(FileNotFoundError) as error:
        ImageFolderDataset(data_root=str(tmp_path / 'missing'), num_classes=3)
    assert 'useg make-synthetic-data DATA_ROOT' in str(error.value)
    assert 'tools/' not in str(error.value) and 'site-packages' not in str(error.value)


def test_print_config_shows_the_resolved_config(tmp_path):
    done = useg('print-config', 'stego/tiny_synthetic', '--cfg-options', 'train_cfg.max_iters=7',
                '--save', str(tmp_path / 'resolved.py'), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "'${" not in done.stdout  # variables resolved
    assert 'max_iters=7' in done.stdout and "type='STEGOSegmentor'" in done.stdout
    from mmengine.config import Config
    assert Config.fromfile(str(tmp_path / 'resolved.py')).train_cfg.max_iters == 7
