# SmooSeg on the generated synthetic dataset: random-weight tiny ViT/8, a few iterations on CPU.
_base_ = ['../_base_/default_runtime.py', '../_base_/datasets/synthetic.py',
          '../_base_/models/backbones/vit_tiny_p8.py', './_base_/smooseg.py']
code_dim = 16
# fp32 frozen passes: tests check exact numbers (backbone_precision='auto': bf16)
model = dict(backbone_precision='fp32',
             loss=dict(pos_intra_shift=-0.02, neg_inter_shift=0.5),
             test_cfg=dict(crf=True, crf_workers=1))
# prototypes: k-means++ on the code before and after training (ClusterKMeansHook, useg extension);
# the EMA teacher predicts, so the student's prototypes are set too
custom_hooks = [dict(type='ClusterKMeansHook', targets=('student_prototypes', 'teacher'))]
train_cfg = dict(max_iters=6, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=6), logger=dict(interval=1))
