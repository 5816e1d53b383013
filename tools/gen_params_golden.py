"""Writes .params fixtures with the reference MXNet 1.9.1 (tests/golden/params/).

Run with the reference interpreter: /opt/mxnet-venv/bin/python tools/gen_params_golden.py
Each fixture is written by mx.nd.save; values.json records every array's name, dtype, shape
and values so the tests need no MXNet: Loom must load each file to those values and save the
loaded list/dict back to the same bytes.
"""
import json
import os

import mxnet as mx
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'golden', 'params')


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(7)
    fixtures = {
        'example_92.params': {'arg:fc1_bias': mx.nd.array([1, 2])},
        'dict_f32.params': {
            'arg:fc1_weight': mx.nd.array(rng.randn(3, 4)),
            'arg:fc1_bias': mx.nd.array(rng.randn(3)),
            'aux:bn_moving_mean': mx.nd.array(rng.randn(2, 1, 3)),
        },
        'list_dtypes.params': [
            mx.nd.array(rng.randn(2, 3), dtype='float16'),
            mx.nd.array(rng.randn(4), dtype='float64'),
            mx.nd.array(rng.randint(-1000, 1000, size=(2, 2)), dtype='int32'),
            mx.nd.array(rng.randint(-128, 128, size=(5,)), dtype='int8'),
            mx.nd.array(rng.randint(0, 256, size=(3, 1)), dtype='uint8'),
            mx.nd.array(rng.randint(-2**40, 2**40, size=(2,)), dtype='int64'),
        ],
        'single.params': mx.nd.arange(6).reshape((2, 3)),
    }
    values = {}
    for fname, data in fixtures.items():
        mx.nd.save(os.path.join(OUT, fname), data)
        loaded = mx.nd.load(os.path.join(OUT, fname))
        items = loaded.items() if isinstance(loaded, dict) else enumerate(loaded)
        values[fname] = {
            'form': 'dict' if isinstance(loaded, dict) else 'list',
            'arrays': [{'name': k if isinstance(k, str) else None,
                        'dtype': np.dtype(v.dtype).name, 'shape': list(v.shape),
                        'values': v.asnumpy().astype(np.float64).ravel().tolist()
                        if v.dtype != np.int64 else v.asnumpy().ravel().tolist()}
                       for k, v in items],
        }
    with open(os.path.join(OUT, 'values.json'), 'w') as f:
        json.dump(values, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
