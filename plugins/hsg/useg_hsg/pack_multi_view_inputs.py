"""Pack a multi-view sample: the first view as usual, the others inside its data sample."""
from useg.pseudo_labels import PackUnsupervisedSegInputs
from useg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackMultiViewInputs(PackUnsupervisedSegInputs):
    """``PackUnsupervisedSegInputs`` of every view; views 2.. go to ``data_sample.extra_views``
    as a list of ``(inputs (3, H, W), data_sample)`` pairs, unpacked by
    :class:`MultiViewSegDataPreProcessor`."""

    def transform(self, results):
        extra_views = results.pop('extra_views', [])
        packed = super().transform(results)
        views = []
        for view in extra_views:
            view_packed = super().transform(view)
            views.append((view_packed['inputs'], view_packed['data_samples']))
        packed['data_samples'].set_field(views, 'extra_views')
        return packed
