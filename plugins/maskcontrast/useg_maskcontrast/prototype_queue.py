"""FIFO queue of mask prototypes (MoCo-style negatives), gathered across ranks."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.dist import all_gather, get_world_size


class PrototypeQueue(nn.Module):
    """Buffer ``queue (D, K)`` of unit vectors (initialised to normalised Gaussian noise) + pointer.

    ``enqueue(prototypes (B, D))`` gathers the prototypes of every rank (rank order), writes them
    at the pointer and advances it modulo K. ``K`` must be a multiple of the global batch.
    """

    def __init__(self, dim, size):
        super().__init__()
        self.register_buffer('queue', F.normalize(torch.randn(dim, size), dim=0))
        self.register_buffer('pointer', torch.zeros(1, dtype=torch.long))

    @property
    def size(self):
        return self.queue.shape[1]

    @torch.no_grad()
    def enqueue(self, prototypes):
        """Write ``prototypes (B, D)`` of all ranks at the pointer (FIFO replacement)."""
        prototypes = prototypes.detach()
        if get_world_size() > 1:
            prototypes = torch.cat(all_gather(prototypes), dim=0)
        count = prototypes.shape[0]
        if self.size % count != 0:
            raise ValueError(f'queue size {self.size} must be a multiple of the global batch {count}')
        start = int(self.pointer)
        self.queue[:, start:start + count] = prototypes.t().to(self.queue.dtype)
        self.pointer[0] = (start + count) % self.size
