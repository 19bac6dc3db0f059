# HP's epoch schedule (on hp_base.py): batch 64 of the five-cropped training set, `epochs` passes (the code-pool
# refresh counts iterations within an epoch), validation at the end of each epoch; the last
# checkpoint is evaluated (the reference keeps the best one on the evaluation split).
_base_ = ['../hp_base.py']
epochs = 3
train_cfg = dict(_delete_=True, type='EpochBasedTrainLoop', max_epochs='${epochs}', val_interval=1)
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1, max_keep_ckpts=1),
                     logger=dict(interval=50))
log_processor = dict(by_epoch=True)
