#!/usr/bin/env bash
# Sets up, builds and runs Loom's main job. Until the Module API lands this is the Symbol
# tutorial (seed 002) transcribed for `import loom as mx`; it will become Fashion-MNIST training.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
PYTHONPATH="$PWD/bindings/python:$PWD/build/bindings/python" \
  python3 bindings/python/examples/symbol_tutorial.py
