# Iteration-based schedule: one iteration = one step of every optimiser.
# Method configs override max_iters / val_interval and the optimiser entries.
train_cfg = dict(type='IterBasedTrainLoop', max_iters=5000, val_interval=100)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# Head, cluster probe and linear probe each have their own Adam (STEGO's setting).
optim_wrapper = dict(
    constructor='ModuleOptimWrapperConstructor',
    head=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-4)),
    cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)),
    linear_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)))
param_scheduler = []
