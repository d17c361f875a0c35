#!/usr/bin/env bash
# Kernel benchmark: start -> first result and trivial round trip, latentmotion vs Debian's ipykernel.
# Needs the installed kernelspec (bash kernels-setup/install.sh) and python3-ipykernel.
# Usage: bash bench/kernel/run.sh [--starts N] [--trips N] [--json file] [--kernels k1 k2]
set -euo pipefail
exec /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/bench_kernel.py" "$@"
