"""Convolution, Deconvolution, Pooling and UpSampling through `loom as mx` against numbers
from MXNet 1.9.1 (tests/golden/conv_golden.npz, written by tools/gen_conv_golden.py): the
forward output and the gradient of every input for one random head gradient."""
import json

import numpy as np
import pytest

import loom as mx
from common import GOLDEN_DIR

GOLDEN = np.load(GOLDEN_DIR / 'conv_golden.npz')
CASES = range(int(GOLDEN['count']))


def case_id(i):
    meta = json.loads(str(GOLDEN['%d:meta' % i]))
    params = ','.join('%s=%s' % kv for kv in sorted(meta['params'].items()))
    return '%d-%s-%s-%s' % (i, meta['op'], meta['dtype'], params)


def build(op, params, names):
    variables = [mx.sym.Variable(n) for n in names]
    fn = getattr(mx.sym, op)
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
    if op == 'UpSampling' and params['sample_type'] == 'nearest':
        return fn(*variables, name='op', **params)
    return fn(name='op', **dict(zip(names, variables)), **params)


@pytest.mark.parametrize('i', CASES, ids=case_id)
def test_matches_mxnet(i):
    meta = json.loads(str(GOLDEN['%d:meta' % i]))
    names, dtype = meta['inputs'], meta['dtype']
    sym = build(meta['op'], meta['params'], names)
    assert sym.list_arguments() == names
    shapes = {n: tuple(s) for n, s in zip(names, meta['shapes'])}
    ex = sym.simple_bind(mx.cpu(), grad_req='write', type_dict={n: dtype for n in names},
                         **shapes)
    for n in names:
        ex.arg_dict[n][:] = GOLDEN['%d:in:%s' % (i, n)]
    out = ex.forward(is_train=True)[0]
    expected = GOLDEN['%d:out' % i]
    assert out.shape == expected.shape
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == 'float32' else dict(rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out.asnumpy(), expected, **tol)
    ex.backward(mx.nd.array(GOLDEN['%d:head' % i], dtype=dtype))
    for n in names:
        np.testing.assert_allclose(ex.grad_dict[n].asnumpy(), GOLDEN['%d:grad:%s' % (i, n)],
                                   err_msg='gradient of ' + n, **tol)


def test_grad_req_add_accumulates():
    data = mx.sym.Variable('data')
    net = mx.sym.Convolution(data=data, kernel=(3, 3), num_filter=2, pad=(1, 1), stride=(2, 2),
                             name='conv')
    ex = net.simple_bind(mx.cpu(), grad_req='add', data=(1, 2, 4, 4))
    rng = np.random.RandomState(0)
    for n, a in ex.arg_dict.items():
        a[:] = rng.uniform(-1, 1, size=a.shape)
    for g in ex.grad_dict.values():
        g[:] = 0
    head = mx.nd.array(rng.uniform(-1, 1, size=(1, 2, 2, 2)))
    ex.forward(is_train=True)
    ex.backward(head)
    once = {n: g.asnumpy().copy() for n, g in ex.grad_dict.items()}
    ex.forward(is_train=True)
    ex.backward(head)
    for n, g in ex.grad_dict.items():
        np.testing.assert_allclose(g.asnumpy(), 2 * once[n], rtol=1e-5, atol=1e-6)
