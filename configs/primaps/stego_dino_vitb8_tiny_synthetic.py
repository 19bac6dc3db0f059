# PriMaPs-EM on top of the tiny STEGO head (configs/stego/tiny_synthetic.py): CPU smoke test of the
# "+SotA+PriMaPs" recipe.
#   python tools/train.py configs/stego/tiny_synthetic.py
#   python tools/precompute_pseudo_labels.py configs/primaps/stego_dino_vitb8_tiny_synthetic.py
#   python tools/train.py configs/primaps/stego_dino_vitb8_tiny_synthetic.py
_base_ = ['./tiny_synthetic.py']
custom_imports = dict(imports=['useg_primaps', 'useg_stego'], allow_failed_imports=False)
stego_checkpoint = 'work_dirs/tiny_synthetic/iter_10.pth'
code_dim = 16
model = dict(
    head=dict(type='ProjectionHead', in_channels=48, channels=code_dim,
              init_cfg=dict(type='Pretrained', checkpoint=stego_checkpoint, prefix='head.')),
    student=dict(in_channels=code_dim),
    linear_probe=dict(in_channels=code_dim))
# "+SotA+PriMaPs" starts student and teacher from STEGO's cluster centres (cluster_probe.clusters of
# the STEGO checkpoint, (K, code_dim)): no PCA, no k-means.
custom_hooks = [
    dict(type='SafeCheckpointHook'),
    dict(type='PriMaPsPrototypeInitHook', init_from=stego_checkpoint,
         init_key='cluster_probe.clusters'),
    dict(type='PriMaPsTeacherEMAHook', interval=2, max_decay=0.98),
]
