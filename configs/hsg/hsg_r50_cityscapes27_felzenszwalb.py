# HSG on Cityscapes with download-free Felzenszwalb regions (<= 48; a different setting).
# First: python tools/precompute.py configs/hsg/hsg_r50_cityscapes27_felzenszwalb.py
_base_ = ['./hsg_r50_cityscapes27.py']
precomputes = ['pseudo_labels']  # `useg precompute CONFIG` fills the cache below
pseudo_labels = dict(
    labeler=dict(type='FelzenszwalbRegions', scale=200, sigma=0.8, min_size_fraction=0.005,
                 max_regions=48),
    pipeline=[dict(type='LoadImageFromFile'), dict(type='PackSegInputs')],
    batch_size=1)
region_loader = dict(_delete_=True, type='LoadPseudoLabel')
