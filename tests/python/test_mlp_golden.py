"""The cross-language check: the two-layer MLP of tools/gen_mlp_golden.py, built through
`loom as mx`, must reproduce tests/golden/mlp.txt (outputs and every argument gradient) to 1e-5,
and agree with a float64 numpy recomputation done here."""
import numpy as np
import pytest

import loom as mx
from common import read_golden

SHAPES = {'data': (4, 6), 'fc1_weight': (5, 6), 'fc1_bias': (5,), 'fc2_weight': (3, 5),
          'fc2_bias': (3,)}
SEEDS = {'data': 1, 'fc1_weight': 2, 'fc1_bias': 3, 'fc2_weight': 4, 'fc2_bias': 5}
LABEL = np.array([0, 1, 2, 1])


def fill(name):
    k = np.arange(int(np.prod(SHAPES[name])))
    return (((7 * k + SEEDS[name]) % 11 - 5) / 10.0).reshape(SHAPES[name])


def build():
    data = mx.sym.Variable('data')
    net = mx.sym.FullyConnected(data=data, num_hidden=5, name='fc1')
    net = mx.sym.Activation(data=net, act_type='relu', name='relu1')
    net = mx.sym.FullyConnected(data=net, num_hidden=3, name='fc2')
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


def numpy_reference():
    a = {name: fill(name) for name in SHAPES}
    h1 = a['data'] @ a['fc1_weight'].T + a['fc1_bias']
    r1 = np.maximum(h1, 0)
    h2 = r1 @ a['fc2_weight'].T + a['fc2_bias']
    p = np.exp(h2 - h2.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dh2 = p.copy()
    dh2[np.arange(4), LABEL] -= 1
    dr1 = dh2 @ a['fc2_weight']
    dh1 = dr1 * (h1 > 0)
    return p, {'data': dh1 @ a['fc1_weight'], 'fc1_weight': dh1.T @ a['data'],
               'fc1_bias': dh1.sum(0), 'fc2_weight': dh2.T @ r1, 'fc2_bias': dh2.sum(0)}


@pytest.fixture(scope='module')
def results():
    net = build()
    assert net.list_arguments() == ['data', 'fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias',
                                    'softmax_label']
    args = {name: mx.nd.array(fill(name)) for name in SHAPES}
    args['softmax_label'] = mx.nd.array(LABEL)
    grads = {name: mx.nd.zeros(SHAPES[name]) for name in SHAPES}
    ex = net.bind(mx.cpu(), args=args, args_grad=grads)
    out = ex.forward(is_train=True)[0].asnumpy()
    ex.backward()
    return out, {name: grads[name].asnumpy() for name in SHAPES}


def test_matches_golden_file(results):
    out, grads = results
    golden = read_golden('mlp.txt')
    np.testing.assert_allclose(out, golden['output'], rtol=1e-5, atol=1e-5)
    for name in SHAPES:
        np.testing.assert_allclose(grads[name], golden['grad:' + name], rtol=1e-5, atol=1e-5,
                                   err_msg=name)


def test_matches_float64_numpy(results):
    out, grads = results
    expect_out, expect_grads = numpy_reference()
    np.testing.assert_allclose(out, expect_out, rtol=1e-5, atol=1e-5)
    for name in SHAPES:
        np.testing.assert_allclose(grads[name], expect_grads[name], rtol=1e-5, atol=1e-5,
                                   err_msg=name)


def test_simple_bind_gives_the_same_results(results):
    ex = build().simple_bind(mx.cpu(), data=(4, 6))
    for name in SHAPES:
        ex.arg_dict[name][:] = fill(name)
    out = ex.forward(is_train=True, softmax_label=LABEL.astype(np.float32))[0].asnumpy()
    ex.backward()
    np.testing.assert_allclose(out, results[0], rtol=1e-6, atol=1e-7)
    for name in SHAPES:
        np.testing.assert_allclose(ex.grad_dict[name].asnumpy(), results[1][name], rtol=1e-6,
                                   atol=1e-7)
    assert ex.grad_dict['softmax_label'] is not None
