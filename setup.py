from setuptools import find_packages, setup

setup(
    name='useg',
    version='0.1.0',
    description='Unsupervised semantic segmentation toolbox on the OpenMMLab stack',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    python_requires='>=3.9',
    packages=find_packages(include=['useg', 'useg.*']),
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
    extras_require={'tests': ['pytest']},
)
