# PriMaPs-EM on top of the tiny STEGO head (configs/stego/tiny_synthetic.py): CPU smoke test of the
# "+SotA+PriMaPs" recipe.
#   python tools/train.py configs/stego/tiny_synthetic.py
#   python tools/precompute.py configs/primaps/stego_dino_vitb8_tiny_synthetic.py
#   python tools/train.py configs/primaps/stego_dino_vitb8_tiny_synthetic.py
_base_ = ['./_base_/from_trained_head.py', './tiny_synthetic.py']
custom_imports = dict(imports=['useg_primaps', 'useg_stego'], allow_failed_imports=False)
head_checkpoint = 'work_dirs/tiny_synthetic/iter_10.pth'
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(backbone_precision='fp32',
             head=dict(type='ProjectionHead', channels=16, init_cfg=dict(
    type='Pretrained', checkpoint='${head_checkpoint}', prefix='head.')))
prototype_init = '${trained_head_prototype_init}'  # STEGO's cluster centres
