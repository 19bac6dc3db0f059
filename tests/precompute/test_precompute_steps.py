"""The precompute registry: configs declare steps, ``useg precompute`` runs them, training checks
them, keys follow ``model.backbone_precision`` only where a config sets it."""
import glob
import os.path as osp
import re

import pytest
import torch

from tests.conftest import REPO_ROOT, config_path
from useg.apis import load_config, set_data_root
from useg.precompute import (PrecomputeStep, check_precomputes, declared_steps, needed_precomputes,
                             precompute_command)
from useg.registry import PRECOMPUTE_STEPS
from useg.utils import UsegError


def test_core_and_plugins_register_their_steps():
    PRECOMPUTE_STEPS.import_from_location()
    declared_steps(load_config(config_path('cause', 'tiny_synthetic.py')))  # imports the plugins
    steps = PRECOMPUTE_STEPS.module_dict
    assert {'knn', 'pseudo_labels', 'clusterbook', 'depth'} <= set(steps)
    assert all(issubclass(step, PrecomputeStep) for step in steps.values())
    assert steps['clusterbook'].__module__.startswith('useg_cause.')
    assert steps['depth'].__module__.startswith('useg_depthg.')


@pytest.mark.parametrize('method, steps', [('baseline', []), ('stego', ['knn']),
                                           ('primaps', ['pseudo_labels']), ('cause', ['clusterbook']),
                                           ('depthg', ['knn', 'depth'])])
def test_tiny_configs_declare_their_steps(method, steps):
    cfg = load_config(config_path(method, 'tiny_synthetic.py'))
    assert list(cfg.get('precomputes') or []) == steps
    assert needed_precomputes(cfg) == steps


def test_settings_declare_a_step_and_bad_declarations_are_one_line():
    cfg = load_config(config_path('primaps', 'tiny_synthetic.py'))
    cfg.precomputes = []  # a hand-written config with pseudo_labels settings only
    assert needed_precomputes(cfg) == ['pseudo_labels']
    cfg.precomputes = ['pseudo_label']
    with pytest.raises(UsegError, match=r"names 'pseudo_label', which no installed package "
                                        r"registers \(registered: .*'pseudo_labels'"):
        declared_steps(cfg)
    cfg.precomputes = dict(pseudo_labels=dict())
    with pytest.raises(UsegError, match='precomputes is a list of step names'):
        declared_steps(cfg)


def test_no_tools_file_imports_a_plugin_package():
    for path in glob.glob(osp.join(REPO_ROOT, 'tools', '*.py')):
        with open(path) as file:
            source = file.read()
        assert not re.search(r'^\s*(from|import)\s+useg_\w+', source, re.M), path


def test_the_command_names_the_work_dir_and_the_step_to_force(monkeypatch):
    monkeypatch.delenv('USEG_CACHE', raising=False)
    assert precompute_command(None) == 'useg precompute CONFIG'
    assert precompute_command('configs/cause/x.py', 'work_dirs/x', ['clusterbook'], True) == \
        'useg precompute configs/cause/x.py --steps clusterbook --force'


def test_useg_precompute_runs_the_declared_step_and_training_finds_it(synthetic_data_root,
                                                                     tmp_path, capsys):
    from useg.tools import precompute
    from useg.tools.precompute_knn import main as precompute_knn_alias
    config = config_path('stego', 'tiny_synthetic.py')
    options = ['--workers', '0', '--work-dir', str(tmp_path / 'work'), '--cfg-options',
               f'train_dataloader.dataset.dataset.data_root={synthetic_data_root}']
    cfg = load_config(config, work_dir=str(tmp_path / 'work'))
    set_data_root(cfg, synthetic_data_root)
    with pytest.raises(UsegError, match=rf'run first: useg precompute {config} --work-dir '):
        check_precomputes(cfg, config)
    precompute.main([config, '--chunk-images', '4', *options])  # a step's own option
    assert 'precomputed: knn' in capsys.readouterr().out
    assert check_precomputes(cfg, config) == ['knn']
    assert osp.isfile(cfg.train_dataloader.dataset.knn_file)
    precompute_knn_alias([config, *options])  # `useg precompute-knn`: the same step, cached
    assert 'KNN table already cached' in capsys.readouterr().out
    with pytest.raises(SystemExit):
        precompute.main([config, '--amp', *options])  # the clusterbook step's option: not here


