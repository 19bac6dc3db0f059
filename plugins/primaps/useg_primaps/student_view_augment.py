"""PriMaPs-EM student view: photometric augmentation of the *normalised* batch."""
import torch
import torchvision.transforms.v2.functional as TF

BLUR_KERNEL = 21


class StudentViewAugment:
    """``(B, 3, H, W)`` normalised images -> augmented copy, per image:

    Gaussian blur (kernel 21, sigma ~ U(0.1, 2.0)), then with probability 0.5 ColorJitter
    (brightness = contrast = saturation = hue = 0.1) applied with probability 0.3, otherwise
    3-channel grayscale applied with probability 0.1. Runs on the normalised tensor, so jitter
    clamps to ``[0, 1]`` and grayscale mixes normalised channels: the reference's quirk.
    """

    def __init__(self, jitter=0.1, jitter_prob=0.3, gray_prob=0.1, sigma=(0.1, 2.0)):
        self.jitter = jitter
        self.jitter_prob = jitter_prob
        self.gray_prob = gray_prob
        self.sigma = sigma

    def _jitter(self, image):
        low, high = 1 - self.jitter, 1 + self.jitter
        for op, factor in ((TF.adjust_brightness, torch.empty(1).uniform_(low, high)),
                           (TF.adjust_contrast, torch.empty(1).uniform_(low, high)),
                           (TF.adjust_saturation, torch.empty(1).uniform_(low, high)),
                           (TF.adjust_hue, torch.empty(1).uniform_(-self.jitter, self.jitter))):
            image = op(image, float(factor))
        return image

    def __call__(self, images):
        views = []
        for image in images:
            sigma = float(torch.empty(1).uniform_(*self.sigma))
            image = TF.gaussian_blur(image, [BLUR_KERNEL, BLUR_KERNEL], [sigma, sigma])
            if torch.rand(1) < 0.5:
                if torch.rand(1) < self.jitter_prob:
                    image = self._jitter(image)
            elif torch.rand(1) < self.gray_prob:
                image = TF.rgb_to_grayscale(image, num_output_channels=3)
            views.append(image)
        return torch.stack(views)
