"""Variable-length all-gather that keeps the gradient of the local part (DDP-safe segment ids)."""
import torch
import torch.distributed as dist


def _world():
    if dist.is_available() and dist.is_initialized():
        return dist.get_world_size(), dist.get_rank()
    return 1, 0


def gather_rows(tensor):
    """Concatenate ``tensor`` ``(n_r, ...)`` of every rank in rank order.

    Returns:
        tuple: ``(gathered (sum n_r, ...), offset)`` where ``offset`` is the first row of this
        rank's part, which keeps its gradient (the other ranks' rows are constants).
    """
    world_size, rank = _world()
    if world_size == 1:
        return tensor, 0
    size = torch.tensor([tensor.shape[0]], device=tensor.device)
    sizes = [torch.zeros_like(size) for _ in range(world_size)]
    dist.all_gather(sizes, size)
    sizes = [int(s) for s in sizes]
    padded = tensor.new_zeros((max(sizes),) + tuple(tensor.shape[1:]))
    padded[:tensor.shape[0]] = tensor.detach()
    parts = [torch.zeros_like(padded) for _ in range(world_size)]
    dist.all_gather(parts, padded)
    parts = [part[:n] for part, n in zip(parts, sizes)]
    parts[rank] = tensor
    return torch.cat(parts, 0), sum(sizes[:rank])


def rank_offset(count, device=None):
    """Sum of ``count`` over the ranks before this one (0 without distributed training)."""
    world_size, rank = _world()
    if world_size == 1:
        return 0
    counts, _ = gather_rows(torch.tensor([count], device=device))
    return int(counts[:rank].sum())
