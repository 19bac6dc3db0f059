"""Seeded k-means (k-means++ initialisation, Lloyd iterations) on a CPU generator."""
import torch


def kmeans_plus_plus(points, num_clusters, generator):
    """k-means++ seeding: indices of ``num_clusters`` rows of ``points (N, D)``."""
    chosen = [int(torch.randint(points.shape[0], (1, ), generator=generator))]
    distances = ((points - points[chosen[0]]) ** 2).sum(1)
    for _ in range(1, num_clusters):
        total = distances.sum()
        if total <= 0:  # fewer distinct points than clusters
            chosen.append(int(torch.randint(points.shape[0], (1, ), generator=generator)))
        else:
            chosen.append(int(torch.multinomial(distances / total, 1, generator=generator)))
        distances = torch.minimum(distances, ((points - points[chosen[-1]]) ** 2).sum(1))
    return torch.tensor(chosen)


def kmeans(points, num_clusters, seed, num_init=3, max_iters=300, tolerance=1e-6):
    """Cluster ``points (N, D)`` -> ``(labels (N,) int64, centroids (K, D))``, best of ``num_init``.

    Deterministic given ``seed`` (its own ``torch.Generator``). Float64 maths; an emptied cluster
    is re-seeded at the point farthest from its centroid.
    """
    if points.shape[0] < num_clusters:
        raise ValueError(f'{points.shape[0]} points cannot form {num_clusters} clusters')
    points = points.double().cpu()
    generator = torch.Generator().manual_seed(int(seed))
    best = None
    for _ in range(num_init):
        centroids = points[kmeans_plus_plus(points, num_clusters, generator)].clone()
        for _ in range(max_iters):
            distances = torch.cdist(points, centroids) ** 2
            labels = distances.argmin(1)
            updated = torch.zeros_like(centroids).index_add_(0, labels, points)
            counts = torch.bincount(labels, minlength=num_clusters)
            for empty in (counts == 0).nonzero()[:, 0].tolist():
                farthest = int(distances.gather(1, labels[:, None])[:, 0].argmax())
                updated[empty], counts[empty] = points[farthest], 1
            updated = updated / counts[:, None].clamp(min=1)
            shift = ((updated - centroids) ** 2).sum()
            centroids = updated
            if shift <= tolerance:
                break
        labels = torch.cdist(points, centroids).argmin(1)
        inertia = float(((points - centroids[labels]) ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, labels, centroids)
    return best[1], best[2]
