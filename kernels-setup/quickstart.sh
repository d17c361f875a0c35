#!/usr/bin/env bash
# One command from a fresh clone: set everything up, then run the quickstart notebook headless.
# Writes figures/01-quickstart.ipynb (executed, with outputs), figures/01-quickstart.html and the
# figures the notebook saves (figures/quickstart-frames.png, the README picture, and two MP4s).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/kernels-setup/install.sh"
FIG="${LATENTMOTION_FIGURES:-$ROOT/figures}"
mkdir -p "$FIG"
echo "[latentmotion quickstart] executing notebooks/01-quickstart.ipynb"
/usr/bin/jupyter nbconvert --to notebook --execute \
  --ExecutePreprocessor.kernel_name=latentmotion --ExecutePreprocessor.timeout=1200 \
  --output-dir "$FIG" --output 01-quickstart "$ROOT/notebooks/01-quickstart.ipynb"
/usr/bin/jupyter nbconvert --to html --output-dir "$FIG" --output 01-quickstart "$FIG/01-quickstart.ipynb"
echo "[latentmotion quickstart] wrote $FIG/01-quickstart.ipynb and $FIG/01-quickstart.html"
