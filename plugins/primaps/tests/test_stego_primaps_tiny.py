"""PriMaPs-EM on top of a trained STEGO head (the "+SotA+PriMaPs" recipe), tiny, end to end."""
import os.path as osp

import torch

from useg.apis import load_config, set_data_root
from useg.neighbors.precompute import precompute_knn

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs')
STEGO = osp.join(CONFIGS, 'stego', 'tiny_synthetic.py')
COMBINED = osp.join(CONFIGS, 'primaps', 'stego_dino_vitb8_tiny_synthetic.py')


def test_primaps_on_stego_head_end_to_end(train_test, synthetic_data_root, tmp_path):
    stego_options = {'train_dataloader.dataset.knn.cache_dir': str(tmp_path / 'knn')}
    cfg = load_config(STEGO, stego_options)
    set_data_root(cfg, synthetic_data_root)
    precompute_knn(cfg, batch_size=8, workers=0)
    stego_dir = str(tmp_path / 'stego')
    train_test(STEGO, cfg_options=stego_options, work_dir=stego_dir)
    with open(osp.join(stego_dir, 'last_checkpoint')) as file:
        stego_checkpoint = osp.join(stego_dir, file.read().strip())

    combined_dir = str(tmp_path / 'combined')
    metrics = train_test(COMBINED, work_dir=combined_dir,
                         cfg_options={'head_checkpoint': stego_checkpoint})
    for key in ('cluster/Acc', 'cluster/mIoU', 'linear/Acc'):
        assert 0 <= metrics[key] <= 100, (key, metrics)

    # the frozen head of the trained PriMaPs model is exactly the STEGO head
    stego_state = torch.load(stego_checkpoint, map_location='cpu', weights_only=True)['state_dict']
    with open(osp.join(combined_dir, 'last_checkpoint')) as file:
        combined = torch.load(osp.join(combined_dir, file.read().strip()), map_location='cpu', weights_only=True)['state_dict']
    head_keys = [key for key in stego_state if key.startswith('head.')]
    assert head_keys
    for key in head_keys:
        torch.testing.assert_close(combined[key], stego_state[key])
