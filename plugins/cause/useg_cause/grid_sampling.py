"""Grid sampling of token maps: one token per ``cell x cell`` cell (CAUSE's ``stochastic_sampling``)."""
import torch


def draw_grid_order(batch, side, cell=4, generator=None):
    """One draw per cell: ``(batch * g * g,)`` long in ``[0, cell**2)``, ``g = side // cell``.

    Cells are enumerated (b, cy, cx); one ``torch.randint`` call on the CPU generator (``generator``
    or the global one), as the reference.
    """
    grid = side // cell
    return torch.randint(cell * cell, (batch * grid * grid, ), generator=generator)


def grid_sample_tokens(tokens, order, cell=4):
    """``tokens (B, P, C)`` of a square ``s x s`` grid (row-major) -> ``(B, g * g, C)``, ``g = s // cell``.

    ``order (B * g * g,)`` picks, in cell ``(b, cy, cx)``, the token at offset
    ``(order // cell, order % cell)``; output token ``cy * g + cx``. Trailing rows / columns that do
    not fill a whole cell are never sampled.
    """
    batch, num_tokens, channels = tokens.shape
    side = int(round(num_tokens ** 0.5))
    if side * side != num_tokens:
        raise ValueError(f'grid sampling needs a square token grid, got {num_tokens} tokens')
    grid = side // cell
    order = order.to(tokens.device).view(batch, grid, grid)
    cells = torch.arange(grid, device=tokens.device) * cell
    rows = cells.view(1, grid, 1) + torch.div(order, cell, rounding_mode='floor')
    cols = cells.view(1, 1, grid) + order % cell
    index = (rows * side + cols).view(batch, grid * grid, 1).expand(-1, -1, channels)
    return tokens.gather(1, index)
