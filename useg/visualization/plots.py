"""Charts as PNG files (matplotlib's Agg canvas, no display and no global pyplot state)."""
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def _figure(width, height):
    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _save(figure, out_file):
    figure.tight_layout()
    figure.savefig(out_file)
    return out_file


def plot_reproduction(rows, out_file):
    """Grouped bars of a reproduction report: one group per metric, one bar per config, error
    bars = std over seeds, the paper's number as a black diamond. ``rows`` as ``summarize``."""
    metrics = list(dict.fromkeys(row['metric'] for row in rows))
    configs = list(dict.fromkeys(row['config'] for row in rows))
    by_key = {(row['config'], row['metric']): row for row in rows}
    figure = _figure(max(6.0, 1.1 * len(metrics) * max(1, len(configs)) ** 0.5 + 2), 4.8)
    axes = figure.add_subplot()
    width = 0.8 / len(configs)
    positions = np.arange(len(metrics))
    paper_shown = False
    for index, config in enumerate(configs):
        offsets = positions - 0.4 + width * (index + 0.5)
        cells = [by_key.get((config, metric)) for metric in metrics]
        means = [cell['mean'] if cell else np.nan for cell in cells]
        stds = [cell['std'] if cell else 0 for cell in cells]
        axes.bar(offsets, means, width, yerr=stds, capsize=3, label=config)
        papers = [(x, cell['paper']) for x, cell in zip(offsets, cells)
                  if cell and cell['paper'] is not None]
        if papers:
            axes.scatter(*zip(*papers), marker='D', color='black', zorder=3,
                         label=None if paper_shown else 'paper')
            paper_shown = True
    axes.set_xticks(positions, metrics, rotation=30, ha='right')
    axes.set_ylabel('percent (mean ± std over seeds)')
    axes.set_ylim(0, 105)
    axes.grid(axis='y', alpha=0.3)
    axes.legend(fontsize='small', loc='upper left', bbox_to_anchor=(1.01, 1))
    axes.set_title('Reproduction: ours vs paper')
    return _save(figure, out_file)


def plot_class_iou(iou, classes, palette, out_file, title='per-class IoU'):
    """Horizontal bars of per-class IoU (percent, NaN = class absent), in the class colours."""
    iou = np.asarray(iou, dtype=float)
    figure = _figure(7, max(2.5, 0.3 * len(classes) + 1.2))
    axes = figure.add_subplot()
    rows = np.arange(len(classes))
    colours = [np.asarray(palette[i], dtype=float) / 255 for i in range(len(classes))]
    axes.barh(rows, np.nan_to_num(iou), color=colours, edgecolor='black', linewidth=0.5)
    for row, value in zip(rows, iou):
        axes.text(0.5 if np.isnan(value) else value + 0.5, row,
                  'n/a' if np.isnan(value) else f'{value:.1f}', va='center', fontsize=8)
    axes.set_yticks(rows, [str(name) for name in classes], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 105)
    axes.set_xlabel('IoU (%)')
    axes.set_title(f'{title} (mIoU {np.nanmean(iou):.1f})' if np.isfinite(iou).any() else title)
    return _save(figure, out_file)


def matched_confusion(confusion, assignment):
    """``(num_classes, num_classes + 1)``: rows = true class, columns = matched predicted class,
    the last column = pixels of clusters matched to no class. ``confusion`` is
    ``(num_clusters, num_classes)`` (rows = clusters), ``assignment`` cluster -> class or -1."""
    confusion = np.asarray(confusion, dtype=float)
    assignment = np.asarray(assignment)
    num_classes = confusion.shape[1]
    matched = np.zeros((num_classes, num_classes + 1))
    for cluster, target in enumerate(assignment):
        matched[:, target if target >= 0 else num_classes] += confusion[cluster]
    return matched


def plot_confusion(matched, classes, out_file, title='confusion (Hungarian-matched)'):
    """Row-normalised confusion (true class -> predicted class, as ``matched_confusion``)."""
    matched = np.asarray(matched, dtype=float)
    if not matched[:, -1].any():
        matched = matched[:, :-1]
    columns = list(classes) + (['unmatched'] if matched.shape[1] > len(classes) else [])
    rates = matched / np.maximum(matched.sum(1, keepdims=True), 1) * 100
    side = max(4.0, 0.35 * len(columns) + 2.5)
    figure = _figure(side + 1, side)
    axes = figure.add_subplot()
    image = axes.imshow(rates, cmap='Blues', vmin=0, vmax=100)
    figure.colorbar(image, ax=axes, label='% of the true class', fraction=0.046, pad=0.04)
    if len(classes) <= 30:
        for (row, column), value in np.ndenumerate(rates):
            if value >= 0.5:
                axes.text(column, row, f'{value:.0f}', ha='center', va='center', fontsize=7,
                          color='white' if value > 60 else 'black')
    axes.set_xticks(range(len(columns)), [str(name) for name in columns], rotation=60,
                    ha='right', fontsize=8)
    axes.set_yticks(range(len(classes)), [str(name) for name in classes], fontsize=8)
    axes.set_xlabel('predicted (matched) class')
    axes.set_ylabel('true class')
    axes.set_title(title)
    return _save(figure, out_file)


def plot_curves(series, out_file, title=None):
    """One subplot per key: ``series = {key: {run label: (steps, values)}}``."""
    keys = list(series)
    several_runs = len({label for lines in series.values() for label in lines}) > 1
    columns = min(2, len(keys))
    rows = -(-len(keys) // columns)
    figure = _figure(6 * columns, 3.4 * rows)
    for index, key in enumerate(keys):
        axes = figure.add_subplot(rows, columns, index + 1)
        for label, (steps, values) in series[key].items():
            axes.plot(steps, values, marker='o' if len(steps) < 20 else None, markersize=3,
                      label=label)
        axes.set_title(key)
        axes.set_xlabel('iteration')
        axes.grid(alpha=0.3)
        if several_runs:
            axes.legend(fontsize='small')
    if title:
        figure.suptitle(title)
    return _save(figure, out_file)
