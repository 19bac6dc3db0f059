"""Cosine k-nearest neighbours of image descriptors in O(N * k) extra memory."""
import torch
import torch.nn.functional as F


def pooled_descriptors(feats):
    """Backbone features ``(B, C, h, w)`` -> global-average-pooled, L2-normalised ``(B, C)``."""
    if feats.dim() != 4:
        raise ValueError(f'feats must be (B, C, h, w), got {tuple(feats.shape)}')
    return F.normalize(feats.mean(dim=(2, 3)), dim=1)


LOW_PRECISION = {'fp16': torch.float16, 'bf16': torch.bfloat16}


def search_dtype(precision, device):
    """The matmul dtype of a search: ``'auto'`` is fp16 on CUDA and fp32 elsewhere."""
    if precision == 'auto':
        precision = 'fp16' if torch.device(device).type == 'cuda' else 'fp32'
    if precision == 'fp32':
        return torch.float32
    if precision not in LOW_PRECISION:
        raise ValueError(f"precision must be 'auto', 'fp32', 'fp16' or 'bf16', got {precision!r}")
    return LOW_PRECISION[precision]


def nearest_neighbors(descriptors, k, query_chunk_size=1024, key_chunk_size=4096, device=None,
                      precision='auto'):
    """Top-``k`` cosine neighbours of every row of ``descriptors (N, C)``, searched in chunks.

    Only a ``(query_chunk_size, key_chunk_size)`` similarity block and the running ``(N, k)`` result
    exist at any time (never the ``N x N`` matrix). Column 0 is the row itself, by construction
    (an exact duplicate can never displace it); columns 1.. are the other rows by decreasing
    similarity.

    Args:
        descriptors: ``(N, C)`` features (normalised here; they need not be).
        k: neighbours per row, self included (``1 <= k <= N``).
        query_chunk_size / key_chunk_size: block sizes of the search.
        device: where the similarities are computed (default: the descriptors' device).
        precision: ``'fp32'``, or ``'fp16'`` / ``'bf16'``: the blocks are multiplied in half
            precision, then the best ``2 (k - 1) + 32`` candidates of each block are re-scored in
            fp32 and the top ``k - 1`` kept by their fp32 similarity. ``'auto'``: fp16 on CUDA, fp32
            elsewhere (the CPU result is the plain fp32 search).

    Returns:
        ``(indices (N, k) int64, similarities (N, k) float32)`` on the CPU.
    """
    if descriptors.dim() != 2:
        raise ValueError(f'descriptors must be (N, C), got {tuple(descriptors.shape)}')
    count = descriptors.shape[0]
    if not 1 <= k <= count:
        raise ValueError(f'k must be in [1, N={count}], got {k}')
    if query_chunk_size < 1 or key_chunk_size < 1:
        raise ValueError('chunk sizes must be >= 1')
    device = torch.device(device) if device is not None else descriptors.device
    dtype = search_dtype(precision, device)
    unit = F.normalize(descriptors.float(), dim=1)
    indices = torch.empty(count, k, dtype=torch.long)
    similarities = torch.empty(count, k, dtype=torch.float32)
    for start in range(0, count, query_chunk_size):
        queries = unit[start:start + query_chunk_size].to(device)
        rows = torch.arange(start, start + queries.shape[0], device=device)
        best_similarities, best_indices = _search_others(unit, queries, rows, k - 1, key_chunk_size,
                                                         dtype)
        stop = start + queries.shape[0]
        indices[start:stop, 0] = rows.cpu()
        similarities[start:stop, 0] = (queries * queries).sum(1).cpu()
        indices[start:stop, 1:] = best_indices.cpu()
        similarities[start:stop, 1:] = best_similarities.cpu()
    return indices, similarities


def _block_top(queries, keys, key_indices, rows, count, dtype, own):
    """Top-``count`` ``(values, key positions)`` of one block, each query's own row excluded.

    Only a block that holds some query rows (``own``: a diagonal block) is masked. In half
    precision the candidates are re-scored in fp32 before the final top-``count``.
    """
    if dtype == torch.float32:
        block = queries @ keys.T
        if own:
            block.masked_fill_(rows[:, None] == key_indices[None, :], float('-inf'))
        top = block.topk(min(count, block.shape[1]), dim=1)
        return top.values, top.indices
    block = (queries.to(dtype) @ keys.to(dtype).T).float()
    if own:
        block.masked_fill_(rows[:, None] == key_indices[None, :], float('-inf'))
    candidates = block.topk(min(2 * count + 32, block.shape[1]), dim=1).indices
    exact = torch.bmm(keys[candidates], queries[:, :, None])[..., 0]  # (Q, candidates) fp32
    if own:
        exact.masked_fill_(rows[:, None] == key_indices[candidates], float('-inf'))
    top = exact.topk(min(count, exact.shape[1]), dim=1)
    return top.values, candidates.gather(1, top.indices)


def _search_others(unit, queries, rows, count, key_chunk_size, dtype=torch.float32):
    """Running top-``count`` over key chunks for ``queries (Q, C)``, excluding each query's own row."""
    device = queries.device
    best_similarities = queries.new_empty(queries.shape[0], 0)
    best_indices = torch.empty(queries.shape[0], 0, dtype=torch.long, device=device)
    if count == 0:
        return best_similarities, best_indices
    first_row, end_row = int(rows[0]), int(rows[-1]) + 1
    for start in range(0, unit.shape[0], key_chunk_size):
        keys = unit[start:start + key_chunk_size].to(device)
        key_indices = torch.arange(start, start + keys.shape[0], device=device)
        own = start < end_row and first_row < start + keys.shape[0]
        values, positions = _block_top(queries, keys, key_indices, rows, count, dtype, own)
        merged_similarities = torch.cat([best_similarities, values], dim=1)
        merged_indices = torch.cat([best_indices, key_indices[positions]], dim=1)
        top = merged_similarities.topk(min(count, merged_similarities.shape[1]), dim=1)
        best_similarities = top.values
        best_indices = merged_indices.gather(1, top.indices)
    return best_similarities, best_indices


def dense_nearest_neighbors(descriptors, k):
    """The naive reference: the full ``N x N`` similarity matrix, then top-``k`` (for benchmarks)."""
    unit = F.normalize(descriptors.float(), dim=1)
    top = (unit @ unit.T).topk(k, dim=1)
    return top.indices, top.values
