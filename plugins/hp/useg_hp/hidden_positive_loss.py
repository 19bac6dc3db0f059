"""HP's hidden-positive contrastive loss (task-agnostic + task-specific positives)."""
import torch
import torch.nn as nn

from useg.registry import MODELS


def pool_thresholds(x, pool):
    """``x (N, C)``, ``pool (M, C)`` -> ``(N,)``: each row's highest similarity to the pool."""
    return (x @ pool.to(x.dtype).t()).max(dim=1).values


def block_positives(x_block, x, thr_block, thr, offset):
    """Positives of the anchors ``x_block (n, C)`` (rows ``offset..offset+n-1`` of ``x (N, C)``)
    -> ``(n, N)`` bool, self pair false."""
    sim = x_block @ x.t()
    positive = (sim > thr_block[:, None]) | (sim > thr[None])
    rows = torch.arange(len(x_block), device=x.device)
    positive[rows, rows + offset] = False
    return positive


@torch.no_grad()
def hidden_positive_masks(feats, pool, tokens_per_image=None):
    """``(N, N)`` bool: ``sim[i, j] > thr_i or sim[i, j] > thr_j`` with ``sim = feats·featsᵀ`` and
    ``thr_i = max_m feats_i·pool_m``; self pair false. ``feats (N, C)``, ``pool (M, C)``."""
    thr = pool_thresholds(feats, pool)
    step = tokens_per_image or len(feats)
    return torch.cat([block_positives(feats[s:s + step], feats, thr[s:s + step], thr, s)
                      for s in range(0, len(feats), step)])


@MODELS.register_module()
class HiddenPositiveLoss(nn.Module):
    """Supervised-contrastive loss on discovered positives, global and local terms.

    Args:
        temperature: τ. base_temperature: SupCon's base (the loss is scaled by ``τ / base``).
        rho: fraction of non-positive tokens kept in the denominator.
        reweighting: weigh each anchor by its positive count over the image's mean count.
        half_precision_masks: float16 ``P_a + λ·P_s``, row sums and weights (the reference).
        nan_on_empty: an image without task-agnostic positives gives NaN (the reference) instead
            of contributing 0.
    """

    def __init__(self, temperature=0.8, base_temperature=0.07, rho=0.02, reweighting=True,
                 half_precision_masks=False, nan_on_empty=False):
        super().__init__()
        self.temperature = temperature
        self.base_temperature = base_temperature
        self.rho = rho
        self.reweighting = reweighting
        self.half_precision_masks = half_precision_masks
        self.nan_on_empty = nan_on_empty

    def block_term(self, Z, rows, weights, counts, omega, keep, denominator):
        """``-mean_kept (τ / base)·m_i·ω_i`` of one image block for the embeddings ``Z (N, P)``.

        Only the kept anchors are evaluated (the dropped rows carry no loss, and skipping them
        keeps a dropped row with an empty denominator from giving NaN gradients)."""
        if not keep.any() and not self.nan_on_empty:
            return Z.new_zeros(())
        logits = Z[rows][keep] @ Z.t() / self.temperature
        logits = logits - logits.max(dim=1, keepdim=True).values.detach()
        log_prob = logits - torch.log((logits.exp() * denominator[keep]).sum(dim=1, keepdim=True))
        mean_positive = (weights[keep] * log_prob).sum(dim=1) / counts[keep]
        return (-(self.temperature / self.base_temperature) * mean_positive * omega[keep]).mean()

    def forward(self, z, z_local, feats, ema_code, pool_feats, pool_code, lmbd, tokens_per_image,
                neglect_mask=None, generator=None):
        """``z, z_local (N, P)``, ``feats (N, C)``, ``ema_code (N, D)``, pools ``(M, C)`` / ``(M, D)``,
        all unit rows, ``N = B·tokens_per_image`` -> dict(loss, loss_global, loss_local, num_anchors)."""
        n = tokens_per_image
        num_images = len(z) // n
        feats, ema_code = feats.detach(), ema_code.detach()
        with torch.no_grad():
            thr_f = pool_thresholds(feats, pool_feats)
            thr_e = pool_thresholds(ema_code, pool_code)
            if neglect_mask is None:
                # drawn on the CPU as the reference, whatever the device
                neglect_mask = torch.rand(n, len(z), generator=generator) < self.rho
            neglect_mask = neglect_mask.to(z.device)
        loss_global = loss_local = z.new_zeros(())
        num_anchors = 0
        for b in range(num_images):
            start = b * n
            rows = slice(start, start + n)
            with torch.no_grad():
                agnostic = block_positives(feats[rows], feats, thr_f[rows], thr_f, start)
                specific = block_positives(ema_code[rows], ema_code, thr_e[rows], thr_e, start)
                denominator = agnostic | neglect_mask
                index = torch.arange(n, device=z.device)
                denominator[index, index + start] = False
                keep = agnostic.sum(dim=1) > 0
                dtype = torch.float16 if self.half_precision_masks else torch.float32
                weights = agnostic.to(dtype) + lmbd * specific.to(dtype)
                counts = weights.sum(dim=1)
                if self.reweighting:  # float32 from the (possibly float16) row sums
                    omega = counts.float() / counts[keep].float().sum()
                    omega = omega / omega[keep].mean()
                else:
                    omega = torch.ones_like(counts, dtype=torch.float32)
                counts = counts.float()
                weights = weights.float()
                denominator = denominator.float()
                num_anchors += int(keep.sum())
            loss_global = loss_global + self.block_term(z, rows, weights, counts, omega, keep,
                                                        denominator)
            loss_local = loss_local + self.block_term(z_local, rows, weights, counts, omega, keep,
                                                      denominator)
        loss_global = loss_global / num_images / 2
        loss_local = loss_local / num_images / 2
        return dict(loss=loss_global + loss_local, loss_global=loss_global, loss_local=loss_local,
                    num_anchors=num_anchors)
