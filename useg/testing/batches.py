"""Random model-input batches for segmentor unit tests."""
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample


def segmentation_batch(num_classes, batch_size=2, size=32, extra=None):
    """``dict(inputs, data_samples)``: per sample a uint8 image ``(3, size, size)`` and a label
    ``(1, size, size)`` in ``[0, num_classes)``, drawn from one generator seeded 1;
    ``extra(sample, generator, size)`` then adds fields (drawn right after that sample's label)."""
    generator = torch.Generator().manual_seed(1)
    inputs, samples = [], []
    for _ in range(batch_size):
        inputs.append(torch.randint(0, 256, (3, size, size), dtype=torch.uint8, generator=generator))
        sample = SegDataSample()
        sample.gt_sem_seg = PixelData(data=torch.randint(0, num_classes, (1, size, size),
                                                         generator=generator))
        sample.set_metainfo(dict(img_shape=(size, size), ori_shape=(size, size)))
        if extra is not None:
            extra(sample, generator, size)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)
