"""configs/stego/tiny_synthetic.py: KNN precompute -> train -> test, end to end on generated data."""
import os.path as osp

import numpy as np

from useg.apis import load_config, set_data_root
from useg.neighbors import load_knn_table
from useg.neighbors.precompute import precompute_knn

CONFIG = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs', 'stego', 'tiny_synthetic.py')


def test_tiny_synthetic_end_to_end(train_test, synthetic_data_root, tmp_path):
    knn_dir = str(tmp_path / 'knn')
    options = {'train_dataloader.dataset.knn.cache_dir': knn_dir}
    cfg = load_config(CONFIG, options)
    set_data_root(cfg, synthetic_data_root)
    table = precompute_knn(cfg, batch_size=8, workers=0)
    indices, similarities = load_knn_table(table)
    assert indices.shape == (16, 5)
    assert (indices[:, 0] == np.arange(16)).all()
    assert (np.diff(similarities, axis=1) <= 1e-6).all()
    assert precompute_knn(cfg, workers=0) == table  # cached: not recomputed

    metrics = train_test(CONFIG, cfg_options=options)
    for key in ('cluster/Acc', 'cluster/mIoU', 'linear/Acc', 'linear/mIoU'):
        assert 0 <= metrics[key] <= 100, (key, metrics)
