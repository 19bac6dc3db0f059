# PriMaPs-EM on top of a trained, frozen CAUSE-TR head ("+SotA+PriMaPs" with the strongest
# published head), dinov2_vitb14, cocostuff27.
#   python tools/precompute_clusterbook.py configs/cause/cause_tr_dinov2_vitb14_cocostuff27.py     # the CAUSE model first
#   python tools/train.py configs/cause/cause_tr_dinov2_vitb14_cocostuff27.py
#   python tools/precompute_pseudo_labels.py configs/primaps/primaps_dinov2_vitb14_cocostuff27_cause.py
#   python tools/train.py configs/primaps/primaps_dinov2_vitb14_cocostuff27_cause.py
#   python tools/test.py configs/primaps/primaps_dinov2_vitb14_cocostuff27_cause.py CHECKPOINT
# PriMaPs masks come from the plain backbone (as the reference); the prototypes see the frozen CAUSE
# teacher code (D = 90), whose head (clusterbook included) is read from the CAUSE checkpoint
# (prefix 'teacher.head.'); the PriMaPs crop equals the CAUSE TR crop (529 tokens).
_base_ = ['./primaps_dinov2_vitb14_cocostuff27.py']
custom_imports = dict(imports=['useg_primaps', 'useg_cause'], allow_failed_imports=False)
cause_checkpoint = 'work_dirs/cause_tr_dinov2_vitb14_cocostuff27/iter_27146.pth'
model = dict(head=dict(type='CAUSEHead', structure='tr', channels=90, num_tokens=529,  # (322 / 14)^2
                       ffn_channels=2048, num_codebook=2048,
                       init_cfg=dict(type='Pretrained', checkpoint='${cause_checkpoint}',
                                     prefix='teacher.head.')))
# Student and teacher start from CAUSE's modularity centroids (cluster_probe.clusters, (K, 90)).
custom_hooks = [
    dict(type='PriMaPsPrototypeInitHook', init_from='${cause_checkpoint}',
         init_key='cluster_probe.clusters'),
    dict(type='PriMaPsTeacherEMAHook', interval=10, max_decay=0.98),
]
paper_results = None  # useg combination: no paper row
