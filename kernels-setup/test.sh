#!/usr/bin/env bash
# Runs all tests: unit tests, the kernel over a real Jupyter client, and every notebook in
# notebooks/ executed headless with the real kernel. This is what .ci/run calls.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec mvn -B ${LM_MVN_FLAGS:-} -Dlm.build="${LM_BUILD:-target}" test
