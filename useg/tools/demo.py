"""A local web page to try a trained model: ``useg demo CONFIG CHECKPOINT [--port 7860]``.

Drop images on the page and see the overlay (cluster colours and legend) and the share of the
image each cluster covers. Needs the optional extra: ``pip install 'useg[demo]'`` (Gradio). The
server listens on 127.0.0.1 only and sends nothing anywhere.
"""
import argparse
import os
import os.path as osp
import tempfile

import numpy as np
from PIL import Image

from useg.utils import UsegError, run_cli
from useg.utils.errors import add_tool_flags
from .config_paths import resolve_config_path


def segment_for_demo(model, image_path, short_side):
    """``(overlay (H', W', 3) uint8, [[name, percent], ...] largest first)`` of one image file."""
    from useg.apis import segment_images
    from useg.visualization import cluster_legend, save_cluster_overlay
    num_clusters = model.cluster_probe.num_clusters
    with tempfile.TemporaryDirectory() as out_dir:
        label_file = segment_images(model, [image_path], out_dir, short_side=short_side)[0]
        clusters = np.asarray(Image.open(label_file)).astype(np.int64)
        image = np.asarray(Image.open(image_path).convert('RGB'))
        overlay_file = save_cluster_overlay(osp.join(out_dir, 'demo_overlay.png'), image, clusters,
                                            num_clusters, model.dataset_meta)
        overlay = np.asarray(Image.open(overlay_file).convert('RGB'))
    names, _, lookup = cluster_legend(num_clusters, palette=(model.dataset_meta or {}).get('palette'))
    counts = np.bincount(lookup[clusters].ravel(), minlength=len(names))
    areas = [[names[index], round(100 * counts[index] / counts.sum(), 2)]
             for index in np.argsort(-counts) if counts[index]]
    return overlay, areas


def build_demo(model, title, short_side=320):
    """The Gradio page: an upload box, the overlay and a per-cluster area table."""
    os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')  # no calls home
    try:
        import gradio as gr
    except ImportError:
        raise UsegError("useg demo needs Gradio: pip install 'useg[demo]'") from None

    def segment(image_path):
        if image_path is None:
            return None, []
        return segment_for_demo(model, image_path, short_side)

    with gr.Blocks(title='useg demo') as demo:
        gr.Markdown(f'## useg demo: {title}\nDrop an image to segment it (nothing leaves this '
                    'computer).')
        with gr.Row():
            upload = gr.Image(type='filepath', label='image', sources=['upload'], elem_id='upload')
            overlay = gr.Image(type='numpy', label='overlay', interactive=False, elem_id='overlay')
        areas = gr.Dataframe(headers=['cluster', 'area (%)'], label='per-cluster areas',
                             interactive=False, elem_id='areas')
        upload.change(segment, inputs=upload, outputs=[overlay, areas])
    return demo


def serve(config, checkpoint, port=7860, short_side=320, device='cpu', block=True):
    """Load the model and serve the page on ``http://127.0.0.1:<port>``; returns the demo
    (already closed when ``block``)."""
    from useg.apis import init_segmentor
    from .config_paths import config_name
    path = resolve_config_path(config)
    model = init_segmentor(path, checkpoint, device=device)
    demo = build_demo(model, config_name(path), short_side)
    demo.launch(server_name='127.0.0.1', server_port=port, share=False, quiet=not block,
                prevent_thread_lock=not block, show_error=True)
    return demo


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog='useg demo', description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config file or shipped config name')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--port', type=int, default=7860)
    parser.add_argument('--short-side', type=int, default=320, help='shorter side fed to the model')
    parser.add_argument('--device', default='cpu')
    add_tool_flags(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    serve(args.config, args.checkpoint, args.port, args.short_side, args.device)


if __name__ == '__main__':
    run_cli(main)
