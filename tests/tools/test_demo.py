"""``useg demo``: the page loads in a real headless browser and returns an overlay for an upload.

Needs the optional extra (``pip install 'useg[demo]'``: Gradio), selenium and Debian's chromium +
chromium-driver (``USEG_DEMO=1 bash tools/setup.sh`` installs them; CI does); skipped, with the
reason shown in the warnings summary, when any is missing.
"""
import importlib.util
import os.path as osp
import shutil
import socket
import warnings

import pytest

CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--no-first-run',
                '--window-size=1280,1000']


def missing_requirements():
    missing = [name for name in ('gradio', 'selenium') if importlib.util.find_spec(name) is None]
    missing += [name for name in ('chromium', 'chromedriver') if shutil.which(name) is None]
    return missing


@pytest.fixture
def browser(tmp_path):
    missing = missing_requirements()
    if missing:
        reason = (f'demo browser test skipped: {", ".join(missing)} not installed '
                  "(pip install 'useg[demo]' selenium; apt-get install chromium chromium-driver)")
        warnings.warn(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for flag in CHROME_FLAGS + [f'--user-data-dir={tmp_path / "chrome-profile"}']:
        options.add_argument(flag)
    options.binary_location = shutil.which('chromium')
    driver = webdriver.Chrome(service=Service(shutil.which('chromedriver')), options=options)
    yield driver
    driver.quit()


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def test_demo_page_segments_an_uploaded_image(browser, synthetic_data_root, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from useg.apis import load_config, set_data_root, train
    from useg.tools.demo import serve
    from useg.visualization.panels import panel_layout
    config = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs',
                      'baseline', 'tiny_synthetic.py')
    cfg = load_config(config, dict(train_cfg=dict(max_iters=2, val_interval=100),
                                   default_hooks=dict(checkpoint=dict(interval=2))),
                      str(tmp_path / 'run'))
    set_data_root(cfg, synthetic_data_root)
    train(cfg)
    port = free_port()
    demo = serve(config, str(tmp_path / 'run' / 'iter_2.pth'), port=port, short_side=64,
                 block=False)
    try:
        browser.get(f'http://127.0.0.1:{port}/')
        upload = WebDriverWait(browser, 60).until(
            lambda driver: driver.find_element(By.CSS_SELECTOR, '#upload input[type=file]'))
        upload.send_keys(osp.join(synthetic_data_root, 'imgs', 'val', '0001.png'))
        overlay = WebDriverWait(browser, 120).until(
            lambda driver: driver.find_element(By.CSS_SELECTOR, '#overlay img'))
        size = WebDriverWait(browser, 30).until(lambda driver: driver.execute_script(
            'const img = arguments[0]; return img.complete && img.naturalWidth ? '
            '[img.naturalWidth, img.naturalHeight] : null', overlay))
        left, top, right, bottom = panel_layout(96, 96, 2)['boxes'][-1]
        assert size[0] == right and size[1] > bottom  # image | prediction panels + legend
        rows = browser.find_element(By.ID, 'areas').text
        areas = [float(line) for line in rows.splitlines() if line.replace('.', '', 1).isdigit()]
        assert 'cluster' in rows and areas and abs(sum(areas) - 100) < 0.1
    finally:
        demo.close()
