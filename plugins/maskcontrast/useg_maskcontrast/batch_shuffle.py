"""MoCo's shuffled-BN forward: the key batch is permuted across ranks before the key encoder."""
import torch
from mmengine.dist import all_gather, broadcast, get_rank, get_world_size


@torch.no_grad()
def shuffled_forward(forward, inputs):
    """``forward(inputs (B, ...))`` with the global batch shuffled across ranks and restored.

    Each rank runs ``forward`` on a random slice of the gathered batch, so that BatchNorm statistics
    of the key encoder do not come from the same images as the query's; the outputs are gathered
    and un-shuffled, so row i of the result belongs to row i of ``inputs``. One process: a plain call.
    """
    if get_world_size() == 1:
        return forward(inputs)
    local = inputs.shape[0]
    gathered = torch.cat(all_gather(inputs))
    order = torch.randperm(gathered.shape[0], device=inputs.device)
    broadcast(order, src=0)
    rank = get_rank()
    outputs = torch.cat(all_gather(forward(gathered[order.view(-1, local)[rank]])))
    return outputs[torch.argsort(order).view(-1, local)[rank]]
