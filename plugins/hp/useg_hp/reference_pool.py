"""HP's reference pools: one random token per training image, L2-normalised."""
import numpy as np
import torch
import torch.nn.functional as F


def draw_token_indices(count, num_tokens, rng=None):
    """``count`` draws of ``rng.integers(0, num_tokens)`` (NumPy's global ``randint`` when None)."""
    if rng is None:
        return [int(np.random.randint(0, num_tokens)) for _ in range(count)]
    return [int(rng.integers(0, num_tokens)) for _ in range(count)]


def draw_pool_indices(batch_size, num_tokens, rng=None):
    """One batch's draws: ``batch_size`` feature-pool indices, then ``batch_size`` code-pool ones."""
    feature = draw_token_indices(batch_size, num_tokens, rng)
    code = draw_token_indices(batch_size, num_tokens, rng)
    return feature, code


def build_reference_pool(maps, indices, half_precision=False):
    """``maps``: list of ``(B_k, C, h, w)``; ``indices``: one flat token index (``y·w + x``) per
    image in the same order -> ``(M, C)`` rows L2-normalised (float16 when ``half_precision``)."""
    tokens = torch.cat([m.flatten(2).transpose(1, 2) for m in maps])  # (images, n, C)
    index = torch.as_tensor(indices, dtype=torch.long, device=tokens.device)
    pool = tokens[torch.arange(len(index), device=tokens.device), index]
    if half_precision:
        pool = pool.half()
    return F.normalize(pool, dim=1)