def pass_keys(method, data_root, precision=None):
    """``(cache path, reference)`` of ``configs/<method>/tiny_synthetic.py``'s step (``precision``:
    set ``model.backbone_precision``); ``reference``: the KNN path without a precision / the
    pseudo-label pass parameters."""
    from mmengine.registry import init_default_scope
    init_default_scope('useg')
    options = {} if precision is None else {'model.backbone_precision': precision}
    cfg = load_config(config_path(method, 'tiny_synthetic.py'), options, '/tmp/useg_keys')
    set_data_root(cfg, data_root)
    if method == 'stego':
        from useg.neighbors.knn_cache import knn_table_file
        from useg.neighbors.precompute import _table_of, knn_pass
        paths = knn_pass(cfg).img_paths
        knn, dataset = cfg.train_dataloader.dataset.knn, cfg.train_dataloader.dataset.dataset
        return _table_of(cfg, paths)[0], knn_table_file(knn, dataset, paths, '/tmp/useg_keys')[0]
    if method == 'primaps':
        from useg.pseudo_labels import pseudo_label_cache, pseudo_label_pass
        from useg.registry import PSEUDO_LABELERS
        labeler = PSEUDO_LABELERS.build(cfg.pseudo_labels.labeler)
        features = pseudo_label_pass(cfg, labeler)
        plain = features.params.copy()
        return pseudo_label_cache(cfg, features, labeler.cache_params()).directory, plain
    from useg_cause import clusterbook_path
    return clusterbook_path(cfg), None


@pytest.mark.parametrize('method', ['stego', 'primaps', 'cause'])
def test_backbone_precision_changes_keys_only_where_set(method, synthetic_data_root):
    unset, reference = pass_keys(method, synthetic_data_root)
    assert pass_keys(method, synthetic_data_root, 'fp32')[0] == unset
    if method == 'stego':  # the table of a config without the setting: the key of before
        assert unset == reference
    if method == 'primaps':
        assert 'backbone_precision' not in reference
    bf16 = pass_keys(method, synthetic_data_root, 'bf16')[0]
    assert bf16 != unset
    auto = pass_keys(method, synthetic_data_root, 'auto')[0]
    if method == 'stego':  # the KNN table records the config's setting
        assert auto not in (unset, bf16)
    else:  # a frozen pass records the precision 'auto' runs at on its device
        from useg.models.utils import resolved_backbone_precision
        assert auto == (bf16 if resolved_backbone_precision('auto', 'cpu') == 'bf16' else unset)


def test_frozen_pass_runs_its_backbone_under_the_precision(synthetic_data_root):
    from mmengine.registry import init_default_scope

    from useg.features import FrozenBackbonePass
    init_default_scope('useg')
    cfg = load_config(config_path('stego', 'tiny_synthetic.py'))
    set_data_root(cfg, synthetic_data_root)
    dataset = cfg.train_dataloader.dataset.dataset
    runs = {}
    for precision in ('fp32', 'bf16'):
        features = FrozenBackbonePass(dataset, cfg.model.backbone, cfg.model.data_preprocessor,
                                      batch_size=2, workers=0, precision=precision)
        (_, feats, _), = features.run([(0, 2)])
        runs[precision] = feats
    assert runs['bf16'].dtype == torch.float32
    assert not torch.equal(runs['fp32'], runs['bf16'])
    assert torch.allclose(runs['fp32'], runs['bf16'], atol=0.1, rtol=0.1)
