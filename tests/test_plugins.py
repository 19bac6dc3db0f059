"""Plugin discovery with real packages installed by pip (into a folder put on the path), and the
template copied, renamed and trained as plugins/template/README.md tells a newcomer."""
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BROKEN_PYPROJECT = '''
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"
[project]
name = "useg-broken-example"
version = "0.0.1"
[project.entry-points."useg.plugins"]
broken_example = "useg_broken_example"
[tool.setuptools]
packages = ["useg_broken_example"]
'''


@pytest.fixture(scope='module')
def plugin_site(tmp_path_factory):
    """The template plugin, a renamed copy of it and a plugin that raises on import, pip-installed
    into one folder."""
    root = tmp_path_factory.mktemp('plugins')
    broken = root / 'broken'
    (broken / 'useg_broken_example').mkdir(parents=True)
    (broken / 'pyproject.toml').write_text(BROKEN_PYPROJECT)
    (broken / 'useg_broken_example' / '__init__.py').write_text('raise ImportError("boom on import")\n')
    site = root / 'site'
    copy = renamed_template(root, 'mymethod', 'MyMethod')
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps', '--no-build-isolation',
                    '--target', str(site), os.path.join(REPO_ROOT, 'plugins', 'template'), str(broken),
                    str(copy)], check=True, capture_output=True)
    return str(site)


def run_python(code, site):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([site, REPO_ROOT]))
    return subprocess.run([sys.executable, '-W', 'always::RuntimeWarning', '-c', textwrap.dedent(code)],
                          capture_output=True, text=True, env=env, cwd=REPO_ROOT)


def test_installed_plugin_is_discovered_and_broken_one_only_warns(plugin_site):
    result = run_python('''
        from useg.registry import MODELS
        loss = MODELS.build(dict(type='TemplateLoss', num_pairs=4))
        import torch
        print('built', float(loss(torch.ones(1, 8, 2, 2), torch.ones(1, 3, 2, 2))))
        from useg.plugins import discover_plugins
        found = discover_plugins()
        print('template ok', not isinstance(found['template'], Exception))
        print('broken is error', isinstance(found['broken_example'], ImportError))
    ''', plugin_site)
    assert result.returncode == 0, result.stderr
    assert 'built 0.0' in result.stdout
    assert 'template ok True' in result.stdout and 'broken is error True' in result.stdout
    assert "useg plugin 'broken_example' (useg_broken_example) failed to load" in result.stderr
    assert 'boom on import' in result.stderr


def test_plugins_are_imported_once_and_lazily(plugin_site):
    result = run_python('''
        import sys
        import useg.registry
        print('before', 'useg_template' in sys.modules)
        useg.registry.MODELS.get('ClusterProbe')
        print('after', 'useg_template' in sys.modules)
        from useg.plugins import discover_plugins
        print('same', discover_plugins() is discover_plugins())
    ''', plugin_site)
    assert result.returncode == 0, result.stderr
    assert 'before False' in result.stdout and 'after True' in result.stdout and 'same True' in result.stdout


def renamed_template(root, name, camel):
    """Copy plugins/template to ``root/name`` and rename it (README steps 1-2)."""
    target = root / name
    shutil.copytree(os.path.join(REPO_ROOT, 'plugins', 'template'), target,
                    ignore=shutil.ignore_patterns('*.egg-info', '__pycache__', 'build'))
    (target / 'useg_template').rename(target / f'useg_{name}')
    for path in sorted(target.rglob('*')):
        if path.is_file():
            path.write_text(path.read_text().replace('Template', camel).replace('template', name))
            if 'template' in path.name:
                path.rename(path.with_name(path.name.replace('template', name)))
    return target


def test_a_renamed_copy_of_the_template_installs_and_trains(plugin_site, tmp_path):
    source = os.path.join(os.path.dirname(plugin_site), 'mymethod')
    result = run_python(f"""
        import os.path as osp
        from useg.apis import load_config, set_data_root, test, train
        from useg.datasets import make_synthetic_dataset
        make_synthetic_dataset({str(tmp_path / 'data')!r}, num_train=8, num_val=4, size=(64, 64),
                               num_classes=4, seed=0)
        options = {{'train_cfg.max_iters': 4, 'train_cfg.val_interval': 4,
                    'default_hooks.checkpoint.interval': 4}}
        config = {os.path.join(source, 'configs', 'tiny_synthetic.py')!r}
        cfg = set_data_root(load_config(config, options, {str(tmp_path / 'work')!r}),
                            {str(tmp_path / 'data')!r})
        runner = train(cfg)
        print('model', type(runner.model).__name__)
        cfg = set_data_root(load_config(config, options, {str(tmp_path / 'work')!r}),
                            {str(tmp_path / 'data')!r})
        metrics = test(cfg, osp.join({str(tmp_path / 'work')!r}, 'iter_4.pth'))
        print('mIoU', 0 <= metrics['cluster/mIoU'] <= 100)
    """, plugin_site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'model MyMethodSegmentor' in result.stdout and 'mIoU True' in result.stdout
