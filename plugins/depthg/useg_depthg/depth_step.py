"""The ``depth`` precompute step (``useg precompute CONFIG``): the training images' depth maps."""
from useg.precompute import PrecomputeStep
from useg.registry import PRECOMPUTE_STEPS

from .depth_maps import check_depth_maps, precompute_config_depth


@PRECOMPUTE_STEPS.register_module('depth')
class DepthMapsStep(PrecomputeStep):
    """``cfg.depth_maps = dict(model_dir, depth_root, ...)`` -> one depth file per training image
    (see :mod:`useg_depthg.depth_maps`)."""

    settings_key = 'depth_maps'
    help = 'DepthG depth maps of the training images'

    def run(self, cfg, workers=2, device='cpu', batch_size=None, force=False, **_):
        written = precompute_config_depth(cfg, workers, device, force)
        print(f'depth maps written: {len(written)}')
        return written

    def resolve(self, cfg, config_path=None):
        check_depth_maps(cfg, config_path)
