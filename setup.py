import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup


def add_mim_extension():
    """Ship ``configs/`` inside the package as ``useg/.mim/configs`` (as mmseg does).

    Wheels and sdists get a copy, so ``useg train primaps/dinov2_vitb14_cs`` works without a
    checkout; editable installs read the checkout's ``configs/`` directly (no copy).
    """
    if not any(command in sys.argv for command in ('bdist_wheel', 'sdist', 'build', 'install')):
        return
    root = osp.dirname(osp.abspath(__file__))
    target = osp.join(root, 'useg', '.mim', 'configs')
    if osp.isdir(target):
        shutil.rmtree(target)
    os.makedirs(osp.dirname(target), exist_ok=True)
    shutil.copytree(osp.join(root, 'configs'), target,
                    ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))


add_mim_extension()

setup(
    name='useg',
    version='0.1.0',
    description='Unsupervised semantic segmentation toolbox on the OpenMMLab stack',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    python_requires='>=3.9',
    packages=find_packages(include=['useg', 'useg.*']),
    package_data={'useg': ['.mim/configs/**/*.py']},
    entry_points={'console_scripts': ['useg=useg.cli:main']},
    install_requires=[
        'torch>=2.14',  # the tested version; weights_only loading needs >= 2.6
        'torchvision',
        'timm>=1.0',
        'mmengine==0.10.7',
        'mmcv-lite==2.1.0',
        'mmsegmentation==1.2.2',
        'ftfy',  # mmseg.utils imports it
        'regex',  # mmseg.utils imports it
        'numpy',
        'scipy',
        'pillow',
        'opencv-python',
        'matplotlib',
        'tqdm',
        'pydensecrf2',
    ],
    extras_require={
        'tensorboard': ['tensorboard'],
        'demo': ['gradio'],
        'tests': ['pytest', 'tensorboard', 'transformers'],  # transformers: DepthG's depth-model tests
    },
)
