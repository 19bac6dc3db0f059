"""Chunked cosine KNN: self first, chunked == unchunked == dense, bad inputs."""
import pytest
import torch

from useg.neighbors import dense_nearest_neighbors, nearest_neighbors, pooled_descriptors


def test_constructed_neighbours():
    # rows: e0, e0 tilted towards e1, e1, -e0 tilted towards -e1: no ties among cosines
    descriptors = torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [-1.0, -0.2]])
    indices, similarities = nearest_neighbors(descriptors, k=3)
    assert indices.tolist() == [[0, 1, 2], [1, 0, 2], [2, 1, 0], [3, 2, 0]]
    assert similarities[:, 0].tolist() == pytest.approx([1.0] * 4)
    assert similarities[0, 1].item() == pytest.approx(0.9 / (0.81 + 0.01) ** 0.5)
    assert (similarities[:, :-1] >= similarities[:, 1:]).all()


def test_self_first_even_with_exact_duplicates():
    descriptors = torch.tensor([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [0.0, 1.0]])
    indices, _ = nearest_neighbors(descriptors, k=3, query_chunk_size=1, key_chunk_size=1)
    assert indices[:, 0].tolist() == [0, 1, 2, 3]
    assert all(row[0].item() not in row[1:].tolist() for row in indices)


@pytest.mark.parametrize('query_chunk, key_chunk', [(2, 3), (7, 5), (64, 3), (1000, 1000)])
def test_chunked_equals_unchunked_and_dense(query_chunk, key_chunk):
    torch.manual_seed(0)
    descriptors = torch.randn(53, 16)
    reference_indices, reference_similarities = nearest_neighbors(descriptors, k=9,
                                                                  query_chunk_size=10 ** 6,
                                                                  key_chunk_size=10 ** 6)
    indices, similarities = nearest_neighbors(descriptors, k=9, query_chunk_size=query_chunk,
                                              key_chunk_size=key_chunk)
    assert torch.equal(indices, reference_indices)
    torch.testing.assert_close(similarities, reference_similarities)
    dense_indices, dense_similarities = dense_nearest_neighbors(descriptors, k=9)
    assert torch.equal(indices, dense_indices)
    torch.testing.assert_close(similarities, dense_similarities)


def test_k_one_is_self_only():
    indices, similarities = nearest_neighbors(torch.randn(5, 3), k=1)
    assert indices[:, 0].tolist() == list(range(5))
    assert similarities.shape == (5, 1)


def test_pooled_descriptors_are_unit_means():
    feats = torch.zeros(2, 3, 2, 2)
    feats[0, 0] = 2.0
    feats[1, 1, 0, 0] = 4.0
    feats[1, 2, 1, 1] = 3.0
    pooled = pooled_descriptors(feats)
    torch.testing.assert_close(pooled, torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.8, 0.6]]))


def test_bad_inputs():
    with pytest.raises(ValueError, match='k must be'):
        nearest_neighbors(torch.randn(4, 3), k=5)
    with pytest.raises(ValueError, match='descriptors must be'):
        nearest_neighbors(torch.randn(4, 3, 1), k=2)
    with pytest.raises(ValueError, match='feats must be'):
        pooled_descriptors(torch.randn(4, 3))


@pytest.mark.parametrize('precision', ['bf16', 'fp16'])
def test_half_precision_search_with_fp32_recheck_equals_fp32(precision):
    torch.manual_seed(1)
    descriptors = torch.randn(300, 64)
    reference = nearest_neighbors(descriptors, k=12, query_chunk_size=64, key_chunk_size=100,
                                  precision='fp32')
    try:
        result = nearest_neighbors(descriptors, k=12, query_chunk_size=64, key_chunk_size=100,
                                   precision=precision)
    except RuntimeError as error:  # a CPU without that half-precision matmul
        pytest.fail(f'{precision} matmul unavailable on this CPU: {error}')
    assert torch.equal(result[0], reference[0])
    torch.testing.assert_close(result[1], reference[1], rtol=0, atol=1e-6)


def test_auto_precision_is_fp32_on_cpu_and_unknown_precision_fails():
    from useg.neighbors.knn import search_dtype
    assert search_dtype('auto', 'cpu') == torch.float32
    assert search_dtype('auto', 'cuda') == torch.float16
    with pytest.raises(ValueError, match='precision must be'):
        nearest_neighbors(torch.randn(4, 3), k=2, precision='int8')


def test_only_diagonal_blocks_are_masked(monkeypatch):
    """Off-diagonal blocks hold no query row: masking them is wasted work (issue 13 item 4)."""
    import useg.neighbors.knn as knn
    calls = []
    original = knn._block_top

    def recording(queries, keys, key_indices, rows, count, dtype, own):
        calls.append((int(rows[0]), int(key_indices[0]), own))
        return original(queries, keys, key_indices, rows, count, dtype, own)

    monkeypatch.setattr(knn, '_block_top', recording)
    nearest_neighbors(torch.randn(40, 8), k=4, query_chunk_size=10, key_chunk_size=10)
    assert len(calls) == 16
    assert [own for _, _, own in calls] == [row == key for row, key, _ in calls]
