# DepthG, DINO ViT-S/8, COCO-Stuff-27 with every reference switch (Q1-Q6; plugins/depthg/README.md).
_base_ = ['./depthg_dino_vits8_cocostuff27.py']
depth_scale = 'raw'  # Q4
model = dict(
    correlation_loss=dict(fov_unit='radian', coords_mode='reference', depth_mode='reference'),  # Q1-Q3
    # Q5 (3 Lightning steps per iteration: intervals in steps), Q6
    schedule=dict(steps_per_iteration=3, decay_at_zero=True, depth_decay_every=250, sample_decay_every=1000))
