# PriMaPs-EM on top of the tiny HP head (configs/hp/tiny_synthetic.py): CPU smoke test of the
# "+HP" recipe of configs/primaps/primaps_dino_vitb8_potsdam3_hp.py.
#   python tools/train.py configs/hp/tiny_synthetic.py
#   python tools/precompute.py configs/primaps/hp_dino_vitb8_tiny_synthetic.py
#   python tools/train.py configs/primaps/hp_dino_vitb8_tiny_synthetic.py
_base_ = ['./_base_/from_trained_head.py', './tiny_synthetic.py']
custom_imports = dict(imports=['useg_primaps', 'useg_hp'], allow_failed_imports=False)
head_checkpoint = 'work_dirs/tiny_synthetic/iter_10.pth'
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(backbone_precision='fp32',
             head=dict(type='ProjectionHead', channels=16, init_cfg=dict(
    type='Pretrained', checkpoint='${head_checkpoint}', prefix='head.')))
prototype_init = '${trained_head_prototype_init}'  # HP's cluster centres
