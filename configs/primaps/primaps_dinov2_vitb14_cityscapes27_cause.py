# PriMaPs-EM on top of a trained, frozen CAUSE-TR head ("+SotA+PriMaPs" with the strongest
# published head), dinov2_vitb14, cityscapes27.
#   python tools/precompute.py configs/cause/cause_tr_dinov2_vitb14_cityscapes27.py     # the CAUSE model first
#   python tools/train.py configs/cause/cause_tr_dinov2_vitb14_cityscapes27.py
#   python tools/precompute.py configs/primaps/primaps_dinov2_vitb14_cityscapes27_cause.py
#   python tools/train.py configs/primaps/primaps_dinov2_vitb14_cityscapes27_cause.py
#   python tools/test.py configs/primaps/primaps_dinov2_vitb14_cityscapes27_cause.py CHECKPOINT
# PriMaPs masks come from the plain backbone (as the reference); the prototypes see the frozen CAUSE
# teacher code (D = 90), whose head (clusterbook included) is read from the CAUSE checkpoint
# (prefix 'teacher.head.'); the PriMaPs crop equals the CAUSE TR crop (529 tokens).
_base_ = ['./_base_/cause_tr_head.py', './primaps_dinov2_vitb14_cityscapes27.py']
custom_imports = dict(imports=['useg_primaps', 'useg_cause'], allow_failed_imports=False)
head_checkpoint = 'work_dirs/cause_tr_dinov2_vitb14_cityscapes27/iter_1631.pth'
cause_num_tokens = 529  # (322 / 14)^2
model = dict(head='${cause_tr_head}')
prototype_init = '${trained_head_prototype_init}'  # CAUSE's modularity centroids
paper_results = None  # useg combination: no paper row
