"""Seeded k-means on the rows of a tensor (k-means++ seeding, Lloyd iterations)."""
import torch


def kmeans(points, num_clusters, seed=0, restarts=3, iterations=100, tolerance=1e-6,
           spherical=False):
    """Cluster ``points (N, D)`` into ``num_clusters``; returns ``centroids (K, D)`` (float32).

    The best (lowest within-cluster sum of squares) of ``restarts`` runs, deterministic given
    ``seed`` (its own CPU ``torch.Generator``). ``spherical``: cosine k-means (points and
    centroids on the unit sphere, assignment by the largest dot product). An emptied cluster
    is re-seeded at the point farthest from its centroid. A run stops when no centroid moves by
    more than ``tolerance`` (squared) or after ``iterations``.
    """
    points = points.float()
    if spherical:
        points = torch.nn.functional.normalize(points, dim=1)
    if points.shape[0] < num_clusters:
        raise ValueError(f'{points.shape[0]} points cannot form {num_clusters} clusters')
    generator = torch.Generator().manual_seed(int(seed))
    runs = [_lloyd(points, num_clusters, generator, iterations, tolerance, spherical)
            for _ in range(restarts)]
    return min(runs, key=lambda run: run[1])[0]


def _lloyd(points, num_clusters, generator, iterations, tolerance, spherical):
    """One k-means run from k-means++ seeds -> ``(centroids, within-cluster sum of squares)``."""
    centroids = points[_plus_plus_seeds(points, num_clusters, generator)].clone()
    for _ in range(iterations):
        distances = _squared_distances(points, centroids)
        labels = distances.argmin(1)
        sums = torch.zeros_like(centroids).index_add_(0, labels, points)
        counts = torch.bincount(labels, minlength=num_clusters).float()
        for empty in (counts == 0).nonzero()[:, 0].tolist():
            farthest = int(distances.gather(1, labels[:, None])[:, 0].argmax())
            sums[empty], counts[empty] = points[farthest], 1
        updated = sums / counts[:, None]
        if spherical:
            updated = torch.nn.functional.normalize(updated, dim=1)
        moved = ((updated - centroids) ** 2).sum(1).max()
        centroids = updated
        if moved <= tolerance:
            break
    return centroids, float(_squared_distances(points, centroids).min(1)[0].sum())


def _squared_distances(points, centroids):
    return ((points ** 2).sum(1, keepdim=True) - 2 * points @ centroids.T
            + (centroids ** 2).sum(1)).clamp(min=0)


def _plus_plus_seeds(points, num_clusters, generator):
    """k-means++: indices of ``num_clusters`` rows, each drawn with probability proportional to
    its squared distance from the nearest one already drawn."""
    chosen = [int(torch.randint(points.shape[0], (1, ), generator=generator))]
    nearest = _squared_distances(points, points[chosen[0]][None])[:, 0]
    for _ in range(1, num_clusters):
        total = nearest.sum()
        if total > 0:
            index = int(torch.multinomial(nearest / total, 1, generator=generator))
        else:  # fewer distinct points than clusters
            index = int(torch.randint(points.shape[0], (1, ), generator=generator))
        chosen.append(index)
        nearest = torch.minimum(nearest, _squared_distances(points, points[index][None])[:, 0])
    return torch.tensor(chosen)
