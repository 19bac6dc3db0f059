# HSG stage 2 with Felzenszwalb regions, from hsg_r50_coco-voc_stage1_felzenszwalb.py.
# First: python tools/precompute.py configs/hsg/hsg_r50_coco-voc_stage2_felzenszwalb.py
# (the regions are cached in this config's work dir, or share stage 1's through $USEG_CACHE).
_base_ = ['./hsg_r50_coco-voc_stage2.py']
load_from = 'work_dirs/hsg_r50_coco-voc_stage1_felzenszwalb/iter_350000.pth'
precomputes = ['pseudo_labels']  # `useg precompute CONFIG` fills the cache below
pseudo_labels = dict(
    labeler=dict(type='FelzenszwalbRegions', scale=200, sigma=0.8, min_size_fraction=0.005,
                 max_regions=48),
    pipeline=[dict(type='LoadImageFromFile'), dict(type='PackSegInputs')],
    batch_size=1)
region_loader = dict(_delete_=True, type='LoadPseudoLabel')
