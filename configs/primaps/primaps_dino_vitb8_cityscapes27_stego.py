# PriMaPs-EM on top of a trained STEGO head, DINO ViT-B/8 (paper table: "+SotA+PriMaPs" row).
#   python tools/train.py configs/stego/stego_dino_vitb8_cityscapes27.py                 # the STEGO model first
#   python tools/precompute_pseudo_labels.py configs/primaps/primaps_dino_vitb8_cityscapes27_stego.py
#   python tools/train.py configs/primaps/primaps_dino_vitb8_cityscapes27_stego.py
#   python tools/test.py configs/primaps/primaps_dino_vitb8_cityscapes27_stego.py CHECKPOINT
# PriMaPs masks come from the plain DINO backbone (as the reference); the prototypes see the frozen
# STEGO code (D = 100), whose head weights are read from the STEGO checkpoint (prefix 'head.').
_base_ = ['./primaps_dino_vitb8_cityscapes27.py']
custom_imports = dict(imports=['useg_primaps', 'useg_stego'], allow_failed_imports=False)
stego_checkpoint = 'work_dirs/stego_dino_vitb8_cityscapes27/iter_5000.pth'
model = dict(head=dict(type='ProjectionHead', channels=100, init_cfg=dict(
    type='Pretrained', checkpoint='${stego_checkpoint}', prefix='head.')))
# "+SotA+PriMaPs" starts student and teacher from STEGO's cluster centres (cluster_probe.clusters of
# the STEGO checkpoint, (K, code_dim)): no PCA, no k-means.
custom_hooks = [
    dict(type='PriMaPsPrototypeInitHook', init_from='${stego_checkpoint}',
         init_key='cluster_probe.clusters'),
    dict(type='PriMaPsTeacherEMAHook', interval=10, max_decay=0.98),
]
paper_results = 'stego+primaps-em/dino_vitb8/cityscapes27'
