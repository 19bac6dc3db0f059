import numpy as np
from PIL import Image

from useg.visualization import (cluster_legend, draw_panels, matched_confusion, overlay,
                                save_cluster_overlay)
from useg.visualization.panels import panel_layout


def test_overlay_keeps_ignored_pixels_and_blends_the_rest():
    image = np.full((2, 2, 3), 100, np.uint8)
    labels = np.array([[0, 255], [1, 0]])
    drawn = overlay(image, labels, [[0, 0, 0], [200, 200, 200]], opacity=0.5)
    assert drawn[0, 1].tolist() == [100, 100, 100]
    assert drawn[0, 0].tolist() == [50, 50, 50] and drawn[1, 0].tolist() == [150, 150, 150]


def test_text_grows_with_the_image():
    assert panel_layout(64, 64, 2)['scale'] == 4
    small, large = panel_layout(300, 300, 2), panel_layout(900, 1800, 2)
    assert small['scale'] == large['scale'] == 1
    assert large['text_size'] > small['text_size']


def test_legend_wraps_into_rows_for_many_classes():
    labels = np.arange(27).repeat(4).reshape(9, 12)
    classes = [f'class number {i}' for i in range(27)]
    palette = [[i * 9, 255 - i * 9, 128] for i in range(27)]
    drawn = draw_panels(np.zeros((9, 12, 3), np.uint8), [('ground truth', labels)], classes, palette)
    legend = drawn[panel_layout(9, 12, 1)['legend_top']:]
    assert legend.shape[0] > 3 * panel_layout(9, 12, 1)['text_size']  # several rows
    swatches = {tuple(colour) for colour in legend.reshape(-1, 3)}
    blended = overlay(np.zeros((9, 12, 3), np.uint8), labels, palette)  # as the panel shows them
    assert all(tuple(colour) in swatches for colour in blended.reshape(-1, 3))


def test_cluster_overlay_without_labels_uses_the_dataset_palette(tmp_path):
    names, palette, lookup = cluster_legend(3, palette=[[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert names == ['cluster 0', 'cluster 1', 'cluster 2'] and lookup.tolist() == [0, 1, 2]
    names, palette, lookup = cluster_legend(2, ['a', 'b'], [[1, 2, 3], [4, 5, 6]], [1, 0])
    assert names == ['a', 'b'] and lookup.tolist() == [1, 0]
    out = save_cluster_overlay(str(tmp_path / 'o.png'), np.zeros((16, 16, 3), np.uint8),
                               np.ones((16, 16), int), 2,
                               dict(classes=['a', 'b'], palette=[[0, 0, 0], [250, 0, 0]]))
    drawn = np.asarray(Image.open(out).convert('RGB'))
    box = panel_layout(16, 16, 2)['boxes'][1]
    assert (drawn[box[1]:box[3], box[0]:box[2]] == [150, 0, 0]).all()


def test_matched_confusion_sums_clusters_of_a_class_and_keeps_unmatched():
    confusion = np.array([[5, 0], [1, 3], [2, 2]])  # rows = clusters
    matched = matched_confusion(confusion, [0, 1, -1])
    assert matched.tolist() == [[5, 1, 2], [0, 3, 2]]


def test_legend_swatches_have_the_blended_colour_and_every_drawn_class_has_an_entry():
    image = np.full((20, 20, 3), (200, 0, 0), np.uint8)  # a red picture
    labels = np.zeros((20, 20), np.int64)
    labels[10:] = 2  # id 2 has a colour but no name
    palette = [[0, 0, 0], [0, 255, 0], [0, 0, 255]]
    drawn = draw_panels(image, [('prediction', labels)], ['background', 'grass'], palette)
    legend = drawn[panel_layout(20, 20, 1)['legend_top']:]
    colours = {tuple(colour) for colour in legend.reshape(-1, 3)}
    blended = overlay(image, labels, palette)
    assert tuple(blended[0, 0]) in colours and tuple(blended[-1, -1]) in colours  # dark red, purple
    assert tuple(blended[0, 0]) != (0, 0, 0)
    assert (0, 0, 255) not in colours  # the bare palette colour is not what the panel shows
    assert legend.shape[1] > 0 and (legend < 128).any()  # names written
