#!/usr/bin/env bash
# Sets up, builds and runs every test suite: Catch2 (core, ops, C ABI), the C99 program, the
# CUDA suite (skipped without a GPU), the Scala/JUnit suite, and pytest against the in-tree
# build. Exits non-zero if any suite fails.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh || exit 1

status=0
echo "=== meson test (catch2, c, cuda, scala)"
meson test -C build --print-errorlogs --num-processes 2 || status=1

echo "=== pytest"
PYTHONPATH="$PWD/bindings/python:$PWD/build/bindings/python" \
  python3 -m pytest -q tests/python || status=1
exit $status
