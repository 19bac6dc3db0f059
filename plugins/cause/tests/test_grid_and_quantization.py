"""grid_sample_tokens / draw_grid_order / codebook_index / quantize on hand-computed cases."""
import torch

from useg_cause import codebook_index, draw_grid_order, grid_sample_tokens, quantize


def test_grid_sampling_picks_the_offset_of_every_cell():
    tokens = torch.arange(64.).view(1, 64, 1)  # 8 x 8 grid, value = row-major index
    order = torch.tensor([0, 5, 10, 15])  # cells (0,0) (0,1) (1,0) (1,1)
    sampled = grid_sample_tokens(tokens, order)
    # offsets (0,0) (1,1) (2,2) (3,3) -> (0,0) (1,5) (6,2) (7,7)
    assert sampled.flatten().tolist() == [0., 13., 50., 63.]


def test_grid_sampling_batches_channels_and_ignores_trailing_rows():
    tokens = torch.arange(2 * 81 * 3.).view(2, 81, 3)  # 9 x 9: one cell of 4 per axis is used
    order = torch.tensor([3, 12, 1, 4, 7, 8, 15, 0])  # 2 images x 2 x 2 cells
    sampled = grid_sample_tokens(tokens, order)
    assert sampled.shape == (2, 4, 3)
    for index, r in enumerate(order.tolist()):
        b, cell = divmod(index, 4)
        cy, cx = divmod(cell, 2)
        flat = (4 * cy + r // 4) * 9 + 4 * cx + r % 4
        assert torch.equal(sampled[b, cell], tokens[b, flat])
        assert flat // 9 < 8 and flat % 9 < 8  # row / column 8 never sampled


def test_draw_grid_order_is_one_randint_draw():
    order = draw_grid_order(3, 10, generator=torch.Generator().manual_seed(7))
    expected = torch.randint(16, (3 * 2 * 2, ), generator=torch.Generator().manual_seed(7))
    assert order.dtype == torch.long and torch.equal(order, expected)
    torch.manual_seed(3)
    first = draw_grid_order(2, 23, cell=4)
    torch.manual_seed(3)
    assert torch.equal(first, torch.randint(16, (2 * 5 * 5, )))


def test_codebook_index_cosine_argmax_ties_and_zero_tokens():
    codebook = torch.tensor([[2., 0.], [0., 1.], [-1., 0.], [4., 0.]])  # rows 0 and 3 tie
    tokens = torch.tensor([[[1., 0.], [0., 2.], [-1., 0.1], [0., 0.]]])
    index = codebook_index(tokens, codebook)
    assert index.dtype == torch.long and index.tolist() == [[0, 1, 2, 0]]
    quantized = quantize(tokens, codebook)
    assert torch.equal(quantized, codebook[torch.tensor([[0, 1, 2, 0]])])  # raw rows
