"""Side-by-side panels (image | ground truth | prediction | CRF) with titles and a class legend.

Every label map is drawn in the same palette (class id -> colour); cluster predictions are first
recoloured with their Hungarian-matched classes (``matched_prediction``), so a correct prediction
has exactly the ground truth's colours. Text is sized from the panel width, and small images are
enlarged (nearest neighbour) so that the titles and legend stay readable.
"""
import functools

import numpy as np
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

from useg.utils import IGNORE_INDEX
MIN_PANEL_SIDE = 256  # smaller images are enlarged by an integer factor up to this side
OPACITY = 0.6


def matched_prediction(pred, assignment):
    """Cluster ids ``(H, W)`` -> class ids through ``assignment`` ``(num_clusters,)``
    (cluster -> class or -1); unmatched clusters become 255 (not drawn)."""
    lookup = np.where(np.asarray(assignment) >= 0, assignment, IGNORE_INDEX)
    return lookup[pred]


def colorize(labels, palette):
    """``(H, W)`` class ids -> ``(H, W, 3)`` uint8 colours; ids outside the palette are black."""
    palette = np.asarray(palette, dtype=np.uint8).reshape(-1, 3)
    table = np.zeros((256, 3), dtype=np.uint8)
    table[:len(palette)] = palette[:256]
    return table[np.clip(labels, 0, 255).astype(np.int64)]


def overlay(image, labels, palette, opacity=OPACITY):
    """Blend the colours of ``labels`` ``(H, W)`` over ``image`` ``(H, W, 3)`` uint8 RGB;
    pixels whose id is outside the palette (e.g. 255) keep the image."""
    labels = np.asarray(labels)
    blended = image.astype(np.float32) * (1 - opacity) + colorize(labels, palette) * opacity
    drawn = (labels >= 0) & (labels < len(palette))
    return np.where(drawn[..., None], np.round(blended), image).astype(np.uint8)


@functools.lru_cache(maxsize=64)
def font(size):
    """DejaVu Sans (shipped with matplotlib) at ``size`` pixels."""
    return ImageFont.truetype(font_manager.findfont('DejaVu Sans'), size)


def fitting_font(text, size, width):
    """``font(size)``, smaller (down to 8 px) until ``text`` fits in ``width`` pixels."""
    while size > 8 and font(size).getlength(text) > width:
        size -= 1
    return font(size)


