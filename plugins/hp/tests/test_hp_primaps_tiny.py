"""PriMaPs-EM on top of a trained HP head (the Potsdam "+HP" recipe), tiny, end to end."""
import os.path as osp

import torch

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs')
HP = osp.join(CONFIGS, 'hp', 'tiny_synthetic.py')
COMBINED = osp.join(CONFIGS, 'primaps', 'hp_dino_vitb8_tiny_synthetic.py')


def test_primaps_on_hp_head_end_to_end(train_test, tmp_path):
    hp_dir = str(tmp_path / 'hp')
    train_test(HP, work_dir=hp_dir)
    with open(osp.join(hp_dir, 'last_checkpoint')) as file:
        hp_checkpoint = osp.join(hp_dir, file.read().strip())
    combined_dir = str(tmp_path / 'combined')
    metrics = train_test(COMBINED, work_dir=combined_dir, cfg_options={'head_checkpoint': hp_checkpoint})
    for key in ('cluster/Acc', 'cluster/mIoU', 'linear/Acc'):
        assert 0 <= metrics[key] <= 100, (key, metrics)
    hp_state = torch.load(hp_checkpoint, map_location='cpu', weights_only=True)['state_dict']
    with open(osp.join(combined_dir, 'last_checkpoint')) as file:
        combined = torch.load(osp.join(combined_dir, file.read().strip()), map_location='cpu',
                              weights_only=True)['state_dict']
    head_keys = [key for key in hp_state if key.startswith('head.')]
    assert head_keys and not any(key.startswith(('ema_head.', 'projector.')) for key in combined)
    for key in head_keys:
        torch.testing.assert_close(combined[key], hp_state[key])
