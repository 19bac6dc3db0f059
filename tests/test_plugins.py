"""Plugin discovery with real packages installed by pip (into a folder put on the path)."""
import os
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
    """The template plugin and a plugin that raises on import, pip-installed into one folder."""
    root = tmp_path_factory.mktemp('plugins')
    broken = root / 'broken'
    (broken / 'useg_broken_example').mkdir(parents=True)
    (broken / 'pyproject.toml').write_text(BROKEN_PYPROJECT)
    (broken / 'useg_broken_example' / '__init__.py').write_text('raise ImportError("boom on import")\n')
    site = root / 'site'
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps', '--no-build-isolation',
                    '--target', str(site), os.path.join(REPO_ROOT, 'plugins', 'template'), str(broken)],
                   check=True, capture_output=True)
    return str(site)


def run_python(code, site):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([site, REPO_ROOT]))
    return subprocess.run([sys.executable, '-W', 'always::RuntimeWarning', '-c', textwrap.dedent(code)],
                          capture_output=True, text=True, env=env, cwd=REPO_ROOT)


def test_installed_plugin_is_discovered_and_broken_one_only_warns(plugin_site):
    result = run_python('''
        from useg.registry import MODELS
        head = MODELS.build(dict(type='RandomProjectionHead', in_channels=8, channels=3))
        import torch
        print('built', tuple(head(torch.zeros(1, 8, 2, 2)).shape))
        from useg.plugins import discover_plugins
        found = discover_plugins()
        print('template ok', not isinstance(found['template'], Exception))
        print('broken is error', isinstance(found['broken_example'], ImportError))
    ''', plugin_site)
    assert result.returncode == 0, result.stderr
    assert 'built (1, 3, 2, 2)' in result.stdout
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
