"""Label loading: mmseg's ``LoadAnnotations`` with a lookup-table ``label_map`` and checks."""
import numpy as np
from mmseg.datasets.transforms import LoadAnnotations as MMSegLoadAnnotations

from useg.registry import TRANSFORMS
from useg.utils import IGNORE_INDEX


def label_map_table(label_map):
    """``(256,)`` uint8 lookup table of an mmseg ``label_map`` dict (identity elsewhere)."""
    table = np.arange(256, dtype=np.uint8)
    for raw, mapped in label_map.items():
        table[raw] = mapped
    return table


def check_seg_map(seg_map, path, image_shape=None, num_classes=None):
    """Raise ``ValueError`` naming ``path`` if ``seg_map`` ``(H, W)`` does not match the image
    ``(H, W)`` or holds values outside ``[0, num_classes)`` other than 255 (ignore)."""
    if image_shape is not None and tuple(seg_map.shape[:2]) != tuple(image_shape[:2]):
        raise ValueError(f'label {path} has size {tuple(seg_map.shape[:2])} (H, W) but its image '
                         f'has size {tuple(image_shape[:2])}')
    if num_classes is not None:
        counts = np.bincount(seg_map.ravel(), minlength=256)
        bad = np.flatnonzero(counts[num_classes:IGNORE_INDEX]) + num_classes
        if bad.size:
            raise ValueError(f'label {path} has values {bad.tolist()} outside [0, {num_classes}) '
                             f'that are not {IGNORE_INDEX} (ignore); num_classes={num_classes}')


@TRANSFORMS.register_module()
class LoadCheckedAnnotations(MMSegLoadAnnotations):
    """mmseg's ``LoadAnnotations`` (same arguments and outputs, ``gt_seg_map`` ``(H, W)`` uint8)
    with two changes.

    * ``results['label_map']`` is applied as one 256-entry lookup table (same result as
      mmseg's per-entry loop, which costs one full-image pass per entry).
    * Checks naming the label file: its size must equal the loaded image's (``ori_shape``)
      and, when ``results['num_classes']`` is set, its values (after mapping) must lie in
      ``[0, num_classes)`` or be 255.
    """

    def _read_seg_map(self, results):
        """Read ``results['seg_map_path']`` into ``results['gt_seg_map']`` (no label map)."""
        super()._load_seg_map(results)

    def _load_seg_map(self, results):
        if results.get('seg_map_path') is None:  # own data without labels: nothing to load
            return
        label_map = results.pop('label_map', None)
        try:
            self._read_seg_map(results)
        finally:
            results['label_map'] = label_map
        seg_map = results['gt_seg_map']
        if seg_map.ndim != 2:
            raise ValueError(f'label {results["seg_map_path"]} is a colour image {seg_map.shape} '
                             f'(H, W, C); labels must be single-channel class ids (0..K-1, '
                             f'255 = ignore): save them as 8-bit grey or palette PNGs')
        if label_map:
            seg_map = label_map_table(label_map)[seg_map]
            results['gt_seg_map'] = seg_map
        check_seg_map(seg_map, results['seg_map_path'], results.get('ori_shape'),
                      results.get('num_classes'))
