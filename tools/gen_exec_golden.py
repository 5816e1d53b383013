#!/usr/bin/env python3
"""Writes tests/golden/exec/<net>.params with MXNet 1.9.1: one training step of each network of
tools/exec_golden.py (recipe and file contents are described there).

Run with the reference MXNet: /opt/mxnet-venv/bin/python tools/gen_exec_golden.py
"""
import os
import pathlib
import sys

os.environ.setdefault('MXNET_ENGINE_TYPE', 'NaiveEngine')  # deterministic order
os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')  # the operators as written, no fusion
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import mxnet as mx  # noqa: E402

import exec_golden  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[1] / 'tests' / 'golden' / 'exec'


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for net in exec_golden.NETWORKS:
        for dtype in exec_golden.DTYPES:
            result = exec_golden.run_step(mx, net, dtype)
            name = exec_golden.fixture_name(net, dtype)
            mx.nd.save(str(OUT / ('%s.params' % name)),
                       {k: mx.nd.array(v, dtype=v.dtype) for k, v in result.items()})
            print(name, len(result), 'arrays')


if __name__ == '__main__':
    main()
