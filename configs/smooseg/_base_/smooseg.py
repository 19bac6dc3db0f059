# SmooSeg (Lan et al., NeurIPS 2023) hyperparameters shared by every dataset (reference
# configs/train_config.yaml). Dataset configs add a dataset and a backbone base and set the
# shifts and the seed.
_base_ = ['../../_base_/schedules/iter_schedule.py',
          '../../_base_/models/imagenet_preprocessor.py']
custom_imports = dict(imports=['useg_smooseg'], allow_failed_imports=False)

code_dim = 64
model = dict(
    type='SmooSegSegmentor',
    backbone_precision='auto',  # frozen passes in bf16 where the device has bf16 units
    backbone='${backbone}',  # frozen; DINO ViT-S/8 300-epoch release in the paper
    num_classes='${num_classes}',
    # Projector: linear + (conv, SiLU, conv), Dropout2d 0.2 per branch and for the "signal".
    head=dict(type='ProjectionHead', channels='${code_dim}', dropout=0.2,
              activation=dict(type='SiLU')),
    # Student and EMA-teacher cosine prototypes, K x D.
    prototypes=dict(type='ClusterProbe', num_clusters='${num_classes}'),
    loss=dict(type='SmooSegLoss', pos_intra_shift=-0.02, neg_inter_shift=0.5, pointwise=True,
              temperature=0.1),
    teacher_momentum=0.998,
    # Evaluation: teacher prototypes, flip averaging, log_softmax(2 * cos), dense CRF.
    test_cfg=dict(flip=True, alpha=2.0, crf=True))

# One Adam per part (reference: one Adam, two groups; identical with disjoint gradients).
optim_wrapper = dict(
    _delete_=True,
    constructor='ModuleOptimWrapperConstructor',
    head=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4)),
    student_prototypes=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-4)))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=3000, val_interval=400)
