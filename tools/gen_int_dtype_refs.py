"""Generates tests/golden/int_dtype_refs.json: results of NDArray arithmetic, comparison, scalar,
broadcast, unary, reduction and layout operators on int8/uint8/int32/int64 arrays, computed by
Apache MXNet 1.9.1 (CPU). tests/python/test_ndarray_dtypes.py evaluates the same expressions
with Loom and compares dtypes and values exactly.

Run with the reference MXNet: /opt/mxnet-venv/bin/python tools/gen_int_dtype_refs.py
"""
import json
import os

import mxnet as mx
import numpy as np

DTYPES = ['int8', 'uint8', 'int32', 'int64']

# Operands per dtype (no zeros: MXNet's integer division by zero crashes the process).
OPERANDS = {
    'int8': ([[-7, -3, 1], [3, 7, 100]], [[2, 2, 5], [-2, 3, 30]], [[3, -2, 4]]),
    'uint8': ([[249, 253, 1], [3, 7, 100]], [[2, 2, 5], [254, 3, 30]], [[3, 254, 4]]),
    'int32': ([[-7, -3, 1], [3, 7, 100]], [[2, 2, 5], [-2, 3, 30]], [[3, -2, 4]]),
    'int64': ([[-7, -3, 1], [3, 7, 100]], [[2, 2, 5], [-2, 3, 30]], [[3, -2, 4]]),
}

# Expressions over a, b (2x3), c (1x3) of dtype DT; `mx` is the library under test.
EXPRS = [
    # same-shape binary
    'a + b', 'a - b', 'a * b', 'a / b', 'a % b', 'a ** b',
    'mx.nd.maximum(a, b)', 'mx.nd.minimum(a, b)',
    'a == b', 'a != b', 'a > b', 'a >= b', 'a < b', 'a <= b',
    'mx.nd.add_n(a, b, a)',
    # scalar (the scalar is converted to the array's dtype first)
    'a + 2', 'a + 0.7', 'a - 2.5', '2.5 - a', 'a * 2.5', 'a * -1', 'a + 300', 'a + 1e10',
    'a / 2', '7 / a', 'a % 3', 'a % -3', '7.5 % a', 'a ** 2', 'a ** 0.5', '2 ** a',
    'a > 2.5', 'a == 3.5', 'a <= -1', '2 < a', 'a != 7',
    'mx.nd.maximum(a, 2.5)', 'mx.nd.minimum(a, 2.5)',
    # broadcast
    'mx.nd.broadcast_add(a, c)', 'mx.nd.broadcast_sub(a, c)', 'mx.nd.broadcast_mul(a, c)',
    'mx.nd.broadcast_div(a, c)', 'mx.nd.broadcast_mod(a, c)', 'mx.nd.broadcast_power(a, c)',
    'mx.nd.broadcast_maximum(a, c)', 'mx.nd.broadcast_minimum(a, c)',
    'mx.nd.broadcast_equal(a, c)', 'mx.nd.broadcast_greater(a, c)',
    'mx.nd.broadcast_lesser_equal(a, c)', 'mx.nd.broadcast_logical_and(a, c)',
    'mx.nd.broadcast_logical_or(a, c)', 'mx.nd.broadcast_logical_xor(a, c)',
    'a + c', 'c * a',
    # unary
    '-a', 'abs(a)', 'mx.nd.negative(a)', 'mx.nd.sign(a)', 'mx.nd.square(a)', 'mx.nd.sqrt(a)',
    'mx.nd.exp(a)', 'mx.nd.relu(a)', 'mx.nd.round(a)', 'mx.nd.floor(a)', 'mx.nd.logical_not(a)',
    'mx.nd.ones_like(a)', 'mx.nd.zeros_like(a)', 'mx.nd.clip(a, -2.5, 4.5)',
    # reductions
    'mx.nd.sum(a)', 'mx.nd.sum(a, axis=1)', 'mx.nd.mean(a, axis=0)', 'mx.nd.prod(a, axis=1)',
    'mx.nd.max(a, axis=1)', 'mx.nd.min(a)', 'mx.nd.max(a, axis=0, keepdims=True)',
    'mx.nd.square(a * 100)', 'mx.nd.abs(a * 20)',
    'mx.nd.mean(mx.nd.ones((300,), dtype=DT))',
    'mx.nd.argmax(a, axis=1)', 'mx.nd.argmin(a, axis=0)', 'mx.nd.nansum(a)',
    'mx.nd.mean(mx.nd.array([100, 100, 100], dtype=DT))',
    'mx.nd.sum(mx.nd.array([100, 100, 100], dtype=DT))',
    # layout and copies
    'a.T', 'mx.nd.transpose(a)', 'a.reshape((3, 2))', 'mx.nd.Flatten(a)',
    'mx.nd.expand_dims(a, axis=0)', 'mx.nd.squeeze(mx.nd.expand_dims(a, axis=0))',
    'mx.nd.slice(a, begin=(0, 1), end=(2, 3))', 'mx.nd.slice_axis(a, axis=1, begin=1, end=3)',
    'mx.nd.concat(a, b, dim=1)', 'mx.nd.tile(c, reps=(2, 1))', 'mx.nd.repeat(c, repeats=2)',
    'mx.nd.reverse(a, axis=1)', 'mx.nd.broadcast_to(c, shape=(2, 3))',
    'mx.nd.split(a, num_outputs=3, axis=1)[1]', 'mx.nd.SwapAxis(a, dim1=0, dim2=1)',
    'a.astype("float64")', 'a.copy()', 'a[1]', 'a[:, 1:]',
]

