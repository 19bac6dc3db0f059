"""What identifies a feature cache: backbone arch and weights, resolution, dataset."""
import hashlib

from useg.utils.cache import cache_key, file_digest


def weights_digest(backbone):
    """Digest of the backbone's weights: of its weight file when loaded from one, otherwise of
    its parameter values (random-weight backbones)."""
    path = getattr(backbone, 'weights_path', None)
    if path is not None:
        return file_digest(path)
    digest = hashlib.sha1()
    for name, tensor in sorted(backbone.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def feature_cache_params(backbone, resolution, dataset):
    """Parameters that change cached features.

    Args:
        backbone: a built backbone (``arch``, ``out_block`` and ``final_norm`` are read when
            present).
        resolution: ``(H, W)`` input size.
        dataset: the dataset config (dict) the images come from, pipeline included.
    """
    return dict(backbone=type(backbone).__name__, arch=getattr(backbone, 'arch', None),
                out_block=getattr(backbone, 'out_block', None),
                final_norm=getattr(backbone, 'final_norm', None),
                weights=weights_digest(backbone), resolution=list(resolution), dataset=dataset)


def feature_cache_key(params):
    """Directory name of the cache for ``params`` (see :func:`feature_cache_params`)."""
    return f'{params["arch"] if isinstance(params["arch"], str) else "vit"}-{cache_key(params)}'
