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
  --output-dir "$FIG" --output 01-quickstart "$ROOT/notebooks/01-quickstart.ipynb" &
run=$!
# The kernel's peak resident memory (VmHWM), polled from /proc while it runs: users have laptops.
# (The kernel is found once by its command line, read with bash builtins, then only it is polled.)
kernel_pid=""
peak_kb=0
while kill -0 "$run" 2>/dev/null; do
  if [ -z "$kernel_pid" ] || [ ! -r "/proc/$kernel_pid/status" ]; then
    kernel_pid=""
    for d in /proc/[0-9]*; do
      mapfile -d '' args 2>/dev/null < "$d/cmdline" || continue
      case "${args[*]}" in
        *"latentmotion.root=$ROOT "*LatentMotionKernel*) kernel_pid=${d#/proc/}; break ;;
      esac
    done
  fi
  if [ -n "$kernel_pid" ]; then
    while read -r key value _; do
      if [ "$key" = "VmHWM:" ] && [ "$value" -gt "$peak_kb" ]; then peak_kb=$value; fi
    done 2>/dev/null < "/proc/$kernel_pid/status" || true
  fi
  sleep 1
done
wait "$run"
if [ "$peak_kb" -gt 0 ]; then
  echo "[latentmotion quickstart] kernel peak resident memory: $(awk -v k="$peak_kb" 'BEGIN {printf "%.2f GB", k / 1048576}')"
fi
/usr/bin/jupyter nbconvert --to html --output-dir "$FIG" --output 01-quickstart "$FIG/01-quickstart.ipynb"
echo "[latentmotion quickstart] wrote $FIG/01-quickstart.ipynb and $FIG/01-quickstart.html"
