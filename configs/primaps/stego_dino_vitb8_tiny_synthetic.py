# PriMaPs-EM on top of the tiny STEGO head (configs/stego/tiny_synthetic.py): CPU smoke test of the
# "+SotA+PriMaPs" recipe.
#   python tools/train.py configs/stego/tiny_synthetic.py
#   python tools/precompute_pseudo_labels.py configs/primaps/stego_dino_vitb8_tiny_synthetic.py
#   python tools/train.py configs/primaps/stego_dino_vitb8_tiny_synthetic.py
_base_ = ['./tiny_synthetic.py']
custom_imports = dict(imports=['useg_primaps', 'useg_stego'], allow_failed_imports=False)
stego_checkpoint = 'work_dirs/tiny_synthetic/iter_10.pth'
model = dict(head=dict(type='ProjectionHead', channels=16, init_cfg=dict(
    type='Pretrained', checkpoint='${stego_checkpoint}', prefix='head.')))
# "+SotA+PriMaPs" starts student and teacher from STEGO's cluster centres (cluster_probe.clusters of
# the STEGO checkpoint, (K, code_dim)): no PCA, no k-means.
custom_hooks = [
    dict(type='PriMaPsPrototypeInitHook', init_from='${stego_checkpoint}',
         init_key='cluster_probe.clusters'),
    dict(type='PriMaPsTeacherEMAHook', interval=2, max_decay=0.98),
]
