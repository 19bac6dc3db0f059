# PriMaPs-EM on top of a trained, frozen CAUSE-TR head, DINOv2 ViT-B/14 on Cityscapes-27 ("+SotA+PriMaPs"
# with the strongest published head).
#   python tools/precompute_clusterbook.py configs/cause/cause_tr_dinov2_vitb14_cityscapes.py     # the CAUSE model first
#   python tools/train.py configs/cause/cause_tr_dinov2_vitb14_cityscapes.py
#   python tools/precompute_pseudo_labels.py configs/primaps/cause_tr_dinov2_vitb14_cs.py
#   python tools/train.py configs/primaps/cause_tr_dinov2_vitb14_cs.py
#   python tools/test.py configs/primaps/cause_tr_dinov2_vitb14_cs.py CHECKPOINT
# PriMaPs masks come from the plain backbone (as the reference); the prototypes see the frozen CAUSE
# teacher code (D = 90), whose head (clusterbook included) is read from the CAUSE checkpoint
# (prefix 'teacher.head.'). The TR head only runs at its training resolution: the PriMaPs crop
# (529 tokens) equals the CAUSE TR crop.
_base_ = ['./dinov2_vitb14_cs.py']
custom_imports = dict(imports=['useg_primaps', 'useg_cause'], allow_failed_imports=False)
paper_results = None  # no paper reports PriMaPs-EM on a CAUSE head (not the parent's row)
cause_checkpoint = 'work_dirs/cause_tr_dinov2_vitb14_cityscapes/iter_1631.pth'
code_dim = 90
model = dict(
    head=dict(type='CAUSEHead', structure='tr', in_channels=768, channels=code_dim,
              num_tokens=529, ffn_channels=2048, num_codebook=2048,
              init_cfg=dict(type='Pretrained', checkpoint=cause_checkpoint, prefix='teacher.head.')),
    student=dict(in_channels=code_dim),
    linear_probe=dict(in_channels=code_dim))
# Student and teacher start from CAUSE's modularity centroids (cluster_probe.clusters, (K, 90)).
custom_hooks = [
    dict(type='SafeCheckpointHook'),
    dict(type='PriMaPsPrototypeInitHook', init_from=cause_checkpoint,
         init_key='cluster_probe.clusters'),
    dict(type='PriMaPsTeacherEMAHook', interval=10, max_decay=0.98),
]