# int64 values beyond float64's 53-bit mantissa: scalar and integer ops stay exact, math
# functions go through double (sqrt) or float32 (square, **), as in MXNet.
BIG = [10 ** 17 + 1, 3037000499, 2 ** 53 + 1]
BIG_EXPRS = [
    'B + 1', 'B + 0.5', 'B * 1', 'B / 1', 'B % 10', 'B - B', '-B', 'mx.nd.relu(B)',
    'mx.nd.sqrt(B)', 'mx.nd.square(B)', 'B ** 1', 'mx.nd.abs(B)', 'mx.nd.max(B)',
    'mx.nd.sum(B)', 'mx.nd.mean(B)', 'B == 9007199254740993', 'mx.nd.maximum(B, 5)',
]


def evaluate(lib, dtype, expr):
    x, y, z = OPERANDS[dtype]
    env = {'mx': lib, 'DT': dtype,
           'a': lib.nd.array(x, dtype=dtype), 'b': lib.nd.array(y, dtype=dtype),
           'c': lib.nd.array(z, dtype=dtype),
           'B': lib.nd.array(np.array(BIG, dtype=np.int64), dtype='int64')}
    return eval(expr, env)


def main():
    refs = {'operands': OPERANDS, 'cases': []}
    for dtype in DTYPES:
        for expr in EXPRS + (BIG_EXPRS if dtype == 'int64' else []):
            r = evaluate(mx, dtype, expr)
            v = r.asnumpy()
            refs['cases'].append({'dtype': dtype, 'expr': expr, 'out_dtype': v.dtype.name,
                                  'shape': list(v.shape), 'value': v.reshape(-1).tolist()})
    path = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden',
                        'int_dtype_refs.json')
    with open(path, 'w') as f:  # one case per line
        f.write('{"operands": %s,\n"big_int64": %s,\n"cases": [\n'
                % (json.dumps(OPERANDS), json.dumps(BIG)))
        f.write(',\n'.join(json.dumps(c) for c in refs['cases']))
        f.write('\n]}\n')
    print('wrote %d cases to %s' % (len(refs['cases']), os.path.normpath(path)))


if __name__ == '__main__':
    main()
