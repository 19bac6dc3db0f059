from pathlib import Path

import pytest
from mmengine.config import Config

from useg.apis import resolve_variables

from useg.datasets import make_synthetic_dataset
from useg.registry import DATASETS, METRICS

CONFIG_DIR = Path(__file__).resolve().parents[2] / 'configs' / '_base_' / 'datasets'
REQUIRED = ('dataset_type', 'data_root', 'num_classes', 'train_pipeline', 'test_pipeline',
            'train_dataloader', 'val_dataloader', 'test_dataloader', 'val_evaluator',
            'test_evaluator')


@pytest.mark.parametrize('name', ['cocostuff27', 'cityscapes27', 'potsdam3', 'voc',
                                  'image_folder', 'synthetic'])
def test_config_defines_the_dataset_contract(name):
    cfg = resolve_variables(Config.fromfile(CONFIG_DIR / f'{name}.py'))
    for key in REQUIRED:
        assert key in cfg, key
    assert 'default_scope' not in cfg
    assert [metric['prefix'] for metric in cfg.test_evaluator] == [
        'cluster', 'linear', 'crf_cluster', 'crf_linear']
    for metric in cfg.val_evaluator:
        METRICS.build(metric)
    assert cfg.train_pipeline[-1]['type'] == 'PackSegInputs'


def test_synthetic_config_builds_and_loads(tmp_path):
    root = make_synthetic_dataset(str(tmp_path), num_train=2, num_val=1)
    cfg = resolve_variables(Config.fromfile(CONFIG_DIR / 'synthetic.py'))
    train = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=root))
    val = DATASETS.build(dict(cfg.val_dataloader.dataset, data_root=root))
    assert train[0]['inputs'].shape == (3, 64, 64)
    assert val[0]['inputs'].shape == (3, 96, 96)
    assert val.metainfo['classes'] == ('class_0', 'class_1', 'class_2', 'class_3')
