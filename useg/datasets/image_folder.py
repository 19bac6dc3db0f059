"""``ImageFolderDataset``: users' own data in a plain ``imgs/`` (+ ``labels/``) folder."""
import os.path as osp

from useg.registry import DATASETS
from .dataset_layout import list_image_label_pairs
from .palette import pascal_palette
from .unsupervised_seg_dataset import UnsupervisedSegDataset


@DATASETS.register_module()
class ImageFolderDataset(UnsupervisedSegDataset):
    """Images ``imgs/<split>/*.jpg|png`` with optional labels ``labels/<split>/<stem>.png``.

    Labels hold class ids in ``[0, num_classes)``, 255 = ignore; any other value is an
    error naming the file. ``with_labels='auto'`` reads labels when ``labels/<split>``
    exists; ``True`` requires them; ``False`` ignores them (then leave ``LoadCheckedAnnotations``
    out of the pipeline). ``classes`` defaults to ``class_0 .. class_{K-1}``.
    """
    LAYOUT = """\
  imgs/{train,val}/<name>.jpg|png
  labels/{train,val}/<name>.png    (optional: uint8 class ids, 255 = ignore)"""
    PREPARE = """\
  put your images (and label maps, same stem) into the folders above; a toy set:
  python tools/make_synthetic_dataset.py DATA_ROOT"""

    def __init__(self, data_root, split='train', num_classes=None, classes=None,
                 with_labels='auto', metainfo=None, **kwargs):
        if classes is None:
            if num_classes is None:
                raise ValueError('ImageFolderDataset needs num_classes (or classes)')
            classes = [f'class_{index}' for index in range(num_classes)]
        if num_classes is not None and len(classes) != num_classes:
            raise ValueError(f'ImageFolderDataset: {len(classes)} classes given but '
                             f'num_classes={num_classes}')
        if with_labels not in ('auto', True, False):
            raise ValueError(f"with_labels must be 'auto', True or False, got {with_labels!r}")
        self.with_labels = with_labels
        metainfo = dict(classes=tuple(classes), palette=pascal_palette(len(classes)),
                        **(metainfo or {}))
        super().__init__(data_root, split=split, metainfo=metainfo, **kwargs)

    def list_samples(self):
        img_dir = osp.join(self.data_root, 'imgs', self.split)
        label_dir = osp.join(self.data_root, 'labels', self.split)
        self.require(img_dir)
        if self.with_labels is True:
            self.require(label_dir)
        read_labels = self.with_labels is True or (self.with_labels == 'auto' and
                                                   osp.isdir(label_dir))
        try:
            return list_image_label_pairs(img_dir, label_dir if read_labels else None)
        except FileNotFoundError as error:
            raise self.layout_error(str(error)) from error
