"""Pipeline step loading a 0/255 saliency PNG as the sample's ``pseudo_seg_map``."""
from mmcv.transforms import BaseTransform

from useg.registry import TRANSFORMS

from .saliency_from_files import SaliencyFromFiles


@TRANSFORMS.register_module()
class LoadSaliencyFromFile(BaseTransform):
    """Adds ``pseudo_seg_map`` (uint8 0/1, 255 where the image was dropped) from a saliency file.

    Images without a file return None, so mmengine's dataset draws another image (the reference
    leaves them out of the training list). Args are :class:`SaliencyFromFiles`'.
    """

    def __init__(self, saliency_dir, suffix='.png', postprocess=True):
        self.labeler = SaliencyFromFiles(saliency_dir, suffix, postprocess)

    def transform(self, results):
        mask = self.labeler.load(results['img_path'])
        if mask is None:
            return None
        if mask.shape != tuple(results['img'].shape[:2]):
            raise ValueError(f'saliency {self.labeler.saliency_path(results["img_path"])} is '
                             f'{mask.shape}, its image {results["img"].shape[:2]}')
        results['pseudo_seg_map'] = mask
        results.setdefault('seg_fields', [])
        if 'pseudo_seg_map' not in results['seg_fields']:
            results['seg_fields'].append('pseudo_seg_map')
        return results
