"""Config variables ('${name}'), --cfg-options through them, and own_data on any method config."""
import os.path as osp

import pytest

from useg.apis import load_config
from useg.utils import UsegError

CONFIGS = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs')


def write_child(tmp_path, base, body):
    path = tmp_path / 'child.py'
    path.write_text(f"_base_ = [{osp.join(CONFIGS, base)!r}]\n{body}\n")
    return str(path)


def test_a_child_changes_the_crop_in_one_line(tmp_path):
    cfg = load_config(write_child(tmp_path, '_base_/datasets/cityscapes27.py', 'crop_size = 448'))
    train = cfg.train_dataloader.dataset.pipeline
    assert [step.get('scale', step.get('crop_size')) for step in train[2:4]] == [448, 448]
    assert cfg.val_dataloader.dataset.pipeline[2]['scale'] == 320  # eval_size unchanged
    cfg = load_config(osp.join(CONFIGS, 'hsg', 'tiny_synthetic.py'), {'crop_size': 48})
    assert cfg.model.data_preprocessor['size'] == (48, 48)
    views = cfg.train_dataloader.dataset.pipeline[2]['view_pipeline']
    assert views[0]['crop_size'] == 48


def test_an_undefined_variable_names_the_config(tmp_path):
    path = write_child(tmp_path, '_base_/datasets/synthetic.py', "probe = dict(size='${no_such}')")
    with pytest.raises(UsegError, match='no_such is not defined'):
        load_config(path)


def test_cfg_options_reach_into_variables():
    cfg = load_config(osp.join(CONFIGS, 'stego', 'tiny_synthetic.py'),
                      {'model.backbone.arch': 'vit_small_p8',
                       'train_dataloader.dataset.knn.cache_dir': '/tmp/knn'})
    assert cfg.model.backbone['arch'] == 'vit_small_p8'
    assert cfg.train_dataloader.dataset.knn['cache_dir'] == '/tmp/knn'


def test_own_data_reaches_every_loader_and_class_count(tmp_path):
    cfg = load_config(write_child(tmp_path, 'hsg/tiny_synthetic.py',
                                  "own_data = dict(data_root='/data/mine', num_classes=6, "
                                  "crop_size=80)"))
    text = cfg.pretty_text
    assert '_delete_' not in text and 'data/synthetic' not in text and '${' not in text
    loaders = [cfg.train_dataloader, cfg.val_dataloader, cfg.test_dataloader,
               cfg.memory_dataloader, cfg.custom_hooks[0]['dataloader']]
    for loader in loaders:
        assert loader['dataset']['type'] == 'ImageFolderDataset'
        assert loader['dataset']['data_root'] == '/data/mine'
        assert loader['dataset']['num_classes'] == 6
    assert [loader['dataset']['split'] for loader in loaders] == ['train', 'val', 'val', 'train',
                                                                  'train']
    assert cfg.model.num_classes == 6 and cfg.model.cluster_probe['num_clusters'] == 6
    assert [metric.get('num_classes') for metric in cfg.test_evaluator] == [None, 6]
    assert cfg.model.data_preprocessor['size'] == (80, 80)
