"""KNN precompute: stale tables refused at the start of training, resume by chunk, rank split."""
import os.path as osp
import shutil

import numpy as np
import pytest

from useg.apis import load_config, set_data_root, train
from useg.neighbors import load_knn_table, resolve_knn_cache
from useg.neighbors.precompute import precompute_knn
from useg.utils import UsegError

from ..backbone_calls import counting_forward

CONFIG = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'stego', 'tiny_synthetic.py')


@pytest.fixture
def data_root(synthetic_data_root, tmp_path):
    """A private copy of the generated dataset (the tests add and replace images)."""
    root = str(tmp_path / 'data')
    shutil.copytree(synthetic_data_root, root)
    return root


def copy_sample(data_root, source, target):
    """Copy training image ``source`` (and its label) to ``target`` (a new or replaced sample)."""
    for folder in ('imgs', 'labels'):
        shutil.copy(osp.join(data_root, folder, 'train', f'{source}.png'),
                    osp.join(data_root, folder, 'train', f'{target}.png'))


def stego_config(data_root, work_dir):
    cfg = load_config(CONFIG, work_dir=str(work_dir))
    set_data_root(cfg, data_root)
    cfg.train_dataloader.num_workers = 0
    return cfg


def test_training_refuses_a_table_of_another_image_list_with_the_exact_command(data_root, tmp_path,
                                                                             monkeypatch):
    monkeypatch.delenv('USEG_CACHE', raising=False)
    cfg = stego_config(data_root, tmp_path / 'work')
    path = precompute_knn(cfg, batch_size=8, workers=0)
    assert path.startswith(str(tmp_path / 'work' / 'cache' / 'knn'))  # the default: no cache_dir
    assert resolve_knn_cache(stego_config(data_root, tmp_path / 'work'), 'my.py') == path
    # one more training image: the key changes, training stops at once with the command
    copy_sample(data_root, '0000', '0100')
    with pytest.raises(UsegError, match=r'^no KNN table for this training set .*run first: '
                       rf'useg precompute my.py --work-dir {tmp_path}/work$'):
        train(stego_config(data_root, tmp_path / 'work'), config_path='my.py')
    assert precompute_knn(stego_config(data_root, tmp_path / 'work'), batch_size=8,
                          workers=0) != path
    assert load_knn_table(resolve_knn_cache(stego_config(data_root, tmp_path / 'work')))[0].shape \
        == (17, 5)
    # same count, one image replaced: refused as well
    copy_sample(data_root, '0001', '0100')
    with pytest.raises(UsegError, match='no KNN table for this training set'):
        resolve_knn_cache(stego_config(data_root, tmp_path / 'work'), 'my.py')


def test_unreadable_table_asks_for_force(data_root, tmp_path):
    cfg = stego_config(data_root, tmp_path / 'work')
    path = precompute_knn(cfg, batch_size=8, workers=0)
    with open(path, 'wb') as file:
        file.write(b'truncated')
    with pytest.raises(UsegError, match=r'unreadable .*useg precompute my.py --work-dir .* --steps knn --force$'):
        resolve_knn_cache(stego_config(data_root, tmp_path / 'work'), 'my.py')
    precompute_knn(cfg, batch_size=8, workers=0, force=True)
    assert load_knn_table(path)[0].shape == (16, 5)


def test_killed_precompute_resumes_from_its_chunk(data_root, tmp_path, monkeypatch):
    reference = load_knn_table(precompute_knn(stego_config(data_root, tmp_path / 'a'),
                                              batch_size=4, workers=0, chunk_images=4))
    cfg = stego_config(data_root, tmp_path / 'b')
    counting_forward(monkeypatch, fail_after=2)
    with pytest.raises(KeyboardInterrupt):
        precompute_knn(cfg, batch_size=4, workers=0, chunk_images=4)
    monkeypatch.undo()
    calls = counting_forward(monkeypatch)
    table = load_knn_table(precompute_knn(cfg, batch_size=4, workers=0, chunk_images=4))
    assert calls == [4, 4]  # only the two chunks the killed run had not finished
    assert np.array_equal(table[0], reference[0]) and np.allclose(table[1], reference[1])


def test_ranks_split_the_images_and_rank_zero_merges(data_root, tmp_path, monkeypatch):
    import useg.features.frozen_pass as frozen_pass
    reference = load_knn_table(precompute_knn(stego_config(data_root, tmp_path / 'single'),
                                              batch_size=4, workers=0, chunk_images=4))
    cfg = stego_config(data_root, tmp_path / 'ranks')
    monkeypatch.setattr(frozen_pass, 'get_dist_info', lambda: (1, 2))
    calls = counting_forward(monkeypatch)
    path = precompute_knn(cfg, batch_size=4, workers=0, chunk_images=4)
    assert not osp.isfile(path) and calls == [4, 4]  # rank 1: chunks 1 and 3, no table
    monkeypatch.setattr(frozen_pass, 'get_dist_info', lambda: (0, 2))
    assert precompute_knn(cfg, batch_size=4, workers=0, chunk_images=4) == path
    assert calls == [4, 4, 4, 4]  # rank 0: chunks 0 and 2, then the merge
    table = load_knn_table(path)
    assert np.array_equal(table[0], reference[0]) and np.allclose(table[1], reference[1])
