# HSG stage 1 with download-free regions: Felzenszwalb superpixels merged to <= 48 regions
# (a different setting from the authors' SE-owt-ucm maps; report it separately).
# First: python tools/precompute.py configs/hsg/hsg_r50_coco-voc_stage1_felzenszwalb.py
_base_ = ['./hsg_r50_coco-voc_stage1.py']
precomputes = ['pseudo_labels']  # `useg precompute CONFIG` fills the cache below
pseudo_labels = dict(
    labeler=dict(type='FelzenszwalbRegions', scale=200, sigma=0.8, min_size_fraction=0.005,
                 max_regions=48),
    pipeline=[dict(type='LoadImageFromFile'), dict(type='PackSegInputs')],
    batch_size=1)
region_loader = dict(_delete_=True, type='LoadPseudoLabel')
