#!/usr/bin/env bash
# One-command set-up: a virtual environment in .venv with useg, every plugin under plugins/ and the
# test tools. Usage: bash tools/setup.sh   (then: source .venv/bin/activate)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch and torchvision from the registry's default build (the CPU-only wheel breaks torchvision).
.venv/bin/python -m pip install -q -e '.[tests]'
for plugin in plugins/*/; do
  [ -f "$plugin/pyproject.toml" ] && .venv/bin/python -m pip install -q --no-build-isolation --no-deps -e "$plugin"
done
# Plugin dependencies that are not useg's own (declared in each plugin's pyproject.toml).
.venv/bin/python - <<'PY'
import glob, subprocess, sys, tomllib
deps = set()
for path in glob.glob('plugins/*/pyproject.toml'):
    with open(path, 'rb') as file:
        deps.update(d for d in tomllib.load(file)['project'].get('dependencies', []) if not d.startswith('useg'))
if deps:
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-q', *sorted(deps)])
PY
# Optional: the demo extra (Gradio) and a headless browser for its test (tests/tools/test_demo.py
# is skipped without them). USEG_DEMO=1 bash tools/setup.sh; .ci/run sets it.
if [ "${USEG_DEMO:-0}" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[demo]' selenium
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null; } \
        || echo "warning: chromium could not be installed; the demo browser test will be skipped" >&2
    else
      echo "USEG_DEMO=1: install chromium and chromium-driver (Debian) for the demo browser test" >&2
    fi
  fi
fi
.venv/bin/python -c "import useg, mmseg.models, mmseg.datasets, mmseg.apis, mmseg.visualization; print('useg environment ready')"
