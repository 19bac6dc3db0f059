# CAUSE-TR, DINOv2 ViT-B/14, COCO-Stuff-27 with the reference's optimisation quirks, for comparison
# with cause_tr_dinov2_vitb14_cocostuff27.py: shared-storage EMA start and ONE Adam over head,
# projection and linear probe with one gradient clip over all three (the label-driven probe
# gradient scales the head's update, spec 10.5). No stage-3 label leakage unless asked for; with
# --cfg-options model.leaky_finetune=True the linear probe's CE also trains the evaluated teacher
# head in stage 3 as in the reference (spec 10.1): such numbers are NOT unsupervised.
#   python tools/precompute.py configs/cause/cause_tr_dinov2_vitb14_cocostuff27_faithful.py
#   python tools/train.py configs/cause/cause_tr_dinov2_vitb14_cocostuff27_faithful.py
_base_ = ['./cause_tr_dinov2_vitb14_cocostuff27.py']
model = dict(faithful=True)
optim_wrapper = dict(
    _delete_=True,
    constructor='ModuleOptimWrapperConstructor',
    segment=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=4e-3, weight_decay=1e-4),
                 clip_grad=dict(max_norm=2.0)),
    cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=4e-3)))
param_scheduler = dict(_delete_=True, segment='${probe_lr}', cluster_probe='${probe_lr}')
paper_results = None  # a comparison run, not the published protocol
