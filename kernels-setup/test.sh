#!/usr/bin/env bash
# Runs all tests: unit tests, the kernel over a real Jupyter client, and every notebook in
# notebooks/ executed headless with the real kernel. This is what .ci/run calls, and it runs what
# CI runs: notebooks scale their training down (CI=true). LM_FULL_SCALE=1 runs the notebooks at
# the size a reader runs them instead (about an hour on 2 cores). -Pspark adds the Spark jobs
# (spark/, tested on local[2]); Spark stays off the kernel's class path (spark/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${LM_FULL_SCALE:-0}" = 1 ]; then export CI=false; else export CI=true; fi
exec mvn -B -Pspark ${LM_MVN_FLAGS:-} -Dlm.build="${LM_BUILD:-target}" test
