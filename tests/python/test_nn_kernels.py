"""The neural-network layer kernels against MXNet 1.9.1: every case of tools/gen_nn_golden.py
(tests/golden/nn_kernels.{json,npz}) is rebuilt through `loom as mx`, bound with simple_bind,
run forward and backward with the stored inputs and head gradients, and its outputs, argument
gradients, updated auxiliary states and (for BatchNorm's fix_gamma) argument arrays compared.
Also seeded Dropout / rrelu behaviour, which cannot be compared with MXNet's draws."""
import json

import numpy as np
import pytest

import loom as mx
from common import GOLDEN_DIR

CASES = json.loads((GOLDEN_DIR / 'nn_kernels.json').read_text())
DATA = np.load(GOLDEN_DIR / 'nn_kernels.npz')

# Where Loom deliberately differs from MXNet 1.9.1 (see the kernels' comments):
# - SoftmaxOutput with grad_req='add': MXNet overwrites the gradient; Loom accumulates.
ADD_ACCUMULATES = {'so_grad_add'}
# - rrelu at inference: MXNet's mask output reads 0 and its data gradient uses leftover random
#   slopes; Loom's mask holds the fixed slope (lower+upper)/2 and the gradient uses it.
# - selu's gradient: MXNet 1.9.1 computes lambda*(y + alpha) for y <= 0 instead of the
#   derivative y + lambda*alpha; Loom gives the true derivative (checked numerically in Catch2).
# - SoftmaxActivation(instance) on >2-D data: MXNet's forward normalises the last axis but its
#   backward groups over axis 1 (the channel formula); Loom differentiates its forward.
# - BatchNorm_v1 run forward(is_train=False) then backward(is_train=True): MXNet's legacy
#   backward reads mean/var outputs that its inference forward never wrote; Loom uses the
#   moving statistics, as BatchNorm does.
NOT_COMPARED = {'rrelu_eval': {'out1', 'grad:x'}, 'selu': {'grad:x'},
                'bn_v1_eval_fix_gamma': {'grad:x'},
                'softmax_act_instance': {'grad:x'}}


def golden(case, kind):
    prefix = case['name'] + '/' + kind
    return {k[len(prefix):]: DATA[k] for k in DATA.files if k.startswith(prefix)}


def run(case):
    variables = [mx.sym.Variable(n) for n, _, _ in case['inputs']]
    sym = getattr(mx.sym, case['op'])(*variables, name='op', **case['params'])
    shapes = {n: tuple(s) for n, s, _ in case['inputs']}
    req = {n: ('null' if n in case['no_grad'] else case['grad_req']) for n in sym.list_arguments()}
    ex = sym.simple_bind(mx.cpu(), grad_req=req, **shapes)
    for n, v in golden(case, 'arg:').items():
        ex.arg_dict[n][:] = v
    for n, v in golden(case, 'aux:').items():
        ex.aux_dict[n][:] = v
    if case['grad_req'] == 'add':
        for n, a in ex.grad_dict.items():
            if a is not None and n not in case['no_grad']:
                a[:] = 0.25
    outs = ex.forward(is_train=case['train'])
    outs = [o.asnumpy() for o in outs]
    if case['heads']:
        heads = golden(case, 'head')
        ex.backward([mx.nd.array(heads[str(i)]) for i in range(len(heads))])
    else:
        ex.backward()
    return ex, outs


@pytest.mark.parametrize('case', CASES, ids=[c['name'] for c in CASES])
def test_matches_mxnet(case):
    ex, outs = run(case)
    expect_out = golden(case, 'out')
    assert len(outs) == len(expect_out)
    skip = NOT_COMPARED.get(case['name'], set())
    for i, o in enumerate(outs):
        if 'out%d' % i in skip:
            continue
        np.testing.assert_allclose(o, expect_out[str(i)], rtol=1e-4, atol=1e-5,
                                   err_msg='output %d' % i)
    for n, g in golden(case, 'grad:').items():
        if 'grad:' + n in skip:
            continue
        expect = g
        if case['name'] in ADD_ACCUMULATES:
            expect = g + 0.25
        np.testing.assert_allclose(ex.grad_dict[n].asnumpy(), expect, rtol=1e-4, atol=1e-5,
                                   err_msg='gradient of ' + n)
    for n, a in golden(case, 'aux_after:').items():
        np.testing.assert_allclose(ex.aux_dict[n].asnumpy(), a, rtol=1e-5, atol=1e-6,
                                   err_msg='auxiliary state ' + n)
    for n, a in golden(case, 'arg_after:').items():
        np.testing.assert_allclose(ex.arg_dict[n].asnumpy(), a, rtol=1e-6, atol=1e-7,
                                   err_msg='argument after the run: ' + n)


