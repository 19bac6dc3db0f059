"""The clusterbook cache key (the core's frozen-pass key + training parameters) follows the backbone,
the resolution, the images and the parameters; the cache lives under the cache root."""
import os
import os.path as osp

import pytest

from useg.apis import load_config, set_data_root
from useg_cause import clusterbook_path

CONFIG = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs', 'cause', 'tiny_synthetic.py')


def test_key_changes_with_backbone_resolution_images_and_parameters(synthetic_data_root, tmp_path,
                                                                     monkeypatch):
    monkeypatch.delenv('USEG_CACHE', raising=False)

    def path_of(options=None):
        cfg = load_config(CONFIG, options, str(tmp_path / 'work'))
        set_data_root(cfg, synthetic_data_root)
        return clusterbook_path(cfg)

    path = path_of()
    assert path.startswith(str(tmp_path / 'work' / 'cache' / 'cause_clusterbook'))
    assert path.endswith('clusterbook.pt')
    assert path_of() == path  # same settings, same key
    assert path_of({'model.backbone.arch': 'vit_tiny_p14'}) != path  # other backbone
    assert path_of({'randomness.seed': 1}) != path  # other random weights / draws
    assert path_of({'eval_size': 64}) != path  # resolution
    assert path_of({'clusterbook.num_codebook': 32}) != path
    assert path_of({'clusterbook.temperature': 0.2}) != path
    assert path_of({'clusterbook.save_interval': 7}) == path  # does not change the result
    monkeypatch.setenv('USEG_CACHE', str(tmp_path / 'shared'))
    assert path_of().startswith(str(tmp_path / 'shared' / 'cause_clusterbook'))


def test_training_start_names_the_exact_command(synthetic_data_root, tmp_path, monkeypatch):
    from useg.utils import UsegError
    from useg_cause import resolve_clusterbook
    monkeypatch.delenv('USEG_CACHE', raising=False)
    cfg = load_config(CONFIG, None, str(tmp_path / 'work'))
    set_data_root(cfg, synthetic_data_root)
    command = f'useg precompute {CONFIG} --work-dir {tmp_path / "work"}'
    with pytest.raises(UsegError, match='run first: ' + command.replace('.', r'\.') + '$'):
        resolve_clusterbook(cfg, CONFIG)
    path = clusterbook_path(cfg)
    os.makedirs(osp.dirname(path))
    with open(path, 'wb') as file:
        file.write(b'not a checkpoint')
    with pytest.raises(UsegError, match='unreadable .* --steps clusterbook --force$'):
        resolve_clusterbook(cfg, CONFIG)
