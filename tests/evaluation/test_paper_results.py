import glob
import os.path as osp
from types import ModuleType

import pytest
from mmengine.config import Config

from tests.conftest import config_path
import useg.plugins as plugins_module
from useg.evaluation.paper_results import PAPER_RESULTS, paper_metrics, resolve_paper_results
from useg.plugins import discover_plugins
from useg.utils import UsegError


def test_every_entry_names_its_source_protocol_and_valid_numbers():
    for key, entry in PAPER_RESULTS.items():
        assert len(key.split('/')) == 3, key
        assert entry['source'] and set(entry['protocol']) == {'crop', 'crf', 'flip'}, key
        numbers = [value for probe in ('cluster', 'linear') for value in entry.get(probe) or ()
                   if value is not None]
        assert numbers and all(0 < value <= 100 for value in numbers), key


def test_numbers_map_to_the_metrics_of_the_protocol():
    entry = resolve_paper_results('primaps-em/dinov2_vitb14/cityscapes27')
    assert paper_metrics(entry) == {'crf_cluster/Acc': 82.9, 'crf_cluster/mIoU': 21.3}
    plain = resolve_paper_results(dict(source='s', protocol=dict(crop='none', crf=False, flip=False),
                                       cluster=(None, 35.0), linear=(60.0, 58.4)))
    assert paper_metrics(plain) == {'cluster/mIoU': 35.0, 'linear/Acc': 60.0, 'linear/mIoU': 58.4}
    assert resolve_paper_results(None) is None


def test_unknown_key_or_incomplete_entry_is_a_one_line_error():
    with pytest.raises(UsegError, match="'stego/vit_h/coco' is not a key"):
        resolve_paper_results('stego/vit_h/coco')
    with pytest.raises(UsegError, match=r"needs \['protocol'\]"):
        resolve_paper_results(dict(source='s', cluster=(1, 2)))


def test_rows_come_from_the_installed_plugins():
    plugins = {name: module for name, module in discover_plugins().items()
               if isinstance(module, ModuleType)}
    expected = {key: entry for module in plugins.values()
                for key, entry in getattr(module, 'PAPER_RESULTS', {}).items()}
    assert dict(PAPER_RESULTS) == expected
    assert PAPER_RESULTS['stego/dino_vitb8/cocostuff27'] is plugins['stego'].PAPER_RESULTS[
        'stego/dino_vitb8/cocostuff27']


def test_a_row_two_plugins_give_is_a_one_line_error(monkeypatch):
    entry = dict(source='s', protocol=dict(crop='none', crf=False, flip=False), cluster=(1.0, 2.0))
    first, second, broken = ModuleType('first'), ModuleType('second'), ImportError('broken')
    first.PAPER_RESULTS = second.PAPER_RESULTS = {'m/b/d': entry}
    monkeypatch.setattr(plugins_module, 'discover_plugins', lambda: {'a': first, 'c': broken})
    assert resolve_paper_results('m/b/d') is entry
    monkeypatch.setattr(plugins_module, 'discover_plugins',
                        lambda: {'a': first, 'b': second, 'c': broken})
    with pytest.raises(UsegError, match="'m/b/d' is given by the plugins 'a' and 'b'"):
        resolve_paper_results('m/b/d')


def named_rows():
    """``{config path: its paper_results value}`` of every shipped config (inheritance merged)."""
    paths = [path for path in glob.glob(config_path('**', '*.py'), recursive=True)
             if f'{osp.sep}_base_{osp.sep}' not in path and not path.endswith('_base.py')]
    return {path: Config.fromfile(path, import_custom_modules=False).get('paper_results') for path in sorted(paths)}


def test_inline_rows_are_complete_entries():
    for path, value in named_rows().items():
        if isinstance(value, dict):  # a plugin's own row, given in full (e.g. configs/depthg)
            assert resolve_paper_results(value)['protocol'], path


def test_configs_name_existing_rows_and_every_row_is_named():
    named = named_rows()
    inline = {path: named.pop(path) for path in list(named) if isinstance(named[path], dict)}
    for path, entry in inline.items():  # a full entry given in the config itself
        assert paper_metrics(resolve_paper_results(dict(entry))), path
    for path, key in named.items():
        assert key is None or key in PAPER_RESULTS, (path, key)
    assert set(PAPER_RESULTS) - set(named.values()) == set()
    for path, key in named.items():
        if key is not None:  # a child config must not keep a parent's row by accident
            assert osp.basename(path)[:-3] in config_names_of(key), (path, key)


def config_names_of(key):
    """The config names that may report row ``key`` (``<method>/<backbone>/<dataset>``)."""
    method, backbone, dataset = key.split('/')
    names = {'primaps-em': [f'primaps_{backbone}_{dataset}'],
             'baseline': [f'primaps_{backbone}_{dataset}_baseline'],
             'stego+primaps-em': [f'primaps_{backbone}_{dataset}_stego'],
             'stego': [f'stego_{backbone}_{dataset}'], 'smooseg': [f'smooseg_{backbone}_{dataset}'],
             'cause-mlp': [f'cause_mlp_{backbone}_{dataset}'],
             'cause-tr': [f'cause_tr_{backbone}_{dataset}'],
             'maskcontrast': {'r50_unsup_saliency': ['maskcontrast_r50_voc_unsup_saliency',
                                                     'maskcontrast_r50_voc_linear'],
                              'r50_sup_saliency': ['maskcontrast_r50_voc_sup_saliency']}
             .get(backbone, [])}.get(method)
    if key == 'primaps-em/dinov2_vitb14/cityscapes27':
        names.append('dinov2_vitb14_cs')  # the flagship alias
    if key == 'cause-tr/dinov2_vitb14/cocostuff27':
        names.append('cause_tr_dinov2_vitb14_coco')  # CAUSE's flagship alias
    if names is None:  # another method: its config names the backbone and the dataset
        return {name for name in _all_config_names() if backbone in name and dataset in name}
    return set(names)


def _all_config_names():
    return {osp.basename(path)[:-3] for path in glob.glob(config_path('**', '*.py'), recursive=True)}
