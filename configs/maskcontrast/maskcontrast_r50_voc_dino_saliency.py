# MaskContrast with an unsupervised saliency prior that needs no extra download: the foreground
# holding 60% of a frozen DINO ViT-S/8's CLS attention (DINOAttentionSaliency), post-processed
# like the authors' masks. A different prior from the paper's: report its numbers on their own.
# First: python tools/precompute.py configs/maskcontrast/maskcontrast_r50_voc_dino_saliency.py
_base_ = ['./maskcontrast_r50_voc_unsup_saliency.py']
paper_results = None  # another saliency prior: no paper row

precomputes = ['pseudo_labels']  # `useg precompute CONFIG` fills the cache below
pseudo_labels = dict(
    labeler=dict(type='DINOAttentionSaliency', mass=0.6,
                 backbone=dict(type='DINOViT', arch='dino_vits8',
                               init_cfg=dict(type='Pretrained',
                                             checkpoint='checkpoints/dino_deitsmall8_pretrain.pth'))),
    pipeline=[dict(type='LoadImageFromFile'), dict(type='PackSegInputs')],
    batch_size=1)  # VOC images differ in size

train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='LoadImageFromFile'),
    dict(type='LoadPseudoLabel'),
    dict(type='MaskContrastViews', size='${crop_size}', scale=(0.2, 1.0)),
    dict(type='PackMaskContrastInputs'),
]))
