# Loader settings shared by the benchmark dataset configs (16 images per batch, 4 workers) and the
# four evaluations of hungarian_evaluators.py. Dataset configs add the dataset dicts.
_base_ = ['./hungarian_evaluators.py']
train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True))
val_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader
