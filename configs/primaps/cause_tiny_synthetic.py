# PriMaPs-EM on top of the tiny CAUSE-TR head (configs/cause/tiny_synthetic.py): CPU smoke test of
# "+SotA+PriMaPs" with CAUSE. The TR head runs only at its training resolution (96 px, 144 tokens),
# so every pipeline here uses 96 px crops.
#   python tools/precompute_clusterbook.py configs/cause/tiny_synthetic.py
#   python tools/train.py configs/cause/tiny_synthetic.py
#   python tools/precompute_pseudo_labels.py configs/primaps/cause_tiny_synthetic.py
#   python tools/train.py configs/primaps/cause_tiny_synthetic.py
_base_ = ['./tiny_synthetic.py']
custom_imports = dict(imports=['useg_primaps', 'useg_cause'], allow_failed_imports=False)
cause_checkpoint = 'work_dirs/tiny_synthetic/iter_10.pth'
crop = 96
code_dim = 16
model = dict(
    head=dict(type='CAUSEHead', structure='tr', in_channels=48, channels=code_dim,
              num_tokens=(crop // 8) ** 2, ffn_channels=64, num_codebook=16,
              init_cfg=dict(type='Pretrained', checkpoint=cause_checkpoint, prefix='teacher.head.')),
    student=dict(in_channels=code_dim),
    linear_probe=dict(in_channels=code_dim))
pseudo_labels = dict(pipeline=[
    dict(type='LoadImageFromFile'),
    dict(type='PILResizeShortSide', scale=crop, interpolation='bilinear'),
    dict(type='CenterCrop', crop_size=crop),
    dict(type='PackSegInputs'),
])
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=crop, interpolation='bilinear'),
    dict(type='CenterCrop', crop_size=crop),
    dict(type='LoadPseudoLabel'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackUnsupervisedSegInputs'),
]))
# "+SotA+PriMaPs" starts student and teacher from CAUSE's modularity centroids: no PCA, no k-means.
custom_hooks = [
    dict(type='SafeCheckpointHook'),
    dict(type='PriMaPsPrototypeInitHook', init_from=cause_checkpoint,
         init_key='cluster_probe.clusters'),
    dict(type='PriMaPsTeacherEMAHook', interval=2, max_decay=0.98),
]
