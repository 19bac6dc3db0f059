"""Base of useg's datasets: layout checks, raw-label lookup tables, errors naming the files."""
import os.path as osp

import numpy as np
from mmseg.datasets import BaseSegDataset

from useg.utils import IGNORE_INDEX, UsegError
from .dataset_layout import layout_error, list_image_label_pairs, require_path


class DataSampleError(UsegError, RuntimeError):
    """A sample's image or label cannot be used (corrupt, wrong size or format); names its files."""


class UnsupervisedSegDataset(BaseSegDataset):
    """An mmseg ``BaseSegDataset`` listing ``(image, label)`` files of one split.

    Subclasses set ``LAYOUT`` (the expected tree) and ``PREPARE`` (commands that make it),
    implement ``list_samples()`` -> ``[(img_path, seg_map_path or None), ...]`` and may
    set ``label_lookup``: a ``(256,)`` uint8 table raw label value -> class id (255 =
    ignore). The table reaches the pipeline as mmseg's ``label_map`` (applied by
    ``LoadCheckedAnnotations``), so stored files keep their raw values. With ``crop_dir`` (relative
    to ``data_root``) the split is read instead from the output of ``tools/crop_dataset.py``:
    ``crop_dir/imgs/<split>/*.jpg`` and ``crop_dir/labels/<split>/*.png`` holding class
    ids already (no lookup). Every sample also carries
    ``num_classes`` so the loader can reject out-of-range label values. Any failure while
    preparing a sample is re-raised naming its image and label files.
    """
    LAYOUT = ''
    PREPARE = ''

    def __init__(self, data_root, split='train', label_lookup=None, crop_dir=None, pipeline=(),
                 metainfo=None, test_mode=False, **kwargs):
        self.split = split
        self.crop_dir = crop_dir
        if crop_dir is not None:
            label_lookup = None
        self.label_lookup = None if label_lookup is None else np.asarray(label_lookup, np.uint8)
        self._label_map = None
        if self.label_lookup is not None:
            self._label_map = {raw: int(mapped) for raw, mapped in enumerate(self.label_lookup)
                               if raw != mapped}
        super().__init__(data_root=data_root, data_prefix=dict(img_path='', seg_map_path=''),
                         pipeline=list(pipeline), metainfo=metainfo, test_mode=test_mode,
                         ignore_index=IGNORE_INDEX, **kwargs)

    @property
    def num_classes(self):
        """Number of classes (``len(metainfo['classes'])``)."""
        return len(self.metainfo['classes'])

    def list_samples(self):
        """``[(img_path, seg_map_path or None), ...]`` of ``self.split``, in a fixed order."""
        return []

    def layout_error(self, problem):
        """``DatasetLayoutError`` for this dataset."""
        return layout_error(type(self).__name__, self.data_root, problem, self.LAYOUT,
                            self.PREPARE)

    def require(self, path, kind='directory'):
        """Raise a ``DatasetLayoutError`` unless ``path`` exists."""
        require_path(path, type(self).__name__, self.data_root, self.LAYOUT, self.PREPARE, kind)

    def list_cropped_samples(self):
        """Samples of ``crop_dir/{imgs,labels}/<split>`` (written by ``tools/crop_dataset.py``)."""
        img_dir = osp.join(self.data_root, self.crop_dir, 'imgs', self.split)
        label_dir = osp.join(self.data_root, self.crop_dir, 'labels', self.split)
        self.require(img_dir)
        self.require(label_dir)
        return list_image_label_pairs(img_dir, label_dir)

    def load_data_list(self):
        samples = self.list_cropped_samples() if self.crop_dir else self.list_samples()
        if not samples:
            raise self.layout_error(f'split {self.split!r} is empty')
        data_list = []
        for img_path, seg_map_path in samples:
            data_info = dict(img_path=img_path, reduce_zero_label=False, seg_fields=[])
            if seg_map_path is not None:
                data_info['seg_map_path'] = seg_map_path
            data_list.append(data_info)
        return data_list

    def prepare_data(self, idx):
        """Run the pipeline on sample ``idx``; errors are re-raised naming its files."""
        data_info = self.get_data_info(idx)
        data_info['label_map'] = self._label_map
        data_info['num_classes'] = self.num_classes
        try:
            return self.pipeline(data_info)
        except Exception as error:
            files = f"image {data_info['img_path']}"
            if 'seg_map_path' in data_info:
                files += f", label {data_info['seg_map_path']}"
            raise DataSampleError(f'{type(self).__name__}: sample {idx} ({files}) failed: '
                                  f'{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ""}'
                                  ) from error
