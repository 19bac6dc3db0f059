"""``FilterBankBackbone``: hand-made colour and texture features at patch stride 8 that need no
weights -- meaningful features for the CPU quickstart and the learning tests."""
import math

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from useg.registry import MODELS
from .frozen import FrozenMixin

IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)
# sRGB (linear) -> CIE XYZ, D65 white; the white point used by Lab.
RGB_TO_XYZ = ((0.4124564, 0.3575761, 0.1804375), (0.2126729, 0.7151522, 0.0721750),
              (0.0193339, 0.1191920, 0.9503041))
D65_WHITE = (0.95047, 1.0, 1.08883)


def rgb_to_lab(rgb):
    """``rgb (B, 3, H, W)`` sRGB in [0, 1] -> CIE Lab ``(B, 3, H, W)`` (L in [0, 100])."""
    linear = torch.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    matrix = torch.tensor(RGB_TO_XYZ, dtype=rgb.dtype, device=rgb.device)
    xyz = torch.einsum('ij,bjhw->bihw', matrix, linear)
    xyz = xyz / torch.tensor(D65_WHITE, dtype=rgb.dtype, device=rgb.device)[None, :, None, None]
    delta = 6 / 29
    f = torch.where(xyz > delta ** 3, xyz.clamp(min=1e-12) ** (1 / 3),
                    xyz / (3 * delta ** 2) + 4 / 29)
    return torch.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])],
                       dim=1)


def gabor_kernels(wavelengths, orientations, bandwidth=1.0):
    """Quadrature Gabor pairs ``(2 * S * O, 1, k, k)``: for each wavelength (pixels) and
    orientation, an even (zero-mean cosine) and an odd (sine) kernel, each with unit L1 norm of
    its Gaussian envelope; ``bandwidth`` in octaves sets sigma."""
    factor = (2 ** bandwidth + 1) / (2 ** bandwidth - 1) * math.sqrt(math.log(2) / 2) / math.pi
    radius = math.ceil(2.5 * factor * max(wavelengths))
    coords = torch.arange(-radius, radius + 1, dtype=torch.float64)
    y, x = torch.meshgrid(coords, coords, indexing='ij')
    kernels = []
    for wavelength in wavelengths:
        sigma = factor * wavelength
        envelope = torch.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2))
        envelope = envelope / envelope.sum()
        for index in range(orientations):
            theta = math.pi * index / orientations
            phase = 2 * math.pi * (x * math.cos(theta) + y * math.sin(theta)) / wavelength
            even = envelope * torch.cos(phase)
            even = even - envelope * even.sum()  # no response to flat regions
            kernels += [even, envelope * torch.sin(phase)]
    return torch.stack(kernels)[:, None].float()


@MODELS.register_module()
class FilterBankBackbone(FrozenMixin, BaseModule):
    """Deterministic colour / texture features at patch stride 8: ``(B, 3, H, W)`` normalised
    images -> ``(B, C, H / 8, W / 8)``, no weights to download or learn.

    Per stride x stride patch:

    * colour moments in CIE Lab (perceptual): mean and standard deviation of L, a, b (6);
    * oriented multi-scale texture: quadrature Gabor energy for ``orientations`` x
      ``wavelengths`` on L, at full and half resolution (``octaves``), pooled over a window of
      twice the stride and divided by its sum (an orientation / scale signature, invariant to
      contrast);
    * local contrast: log of that summed energy, per octave.

    Each group is scaled to unit-order values (``colour_weight`` / ``texture_weight`` weigh them).

    Args:
        stride: output stride (patch size); H and W must be multiples of it.
        wavelengths: Gabor wavelengths (pixels) at full resolution; doubled per octave.
        orientations: orientations in [0, pi).
        octaves: resolutions (full, half, ...).
        mean / std: the data preprocessor's normalisation (RGB, 0-255), undone first.
    """

    def __init__(self, stride=8, wavelengths=(4.0, 5.66), orientations=6, octaves=2,
                 colour_weight=1.0, texture_weight=1.0, mean=IMAGENET_MEAN, std=IMAGENET_STD,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if stride % 2 ** (octaves - 1):
            raise ValueError(f'stride {stride} must be divisible by 2 ** (octaves - 1)')
        self.arch = 'filter_bank'
        self.stride = stride
        self.octaves = octaves
        self.colour_weight = colour_weight
        self.texture_weight = texture_weight
        self.register_buffer('kernels', gabor_kernels(wavelengths, orientations))
        self.register_buffer('mean', torch.tensor(mean, dtype=torch.float32)[None, :, None, None])
        self.register_buffer('std', torch.tensor(std, dtype=torch.float32)[None, :, None, None])
        self.num_energies = len(wavelengths) * orientations
        self.frozen = True
        self.freeze()

    @property
    def patch_size(self):
        return self.stride

    @property
    def embed_dim(self):
        """Output channels: 6 colour moments + octaves x (energies + 1 contrast)."""
        return 6 + self.octaves * (self.num_energies + 1)

    def forward(self, images):
        """``images (B, 3, H, W)`` (normalised as the data preprocessor does) ->
        ``(B, C, H / stride, W / stride)`` float32."""
        height, width = images.shape[-2:]
        if height % self.stride or width % self.stride:
            raise ValueError(f'input size {height}x{width} is not a multiple of the stride '
                             f'{self.stride}')
        with torch.no_grad(), torch.autocast(images.device.type, enabled=False):
            rgb = (images.float() * self.std + self.mean).clamp(0, 255) / 255
            lab = rgb_to_lab(rgb)
            mean = F.avg_pool2d(lab, self.stride)
            std = (F.avg_pool2d(lab ** 2, self.stride) - mean ** 2).clamp(min=0).sqrt()
            centre = torch.tensor([50.0, 0.0, 0.0], device=lab.device)[None, :, None, None]
            colour = torch.cat([(mean - centre) / 25, std / 25], dim=1) * self.colour_weight
            texture = [self._texture(lab[:, :1] / 100, octave) for octave in range(self.octaves)]
            return torch.cat([colour] + texture, dim=1)

    def _texture(self, lightness, octave):
        """Energy signature (contrast-normalised, centred) and log contrast of one octave."""
        stride = self.stride // 2 ** octave
        if octave:
            lightness = F.avg_pool2d(lightness, 2 ** octave)
        radius = self.kernels.shape[-1] // 2
        padded = F.pad(lightness, (radius, ) * 4, mode='reflect' if min(
            lightness.shape[-2:]) > radius else 'replicate')
        responses = F.conv2d(padded, self.kernels)
        energy = responses.unflatten(1, (-1, 2)).square().sum(2).sqrt()  # (B, S * O, h, w)
        energy = F.avg_pool2d(energy, 2 * stride, stride, padding=stride // 2,
                              count_include_pad=False)
        total = energy.sum(1, keepdim=True)
        signature = (energy / (total + 1e-4) - 1 / self.num_energies) * self.num_energies / 2
        contrast = torch.log(total + 1e-3) / 4 + 1
        return torch.cat([signature, contrast], dim=1) * self.texture_weight
