# PriMaPs-EM on top of a trained HP head, DINO ViT-B/8, Potsdam-3: the PriMaPs table's Potsdam
# "+SotA+PriMaPs" cell, which starts from a Hidden Positives head (specs/primaps.md section 7).
#   python tools/train.py configs/hp/hp_dino_vitb8_potsdam3.py                       # the HP model first
#   python tools/precompute.py configs/primaps/primaps_dino_vitb8_potsdam3_hp.py
#   python tools/train.py configs/primaps/primaps_dino_vitb8_potsdam3_hp.py
#   python tools/test.py configs/primaps/primaps_dino_vitb8_potsdam3_hp.py CHECKPOINT
# PriMaPs masks come from the plain DINO backbone (as the reference); the prototypes see the frozen
# HP student code (D = 256), whose head weights are read from the HP checkpoint (prefix 'head.');
# the EMA head, projector and pools of the HP checkpoint are not used.
_base_ = ['./_base_/from_trained_head.py', './primaps_dino_vitb8_potsdam3.py']
paper_results = dict(
    _delete_=True,  # not the parent's (string) row
    source='PriMaPs-EM README @ 7ca7757 results table, "+SotA+PriMaPs" Potsdam ViT-B/8 cell '
           '(an HP head; specs/primaps.md section 7) (unverified)',
    protocol=dict(crop='center crop 320', crf=True, flip=True), cluster=(83.3, 71.0), linear=None)
custom_imports = dict(imports=['useg_primaps', 'useg_hp'], allow_failed_imports=False)
head_checkpoint = 'work_dirs/hp_dino_vitb8_potsdam3/epoch_10.pth'
model = dict(head=dict(type='ProjectionHead', channels=256, init_cfg=dict(
    type='Pretrained', checkpoint='${head_checkpoint}', prefix='head.')))
prototype_init = '${trained_head_prototype_init}'  # HP's cluster centres
