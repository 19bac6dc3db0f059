"""PrototypeQueue: unit initialisation, FIFO writes and pointer wrap-around."""
import pytest
import torch

from useg_maskcontrast import PrototypeQueue


def test_queue_starts_with_unit_columns():
    queue = PrototypeQueue(dim=4, size=6)
    assert torch.allclose(queue.queue.norm(dim=0), torch.ones(6))
    assert int(queue.pointer) == 0


def test_enqueue_writes_fifo_and_wraps_around():
    queue = PrototypeQueue(dim=2, size=4)
    batches = [torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([[2.0, 0.0], [0.0, 2.0]]),
               torch.tensor([[3.0, 0.0], [0.0, 3.0]])]
    queue.enqueue(batches[0])
    assert int(queue.pointer) == 2
    queue.enqueue(batches[1])
    assert int(queue.pointer) == 0  # wrapped
    assert torch.equal(queue.queue, torch.cat(batches[:2]).t())
    queue.enqueue(batches[2])  # overwrites the oldest two columns
    assert int(queue.pointer) == 2
    assert torch.equal(queue.queue, torch.cat([batches[2], batches[1]]).t())


def test_queue_size_must_be_a_multiple_of_the_batch():
    with pytest.raises(ValueError, match='multiple of the global batch'):
        PrototypeQueue(dim=2, size=5).enqueue(torch.zeros(2, 2))
