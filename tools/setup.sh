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
.venv/bin/python -c "import useg, mmseg.models, mmseg.datasets, mmseg.apis, mmseg.visualization; print('useg environment ready')"
