"""The one cache key of everything computed by a pass of a frozen backbone over a dataset.

Features, KNN tables and pseudo labels are all keyed by :func:`frozen_pass_params`: the backbone
config (arch, output block, ...) with a digest of every weight file it names, the dataset config
with its pipeline (which sets the resolution and crop), a digest of the ordered list of image
files with their sizes and mtimes, and the consumer's own parameters (``topk``, the labeler, the
seed, ...).
"""
import os.path as osp

from useg.utils import walk
from useg.utils.cache import cache_key, file_digest, image_list_digest

# dataset-config keys that change neither which images are read nor how
_IGNORED_DATASET_KEYS = ('serialize_data', 'lazy_init', 'max_refetch', 'test_mode')


def plain(cfg):
    """A config (mmengine ``ConfigDict`` or nested dicts/lists) as plain JSON-able data."""
    if isinstance(cfg, dict):
        return {str(key): plain(value) for key, value in cfg.items()}
    if isinstance(cfg, (list, tuple)):
        return [plain(value) for value in cfg]
    return cfg


def config_file_digests(cfg):
    """``{path: digest}`` of every string value in a nested config that names an existing file."""
    found = {}

    def visit(value):
        if isinstance(value, str) and osp.isfile(value):
            found[value] = file_digest(value)

    walk(cfg, visit)
    return found


def dataset_image_paths(dataset):
    """Image paths of a built dataset, in its order."""
    return [dataset.get_data_info(index)['img_path'] for index in range(len(dataset))]


def frozen_pass_params(backbone, dataset, img_paths, **params):
    """Key parameters of a pass of ``backbone`` (a config, or None) over ``dataset`` (a config).

    ``img_paths``: the dataset's images in order (see :func:`dataset_image_paths`); ``params``:
    whatever else changes the result (JSON-able).
    """
    backbone = plain(backbone) if backbone is not None else None
    dataset = {key: value for key, value in plain(dataset).items()
               if key not in _IGNORED_DATASET_KEYS}
    return dict(backbone=backbone, weights=config_file_digests(backbone), dataset=dataset,
                images=image_list_digest(img_paths), num_images=len(img_paths), **plain(params))


def frozen_pass_key(params):
    """The cache key (16 hex digits) of :func:`frozen_pass_params`."""
    return cache_key(params)
