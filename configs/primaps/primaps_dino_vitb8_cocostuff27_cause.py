# PriMaPs-EM on top of a trained, frozen CAUSE-TR head ("+SotA+PriMaPs" with the strongest
# published head), dino_vitb8, cocostuff27.
#   python tools/precompute.py configs/cause/cause_tr_dino_vitb8_cocostuff27.py     # the CAUSE model first
#   python tools/train.py configs/cause/cause_tr_dino_vitb8_cocostuff27.py
#   python tools/precompute.py configs/primaps/primaps_dino_vitb8_cocostuff27_cause.py
#   python tools/train.py configs/primaps/primaps_dino_vitb8_cocostuff27_cause.py
#   python tools/test.py configs/primaps/primaps_dino_vitb8_cocostuff27_cause.py CHECKPOINT
# PriMaPs masks come from the plain backbone (as the reference); the prototypes see the frozen CAUSE
# teacher code (D = 90), whose head (clusterbook included) is read from the CAUSE checkpoint
# (prefix 'teacher.head.'); the PriMaPs crop equals the CAUSE TR crop (1600 tokens).
_base_ = ['./_base_/cause_tr_head.py', './primaps_dino_vitb8_cocostuff27.py']
custom_imports = dict(imports=['useg_primaps', 'useg_cause'], allow_failed_imports=False)
head_checkpoint = 'work_dirs/cause_tr_dino_vitb8_cocostuff27/iter_27146.pth'
cause_num_tokens = 1600  # (320 / 8)^2
model = dict(head='${cause_tr_head}')
prototype_init = '${trained_head_prototype_init}'  # CAUSE's modularity centroids
paper_results = None  # useg combination: no paper row
