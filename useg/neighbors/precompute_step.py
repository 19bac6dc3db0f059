"""The ``knn`` precompute step: the KNN table of a ``KNNPairDataset`` training set."""
from useg.precompute import PrecomputeStep
from useg.registry import PRECOMPUTE_STEPS
from .precompute import CHUNK_IMAGES, precompute_knn, resolve_knn_cache


@PRECOMPUTE_STEPS.register_module('knn')
class KNNTableStep(PrecomputeStep):
    """``train_dataloader.dataset = dict(type='KNNPairDataset', knn=dict(...))`` -> its table."""

    settings_key = 'train_dataloader.dataset.knn'
    help = 'KNN table of the training set'

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument('--chunk-size', type=int, default=1024,
                            help='query rows per search block')
        parser.add_argument('--chunk-images', type=int, default=CHUNK_IMAGES,
                            help='images per resumable descriptor chunk')
        parser.add_argument('--precision', default='auto', choices=['auto', 'fp32', 'fp16', 'bf16'],
                            help='similarity matmul (half precision is re-checked in fp32)')

    def configured(self, cfg):
        dataset = (cfg.get('train_dataloader') or {}).get('dataset') or {}
        return dataset.get('type') == 'KNNPairDataset' and dataset.get('knn') is not None

    def run(self, cfg, workers=2, device='cpu', batch_size=None, force=False, chunk_size=1024,
            chunk_images=CHUNK_IMAGES, precision='auto', **_):
        return precompute_knn(cfg, batch_size or 64, workers, device, chunk_size, force,
                              chunk_images, precision)

    def resolve(self, cfg, config_path=None):
        return resolve_knn_cache(cfg, config_path)
