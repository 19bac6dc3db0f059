# DepthG, DINO ViT-S/8, Potsdam-3 with every reference switch (Q1-Q6; plugins/depthg/README.md):
# the depth is truncated to {0, 1} on loading (almost all zeros), as the reference's Potsdam class.
_base_ = ['./depthg_dino_vits8_potsdam3.py']
depth_scale = 'truncate'  # Q4
model = dict(
    correlation_loss=dict(fov_unit='radian', coords_mode='reference', depth_mode='reference'),  # Q1-Q3
    # Q5 (3 Lightning steps per iteration: intervals in steps), Q6
    schedule=dict(steps_per_iteration=3, decay_at_zero=True, depth_decay=True, depth_decay_every=200,
                  depth_decay_factor=1.0))
