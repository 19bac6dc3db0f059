# PriMaPs-EM on top of a trained STEGO head, DINO ViT-B/8 (paper table: "+SotA+PriMaPs" row).
#   python tools/train.py configs/stego/stego_dino_vitb8_cityscapes27.py                 # the STEGO model first
#   python tools/precompute.py configs/primaps/primaps_dino_vitb8_cityscapes27_stego.py
#   python tools/train.py configs/primaps/primaps_dino_vitb8_cityscapes27_stego.py
#   python tools/test.py configs/primaps/primaps_dino_vitb8_cityscapes27_stego.py CHECKPOINT
# PriMaPs masks come from the plain DINO backbone (as the reference); the prototypes see the frozen
# STEGO code (D = 100), whose head weights are read from the STEGO checkpoint (prefix 'head.').
_base_ = ['./_base_/from_trained_head.py', './primaps_dino_vitb8_cityscapes27.py']
custom_imports = dict(imports=['useg_primaps', 'useg_stego'], allow_failed_imports=False)
head_checkpoint = 'work_dirs/stego_dino_vitb8_cityscapes27/iter_5000.pth'
model = dict(head=dict(type='ProjectionHead', channels=100, init_cfg=dict(
    type='Pretrained', checkpoint='${head_checkpoint}', prefix='head.')))
prototype_init = '${trained_head_prototype_init}'  # STEGO's cluster centres
paper_results = 'stego+primaps-em/dino_vitb8/cityscapes27'
