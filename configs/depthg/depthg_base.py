# DepthG model shared by every configs/depthg/*: STEGO's model (configs/stego/stego_base.py) whose
# correlation loss adds the depth term and depth-guided FPS of the sampled locations; the training
# pipeline loads one depth map per image (LoadDepthMap), KNNPairDataset packs the neighbour's too.
# Depth maps: `useg precompute CONFIG` (the `depth` step below; see plugins/depthg/README.md).
# Clean defaults (degree fov, centred coordinates, depth distance, unit scale, iterations); the
# `_faithful` leaves set every reference switch (Q1-Q6 of the spec).
_base_ = ['../stego/stego_base.py']
custom_imports = dict(imports=['useg_stego', 'useg_depthg'], allow_failed_imports=False)
depth_scale = 'unit'
depth_root = None
depth_suffix = '.png'
model = dict(
    type='DepthGSegmentor',
    correlation_loss=dict(_delete_=True, type='DepthGCorrelationLoss', feature_samples=11,
                          neg_samples=5, pointwise=True, zero_clamp=True, stabilize=False,
                          sampling='fps', depth_mode='distance', coords_mode='centered', fov=90.0,
                          far=5.0, fov_unit='degree'),
    schedule=dict(steps_per_iteration=1, decay_at_zero=False))
depth_maps = dict(model_dir=None, depth_root='${depth_root}', suffix='${depth_suffix}', kind='auto',
                  batch_size=1)
precomputes = ['knn', 'depth']  # the KNN table and the depth maps: `useg precompute CONFIG`
custom_hooks = [dict(type='DepthMapsHook')]
