"""Independently augmented views of one image that share its region ids (HSG section 3)."""
import copy

from mmcv.transforms import BaseTransform, Compose

from useg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class MultiView(BaseTransform):
    """Run ``view_pipeline`` ``num_views`` times on copies of the results.

    The first view stays the main results; the others are stored in ``results['extra_views']``
    (a list of results dicts) for :class:`PackMultiViewInputs`. Region maps loaded before this
    step move with each view, so all views carry the same region ids.
    """

    def __init__(self, view_pipeline, num_views=2):
        if num_views < 1:
            raise ValueError(f'num_views must be >= 1, got {num_views}')
        self.view_pipeline = Compose([TRANSFORMS.build(step) if isinstance(step, dict) else step
                                      for step in view_pipeline])
        self.num_views = num_views

    def transform(self, results):
        views = [self.view_pipeline(copy.deepcopy(results)) for _ in range(self.num_views)]
        if any(view is None for view in views):
            return None
        main = views[0]
        main['extra_views'] = views[1:]
        return main