def panel_layout(height, width, num_panels):
    """Geometry of ``draw_panels`` for ``(height, width)`` images: ``dict(scale, text_size, gap,
    boxes=[(left, top, right, bottom) of each panel], legend_top)``."""
    scale = max(1, -(-MIN_PANEL_SIDE // min(height, width)))
    text_size = int(np.clip(width * scale / 16, 12, 40))
    gap, title_height = max(2, text_size // 4), int(text_size * 1.6)
    panel_width, panel_height = width * scale, height * scale
    boxes = [(index * (panel_width + gap), title_height,
              index * (panel_width + gap) + panel_width, title_height + panel_height)
             for index in range(num_panels)]
    return dict(scale=scale, text_size=text_size, gap=gap, boxes=boxes,
                legend_top=title_height + panel_height + gap)


def draw_panels(image, panels, classes, palette, opacity=OPACITY):
    """One picture: ``image`` then one overlay per panel, titled, with a legend underneath.

    Args:
        image: ``(H, W, 3)`` uint8 RGB.
        panels: ``[(title, labels or None), ...]``; ``labels`` ``(H, W)`` class ids (255 =
            not drawn); ``None`` draws the plain image (e.g. ``('image', None)``).
        classes: class names; palette: ``[[r, g, b], ...]`` per class.

    Returns:
        ``(H', W', 3)`` uint8 RGB laid out as ``panel_layout``; the legend lists every class
        drawn in any panel (ids past ``classes`` are named ``class <id>``), each with a swatch of
        the colour it has in the blended panels (the mean of its blended pixels) and its name.
    """
    layout = panel_layout(*image.shape[:2], len(panels))
    size, gap, boxes = layout['text_size'], layout['gap'], layout['boxes']
    palette = np.asarray(palette, dtype=np.uint8).reshape(-1, 3)
    pictures = [image if labels is None else overlay(image, labels, palette, opacity)
                for _, labels in panels]
    present = sorted({int(value) for _, labels in panels if labels is not None
                      for value in np.unique(labels) if 0 <= value < len(palette)})
    swatches = _blended_colours(present, panels, pictures)
    classes = [str(classes[k]) if k < len(classes) else f'class {k}'
               for k in range(max([len(classes)] + [k + 1 for k in present]))]
    canvas_width = boxes[-1][2]
    legend = _legend_layout(present, classes, size, canvas_width)
    legend_height = (legend[-1][1] + size + gap) if legend else 0
    canvas = Image.new('RGB', (canvas_width, layout['legend_top'] + legend_height), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    text_font = font(size)
    for (title, labels), picture, (left, top, right, bottom) in zip(panels, pictures, boxes):
        canvas.paste(Image.fromarray(picture).resize((right - left, bottom - top), Image.NEAREST),
                     (left, top))
        draw.text(((left + right) // 2, top // 2), title, fill=(0, 0, 0), anchor='mm',
                  font=fitting_font(title, size, right - left - 2 * gap))
    top = layout['legend_top']
    for class_id, (x, y) in zip(present, legend):
        draw.rectangle([x, top + y, x + size - 1, top + y + size - 1],
                       fill=swatches[class_id], outline=(0, 0, 0))
        draw.text((x + size + gap, top + y + size // 2), str(classes[class_id]), fill=(0, 0, 0),
                  font=text_font, anchor='lm')
    return np.asarray(canvas)


def _blended_colours(class_ids, panels, pictures):
    """``{class id: (r, g, b)}``: the mean colour of the class's pixels in the blended panels."""
    colours = {}
    for class_id in class_ids:
        pixels = np.concatenate([picture[np.asarray(labels) == class_id] for (_, labels), picture
                                 in zip(panels, pictures) if labels is not None])
        colours[class_id] = tuple(int(round(c)) for c in pixels.astype(np.float64).mean(0))
    return colours


def _legend_layout(class_ids, classes, size, width):
    """Top-left ``(x, y)`` of each legend entry (swatch + name), flowed into rows of ``width``."""
    text_font, gap = font(size), max(2, size // 4)
    positions, x, y = [], gap, 0
    for class_id in class_ids:
        entry = size + gap + int(text_font.getlength(str(classes[class_id]))) + 3 * gap
        if x > gap and x + entry > width:
            x, y = gap, y + int(size * 1.4)
        positions.append((x, y))
        x += entry
    return positions


def save_panels(out_file, image, panels, classes, palette, opacity=OPACITY):
    """``draw_panels`` written to ``out_file`` (PNG)."""
    Image.fromarray(draw_panels(image, panels, classes, palette, opacity)).save(out_file)
    return out_file


def cluster_legend(num_clusters, classes=None, palette=None, assignment=None):
    """``(names, palette, lookup)`` to draw cluster ids without ground truth.

    With ``assignment`` (cluster -> class, from a labelled evaluation) clusters take their
    matched class's name and colour (``lookup`` = the assignment); otherwise cluster ``k`` is
    named ``cluster k`` and drawn in ``palette[k]`` (the dataset's palette, else PASCAL colours).
    """
    if assignment is not None and classes is not None and palette is not None:
        return list(classes), palette, np.asarray(assignment)
    if palette is None or len(palette) < num_clusters:
        from useg.datasets.palette import pascal_palette
        palette = pascal_palette(num_clusters + 1)[1:]  # skip black: clusters are all real
    return [f'cluster {k}' for k in range(num_clusters)], palette, np.arange(num_clusters)


def save_cluster_overlay(out_file, image, clusters, num_clusters, dataset_meta=None,
                         assignment=None, opacity=OPACITY):
    """``image | prediction`` panels of cluster ids ``(H, W)`` without ground truth (infer,
    demo): matched classes' names and colours with ``assignment``, else the dataset palette."""
    meta = dataset_meta or {}
    names, palette, lookup = cluster_legend(num_clusters, meta.get('classes'), meta.get('palette'),
                                            assignment)
    title = 'prediction (clusters)' if assignment is None else 'prediction'
    return save_panels(out_file, image, [('image', None), (title, lookup[clusters])], names, palette,
                       opacity)
