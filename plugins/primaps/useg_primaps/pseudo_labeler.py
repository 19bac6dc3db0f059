"""``PriMaPsPseudoLabeler``: class-agnostic principal-mask-proposal maps for pre-computation."""
from contextlib import contextmanager

import torch
import torch.nn.functional as F

from useg.postprocess import refine_with_crf
from useg.pseudo_labels import BasePseudoLabeler
from useg.registry import PSEUDO_LABELERS
from useg.utils import IGNORE_INDEX

from .mask_logits import proposal_log_probs
from .mask_proposals import batched_principal_mask_proposals, principal_mask_proposals


@contextmanager
def intra_op_threads(threads):
    """Run the block with ``threads`` torch intra-op threads (None: unchanged), then restore."""
    previous = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


@PSEUDO_LABELERS.register_module()
class PriMaPsPseudoLabeler(BasePseudoLabeler):
    """PriMaPs mask-id maps: 1..M in extraction order, 255 = background / ignore.

    ``labeler(feats (B, C, h, w) float, images (B, H, W, 3) uint8 RGB)`` -> ``(B, H, W)`` uint8.
    Proposals (:mod:`.mask_proposals`) -> 3x3 median filter -> x10, clamp -> background channel
    -> log-softmax -> bilinear upsampling to ``(H, W)`` -> dense CRF (``crf=True``) -> argmax,
    0 -> 255. Without structure (every proposal removed by the median filter) the map is all 255.

    Args:
        threshold: relative cosine threshold psi (paper: 0.4).
        crf: refine with the dense CRF; False returns the argmax of the upsampled softmax.
        coverage: stop extracting at this covered fraction (reference: 0.95).
        pca_rank, pca_iterations: ``torch.pca_lowrank`` ``q`` / ``niter`` (reference: 3 / 100).
        batched: extract all images of a batch together (same masks as the per-image loop, only
            the uncovered rows, the subspace iteration on the Gram matrix); False runs the
            reference per-image ``pca_lowrank`` loop (the faster default is True; figures in
            docs/performance.md).
        crf_backend: ``'auto'`` | ``'torch'`` | ``'pydensecrf'`` (see
            ``useg.postprocess.refine_with_crf``; auto = torch when the features are on CUDA).
        crf_workers: processes for the pydensecrf CRF (None = the CPUs this process may use,
            0/1 = serial).
        cpu_threads: torch intra-op threads while extracting proposals on the CPU (its loop of
            small ops stalls with several threads on a busy machine); None leaves the setting.
    """

    def __init__(self, threshold=0.4, crf=True, coverage=0.95, pca_rank=3, pca_iterations=100,
                 batched=True, crf_backend='auto', crf_workers=None, cpu_threads=1):
        super().__init__()
        self.threshold = threshold
        self.crf = crf
        self.coverage = coverage
        self.pca_rank = pca_rank
        self.pca_iterations = pca_iterations
        self._batched = batched
        self._crf_backend = crf_backend
        self._crf_workers = crf_workers
        self._cpu_threads = cpu_threads

    def proposals(self, feats):
        """``feats (B, C, h, w)`` -> ``(masks (B, M, h, w), counts (B,))``."""
        settings = dict(threshold=self.threshold, coverage=self.coverage, rank=self.pca_rank,
                        niter=self.pca_iterations)
        with intra_op_threads(self._cpu_threads if feats.device.type == 'cpu' else None):
            if self._batched:
                return batched_principal_mask_proposals(feats, **settings)
            per_image = [principal_mask_proposals(feat, **settings) for feat in feats]
            counts = torch.tensor([len(masks) for masks in per_image], device=feats.device)
        masks = feats.new_zeros(len(feats), int(counts.max()), *feats.shape[-2:])
        for index, image_masks in enumerate(per_image):
            masks[index, :len(image_masks)] = image_masks
        return masks, counts

    @torch.no_grad()
    def forward(self, feats, images):
        images = torch.as_tensor(images)
        if images.dim() != 4 or images.shape[-1] != 3 or images.dtype != torch.uint8:
            raise ValueError(f'images must be (B, H, W, 3) uint8 RGB, got {tuple(images.shape)} '
                             f'{images.dtype}')
        if not torch.is_tensor(feats) or feats.dim() != 4 or len(feats) != len(images):
            raise ValueError(f'feats must be (B, C, h, w) with B = {len(images)} images, got '
                             f'{getattr(feats, "shape", type(feats))}')
        masks, counts = self.proposals(feats.float())
        log_probs, valid = proposal_log_probs(masks, counts)
        size = tuple(images.shape[1:3])
        if self.crf:
            crf_maps = [maps[:int(count) + 1] for maps, count in zip(log_probs, counts)]
            probs = refine_with_crf(list(images.cpu()), crf_maps, backend=self._crf_backend,
                                    num_workers=self._crf_workers)
            labels = torch.stack([torch.from_numpy(prob.argmax(0)) for prob in probs])
        else:
            upsampled = F.interpolate(log_probs, size=size, mode='bilinear', align_corners=False)
            labels = upsampled.argmax(1).cpu()
        labels[labels == 0] = IGNORE_INDEX
        labels[~valid.cpu()] = IGNORE_INDEX
        return labels.clamp(max=IGNORE_INDEX).to(torch.uint8)