def test_batchnorm_forward_alone_leaves_moving_stats():
    """MXNet's CPU BatchNorm updates the moving averages in backward, not forward."""
    sym = mx.sym.BatchNorm(mx.sym.Variable('x'), name='bn', fix_gamma=False)
    ex = sym.simple_bind(mx.cpu(), x=(4, 3))
    ex.arg_dict['x'][:] = np.arange(12).reshape(4, 3)
    ex.arg_dict['bn_gamma'][:] = 1
    ex.aux_dict['bn_moving_var'][:] = 1  # simple_bind leaves auxiliary states zero
    ex.forward(is_train=True)
    np.testing.assert_array_equal(ex.aux_dict['bn_moving_mean'].asnumpy(), 0)
    np.testing.assert_array_equal(ex.aux_dict['bn_moving_var'].asnumpy(), 1)
    ex.backward(mx.nd.ones((4, 3)))
    np.testing.assert_allclose(ex.aux_dict['bn_moving_mean'].asnumpy(), 0.1 * np.array([4.5, 5.5, 6.5]),
                               rtol=1e-6)
    np.testing.assert_allclose(ex.aux_dict['bn_moving_var'].asnumpy(), 0.9 + 0.1 * 11.25, rtol=1e-5)


def dropout_run(seed, p=0.5, axes=(), mode='training', is_train=True, shape=(50, 40)):
    sym = mx.sym.Dropout(mx.sym.Variable('x'), p=p, axes=axes, mode=mode, name='d')
    ex = sym.simple_bind(mx.cpu(), x=shape)
    ex.arg_dict['x'][:] = 1
    mx.random.seed(seed)
    out = ex.forward(is_train=is_train)[0].asnumpy()
    ex.backward(mx.nd.ones(shape) * 2)
    return out, ex.grad_dict['x'].asnumpy()


def test_dropout_is_seeded_and_inverted():
    a, ga = dropout_run(7)
    b, gb = dropout_run(7)
    np.testing.assert_array_equal(a, b)
    assert set(np.unique(a)) <= {0.0, 2.0}
    assert 0.4 < (a == 0).mean() < 0.6
    np.testing.assert_array_equal(ga, 2 * a)  # d x = head * mask
    c, _ = dropout_run(8)
    assert (a != c).any()


def test_dropout_identity_at_inference_unless_always():
    out, grad = dropout_run(1, is_train=False)
    np.testing.assert_array_equal(out, 1)
    np.testing.assert_array_equal(grad, 2)
    out, _ = dropout_run(1, is_train=False, mode='always')
    assert (out == 0).any()


def test_dropout_axes_share_one_draw():
    out, _ = dropout_run(3, axes=(1,), shape=(40, 6))
    assert (out == out[:, :1]).all()
    assert 0 < (out[:, 0] == 0).sum() < 40


def test_rrelu_training_slopes_within_bounds():
    sym = mx.sym.LeakyReLU(mx.sym.Variable('x'), act_type='rrelu', name='r')
    ex = sym.simple_bind(mx.cpu(), x=(20, 10))
    ex.arg_dict['x'][:] = -1
    mx.random.seed(5)
    out = ex.forward(is_train=True)[0].asnumpy()
    assert (out <= -0.125 + 1e-6).all() and (out >= -0.334 - 1e-6).all()
    assert np.unique(out).size > 10
    ex.backward([mx.nd.ones((20, 10)), mx.nd.zeros((20, 10))])
    np.testing.assert_allclose(ex.grad_dict['x'].asnumpy(), -out, rtol=1e-6)
