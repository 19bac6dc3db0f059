"""Config mistakes fail in one line before anything is built: option values of the wrong type,
keys no component accepts, a plugin that is not installed."""
import sys

import pytest

from tests.apis.test_tools import TINY, run_tool
from tests.conftest import config_path
from useg.apis import load_config
from useg.utils import UsegError


@pytest.mark.parametrize('option, expected', [
    ('train_cfg.max_iters=abc', "train_cfg.max_iters='abc': train_cfg.max_iters expects an integer"),
    ('train_cfg.max_iters=1.5', 'expects an integer (the config tiny_synthetic.py has 60)'),
    ('model.test_cfg.crf=maybe', 'model.test_cfg.crf expects true/false'),
])
def test_bad_option_value_names_key_and_expected_type(option, expected, tmp_path, capsys):
    assert run_tool('train', TINY, '--work-dir', str(tmp_path), '--cfg-options', option) == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and expected in error[0]


def test_option_values_of_the_right_type_pass():
    cfg = load_config(TINY, {'train_cfg.max_iters': 5, 'model.test_cfg.crf': False,
                             'optim_wrapper.cluster_probe.optimizer.lr': 1}, 'work')
    assert cfg.train_cfg.max_iters == 5 and cfg.optim_wrapper.cluster_probe.optimizer.lr == 1


def test_key_typos_are_reported_before_anything_is_built(tmp_path):
    config = tmp_path / 'typo.py'
    config.write_text(f'_base_ = [{TINY!r}]\nmodel = dict(cluster_probe=dict(num_clusterz=4))\n')
    with pytest.raises(UsegError, match=r'model\.cluster_probe\.num_clusterz is not an argument '
                                        r'of ClusterProbe \(did you mean model\.cluster_probe\.'
                                        r'num_clusters\?\)'):
        load_config(str(config), None, 'work')
    with pytest.raises(UsegError, match=r'has no trian_cfg \(did you mean train_cfg\?\)'):
        load_config(TINY, {'trian_cfg.max_iters': 5}, 'work')
    with pytest.raises(UsegError, match=r'has no train_cfg\.max_iter \(did you mean '
                                        r'train_cfg\.max_iters\?\)'):
        load_config(TINY, {'train_cfg.max_iter': 5}, 'work')
    # new keys that are no typo still merge
    assert load_config(TINY, {'load_from': 'x.pth', 'model.test_cfg.crf_backend': 'torch'},
                       'work').model.test_cfg.crf_backend == 'torch'


def test_config_of_a_plugin_that_is_not_installed_names_the_package(monkeypatch):
    monkeypatch.setitem(sys.modules, 'useg_primaps', None)  # import fails as if not installed
    path = config_path('primaps', 'tiny_synthetic.py')
    with pytest.raises(UsegError) as error:
        load_config(path, None, 'work')
    message = str(error.value)
    assert message == message.strip() and '\n' not in message
    assert 'needs the plugin package useg_primaps' in message and 'pip install useg-primaps' in message


def test_loader_workers_are_sized_to_the_usable_cpus():
    import os

    from useg.apis.runner import size_loader_workers
    usable = len(os.sched_getaffinity(0))
    cfg = load_config(TINY, {'train_dataloader.num_workers': usable + 7,
                             'val_dataloader.num_workers': 0}, 'work')
    with pytest.warns(RuntimeWarning, match=f'lowered to the {usable} CPU') as record:
        size_loader_workers(cfg)
    assert len(record) == 1
    assert cfg.train_dataloader.num_workers == usable and cfg.val_dataloader.num_workers == 0
