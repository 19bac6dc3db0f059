"""Deterministic class palettes."""


def pascal_palette(num_classes):
    """PASCAL-VOC style colours ``[[r, g, b], ...]`` (bit-interleaved class id), length
    ``num_classes``; the first colour is black, neighbours differ strongly."""
    palette = []
    for class_id in range(num_classes):
        colour, value = [0, 0, 0], class_id
        for shift in range(7, -1, -1):
            for channel in range(3):
                colour[channel] |= ((value >> channel) & 1) << shift
            value >>= 3
        palette.append(colour)
    return palette
