"""bind / simple_bind / forward / backward against numpy, including gradients."""
import numpy as np
import pytest

import loom as mx
from common import check_gradients

RNG = np.random.RandomState(42)


def uniform(*shape, low=-1.0, high=1.0):
    return RNG.uniform(low, high, shape)


def fc_symbol(num_hidden=3, **kwargs):
    data = mx.sym.Variable('data')
    return mx.sym.FullyConnected(data=data, num_hidden=num_hidden, name='fc', **kwargs)


# ---------------------------------------------------------------- forward values
def test_fully_connected_forward_matches_numpy():
    x, w, b = uniform(4, 6), uniform(3, 6), uniform(3)
    ex = fc_symbol().bind(mx.cpu(), args={'data': mx.nd.array(x), 'fc_weight': mx.nd.array(w),
                                          'fc_bias': mx.nd.array(b)})
    outs = ex.forward()
    assert len(outs) == 1
    np.testing.assert_allclose(outs[0].asnumpy(), x @ w.T + b, rtol=1e-5, atol=1e-6)
    assert ex.output_dict['fc_output'].shape == (4, 3)


def test_fully_connected_flattens_and_no_bias():
    x, w = uniform(2, 3, 4), uniform(5, 12)
    sym = fc_symbol(num_hidden=5, no_bias=True)
    assert sym.list_arguments() == ['data', 'fc_weight']
    ex = sym.bind(mx.cpu(), args=[mx.nd.array(x), mx.nd.array(w)])
    np.testing.assert_allclose(ex.forward()[0].asnumpy(), x.reshape(2, 12) @ w.T, rtol=1e-5,
                               atol=1e-6)


def test_fully_connected_flatten_false():
    x, w, b = uniform(2, 3, 4), uniform(5, 4), uniform(5)
    sym = fc_symbol(num_hidden=5, flatten=False)
    _, out_shapes, _ = sym.infer_shape(data=(2, 3, 4))
    assert out_shapes == [(2, 3, 5)]
    ex = sym.bind(mx.cpu(), args=[mx.nd.array(x), mx.nd.array(w), mx.nd.array(b)])
    np.testing.assert_allclose(ex.forward()[0].asnumpy(), x @ w.T + b, rtol=1e-5, atol=1e-6)


ACTIVATIONS = {
    'relu': lambda x: np.maximum(x, 0),
    'sigmoid': lambda x: 1 / (1 + np.exp(-x)),
    'tanh': np.tanh,
    'softrelu': lambda x: np.log1p(np.exp(x)),
    'softsign': lambda x: x / (1 + np.abs(x)),
}


@pytest.mark.parametrize('act_type', sorted(ACTIVATIONS))
def test_activation_forward(act_type):
    x = uniform(3, 5, low=-3, high=3)
    sym = mx.sym.Activation(data=mx.sym.Variable('x'), act_type=act_type)
    out = sym.eval(x=mx.nd.array(x))[0].asnumpy()
    np.testing.assert_allclose(out, ACTIVATIONS[act_type](x), rtol=1e-5, atol=1e-6)


BINARY = [
    (lambda a, b: a + b, np.add),
    (lambda a, b: a - b, np.subtract),
    (lambda a, b: a * b, np.multiply),
    (lambda a, b: a / b, np.divide),
]


@pytest.mark.parametrize('sym_fn, np_fn', BINARY)
def test_elementwise_forward(sym_fn, np_fn):
    a, b = uniform(2, 3), uniform(2, 3, low=0.5, high=2)
    sym = sym_fn(mx.sym.Variable('a'), mx.sym.Variable('b'))
    ex = sym.bind(mx.cpu(), args={'a': mx.nd.array(a), 'b': mx.nd.array(b)})
    np.testing.assert_allclose(ex.forward()[0].asnumpy(), np_fn(a, b), rtol=1e-5, atol=1e-6)


SCALAR = [
    (lambda a: a + 1, lambda a: a + 1),
    (lambda a: a - 1.5, lambda a: a - 1.5),
    (lambda a: 1 - a, lambda a: 1 - a),
    (lambda a: a * 2, lambda a: a * 2),
    (lambda a: a / 2, lambda a: a / 2),
    (lambda a: 2 / a, lambda a: 2 / a),
    (lambda a: -a, lambda a: -a),
]


@pytest.mark.parametrize('sym_fn, np_fn', SCALAR)
def test_scalar_forward(sym_fn, np_fn):
    a = uniform(3, 4, low=0.5, high=2)
    sym = sym_fn(mx.sym.Variable('a'))
    out = sym.eval(ctx=mx.cpu(), a=mx.nd.array(a))[0].asnumpy()
    np.testing.assert_allclose(out, np_fn(a), rtol=1e-5, atol=1e-6)


def test_variable_sharing_and_extra_dict_keys():
    a = mx.sym.Variable('a')
    b = a + a * a
    data = mx.nd.ones((2, 3)) * 2
    ex = b.bind(ctx=mx.cpu(), args={'a': data, 'b': data})  # 'b' is not an argument: ignored
    np.testing.assert_array_equal(ex.forward()[0].asnumpy(), np.full((2, 3), 6))


def test_numpy_arrays_are_accepted_in_bind_and_forward():
    x, w, b = uniform(4, 6), uniform(3, 6), uniform(3)
    ex = fc_symbol().bind(mx.cpu(), args=[x, w, b])
    np.testing.assert_allclose(ex.forward()[0].asnumpy(), x @ w.T + b, rtol=1e-5, atol=1e-6)
    x2 = uniform(4, 6)
    out = ex.forward(data=x2)[0].asnumpy()
    np.testing.assert_allclose(out, x2 @ w.T + b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ex.arg_dict['data'].asnumpy(), x2, rtol=1e-6)


def test_forward_kwargs_errors():
    ex = fc_symbol().simple_bind(mx.cpu(), data=(4, 6))
    with pytest.raises(TypeError, match='datum'):
        ex.forward(datum=np.zeros((4, 6)))
    with pytest.raises(ValueError, match='Shape not match'):
        ex.forward(data=np.zeros((5, 6)))
    with pytest.raises(ValueError):
        ex.forward(data=[1, 2])


def test_outputs_refresh_after_forward():
    a = mx.sym.Variable('a')
    ex = (a * 3).bind(mx.cpu(), args={'a': mx.nd.ones(2)})
    ex.forward()
    np.testing.assert_array_equal(ex.outputs[0].asnumpy(), [3, 3])
    ex.arg_dict['a'][:] = 2
    ex.forward()
    np.testing.assert_array_equal(ex.outputs[0].asnumpy(), [6, 6])


def test_bind_argument_errors():
    sym = fc_symbol()
    with pytest.raises(ValueError, match='fc_bias'):
        sym.bind(mx.cpu(), args={'data': mx.nd.zeros((4, 6)), 'fc_weight': mx.nd.zeros((3, 6))})
    with pytest.raises(ValueError, match='Length of args'):
        sym.bind(mx.cpu(), args=[mx.nd.zeros((4, 6))])
    with pytest.raises(TypeError):
        sym.bind(mx.cpu(), args='data')
    with pytest.raises(ValueError, match='grad_req'):
        sym.bind(mx.cpu(), args=[mx.nd.zeros((4, 6)), mx.nd.zeros((3, 6)), mx.nd.zeros(3)],
                 args_grad=[mx.nd.zeros((4, 6)), mx.nd.zeros((3, 6)), mx.nd.zeros(3)],
                 grad_req='sometimes')


def test_bind_shape_error_names_operator_and_process_survives():
    data = mx.sym.Variable('data')
    out = mx.sym.FullyConnected(data=data, num_hidden=1000, name='fc1')
    bad = {'data': mx.nd.zeros((100, 100)), 'fc1_weight': mx.nd.zeros((1, 100)),
           'fc1_bias': mx.nd.zeros(1000)}
    message = ('Error in operator fc1: Shape inconsistent, Provided=(1,100), '
               'inferred shape=(1000,100)')
    with pytest.raises(mx.base.MXNetError) as err:
        out.bind(mx.cpu(), args=bad)
    assert message in str(err.value)
    with pytest.raises(mx.base.MXNetError) as err:
        out.simple_bind(mx.cpu(), data=(100, 100), fc1_weight=(1, 100))
    assert message in str(err.value)
    with pytest.raises(mx.base.MXNetError) as err:
        out.infer_shape(data=(100, 100), fc1_weight=(1, 100))
    assert message in str(err.value)
    # a correct bind afterwards works
    good = {'data': mx.nd.ones((100, 100)), 'fc1_weight': mx.nd.ones((1000, 100)),
            'fc1_bias': mx.nd.zeros(1000)}
    ex = out.bind(mx.cpu(), args=good)
    np.testing.assert_allclose(ex.forward()[0].asnumpy(), np.full((100, 1000), 100.0))


def test_simple_bind_allocates_zeroed_arrays():
    net = mx.sym.Activation(fc_symbol(num_hidden=5), act_type='relu', name='act')
    ex = net.simple_bind(mx.cpu(), data=(4, 6))
    assert [a.shape for a in ex.arg_arrays] == [(4, 6), (5, 6), (5,)]
    assert [g.shape for g in ex.grad_arrays] == [(4, 6), (5, 6), (5,)]
    for array in ex.arg_arrays + ex.grad_arrays:
        assert array.dtype == np.float32
        np.testing.assert_array_equal(array.asnumpy(), 0)
    assert list(ex.arg_dict) == ['data', 'fc_weight', 'fc_bias']
    assert ex.aux_arrays == [] and ex.aux_dict == {}
    ex_null = net.simple_bind(mx.cpu(), grad_req='null', data=(4, 6))
    assert ex_null.grad_arrays == [None, None, None]
    ex_dict = net.simple_bind(mx.cpu(), grad_req={'fc_weight': 'write'}, data=(4, 6))
    assert [g is None for g in ex_dict.grad_arrays] == [True, False, True]
    ex_list = net.simple_bind(mx.cpu(), grad_req=['null', 'write', 'write'], data=(4, 6))
    assert [g is None for g in ex_list.grad_arrays] == [True, False, False]


def test_simple_bind_type_dict():
    ex = fc_symbol().simple_bind(mx.cpu(), type_dict={'data': 'float64'}, data=(2, 6))
    assert [a.dtype for a in ex.arg_arrays] == [np.float64] * 3


def test_simple_bind_forward_backward():
    net = fc_symbol(num_hidden=3)
    ex = net.simple_bind(mx.cpu(), data=(4, 6))
    x, w, b = uniform(4, 6), uniform(3, 6), uniform(3)
    ex.copy_params_from({'fc_weight': mx.nd.array(w), 'fc_bias': b})
    with pytest.raises(ValueError, match='nope'):
        ex.copy_params_from({'nope': b})
    ex.copy_params_from({'nope': b}, allow_extra_params=True)
    out = ex.forward(is_train=True, data=x)[0].asnumpy()
    np.testing.assert_allclose(out, x @ w.T + b, rtol=1e-5, atol=1e-6)
    head = uniform(4, 3)
    ex.backward(mx.nd.array(head))
    np.testing.assert_allclose(ex.grad_dict['fc_weight'].asnumpy(), head.T @ x, rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_allclose(ex.grad_dict['fc_bias'].asnumpy(), head.sum(0), rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_allclose(ex.grad_dict['data'].asnumpy(), head @ w, rtol=1e-5, atol=1e-5)


def test_debug_str():
    ex = fc_symbol().simple_bind(mx.cpu(), data=(4, 6))
    text = ex.debug_str()
    assert isinstance(text, str) and 'fc' in text


# ---------------------------------------------------------------- gradients
def test_fully_connected_gradients_hand_derived():
    x, w, b = uniform(5, 4), uniform(3, 4), uniform(3)
    head = uniform(5, 3)
    args = [mx.nd.array(x), mx.nd.array(w), mx.nd.array(b)]
    grads = [mx.nd.zeros(x.shape), mx.nd.zeros(w.shape), mx.nd.zeros(b.shape)]
    ex = fc_symbol().bind(mx.cpu(), args=args, args_grad=grads)
    ex.forward(is_train=True)
    ex.backward([mx.nd.array(head)])
    np.testing.assert_allclose(grads[0].asnumpy(), head @ w, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(grads[1].asnumpy(), head.T @ x, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(grads[2].asnumpy(), head.sum(axis=0), rtol=1e-5, atol=1e-5)


def test_fully_connected_activation_numeric_gradient():
    net = mx.sym.Activation(fc_symbol(num_hidden=3), act_type='tanh')
    check_gradients(net, {'data': uniform(4, 5), 'fc_weight': uniform(3, 5),
                          'fc_bias': uniform(3)})


@pytest.mark.parametrize('act_type', ['sigmoid', 'tanh', 'softrelu', 'softsign'])
def test_activation_numeric_gradient(act_type):
    net = mx.sym.Activation(mx.sym.Variable('x'), act_type=act_type)
    check_gradients(net, {'x': uniform(3, 4, low=-2, high=2)})


def test_relu_gradient_hand_derived():
    x = uniform(4, 5)
    x[np.abs(x) < 0.05] = 0.5  # stay away from the kink
    head = uniform(4, 5)
    net = mx.sym.Activation(mx.sym.Variable('x'), act_type='relu')
    grad = mx.nd.zeros(x.shape)
    ex = net.bind(mx.cpu(), args=[mx.nd.array(x)], args_grad=[grad])
    ex.forward(is_train=True)
    ex.backward(mx.nd.array(head))
    np.testing.assert_allclose(grad.asnumpy(), head * (x > 0), rtol=1e-6, atol=1e-7)


def test_elementwise_and_scalar_numeric_gradient():
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    net = (a * b + a / (b + 3) - 2 / a) * 0.5 - (1 - b) / 2
    check_gradients(net, {'a': uniform(3, 4, low=1, high=2), 'b': uniform(3, 4)})


def test_elementwise_gradients_hand_derived():
    av, bv, head = uniform(2, 3, low=0.5, high=2), uniform(2, 3, low=0.5, high=2), uniform(2, 3)
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    net = mx.sym.Group([a + b, a - b, a * b, a / b])
    ga, gb = mx.nd.zeros((2, 3)), mx.nd.zeros((2, 3))
    ex = net.bind(mx.cpu(), args={'a': mx.nd.array(av), 'b': mx.nd.array(bv)},
                  args_grad={'a': ga, 'b': gb})
    ex.forward(is_train=True)
    ex.backward([mx.nd.array(head)] * 4)
    expect_a = head * (1 + 1 + bv + 1 / bv)
    expect_b = head * (1 - 1 + av - av / bv ** 2)
    np.testing.assert_allclose(ga.asnumpy(), expect_a, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(gb.asnumpy(), expect_b, rtol=1e-5, atol=1e-5)


def test_backward_out_grads_as_dict():
    a = mx.sym.Variable('a')
    net = a * 3
    ga = mx.nd.zeros(2)
    ex = net.bind(mx.cpu(), args=[mx.nd.ones(2)], args_grad=[ga])
    ex.forward(is_train=True)
    ex.backward({net.list_outputs()[0]: mx.nd.array([1, 2])})
    np.testing.assert_array_equal(ga.asnumpy(), [3, 6])
    ex.backward(np.array([1.0, 1.0]))
    np.testing.assert_array_equal(ga.asnumpy(), [3, 3])


def test_grad_req_add_accumulates():
    x, w, b = uniform(4, 6), uniform(3, 6), uniform(3)
    head = uniform(4, 3)
    grads = {'data': mx.nd.zeros((4, 6)), 'fc_weight': mx.nd.ones((3, 6)),
             'fc_bias': mx.nd.zeros(3)}
    ex = fc_symbol().bind(mx.cpu(), args=[mx.nd.array(x), mx.nd.array(w), mx.nd.array(b)],
                          args_grad=grads, grad_req='add')
    for _ in range(2):
        ex.forward(is_train=True)
        ex.backward([mx.nd.array(head)])
    np.testing.assert_allclose(grads['fc_weight'].asnumpy(), 1 + 2 * head.T @ x, rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_allclose(grads['fc_bias'].asnumpy(), 2 * head.sum(0), rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_allclose(grads['data'].asnumpy(), 2 * head @ w, rtol=1e-5, atol=1e-5)


def test_grad_req_write_overwrites():
    a = mx.sym.Variable('a')
    ga = mx.nd.ones(3) * 100
    ex = (a * 2).bind(mx.cpu(), args=[mx.nd.ones(3)], args_grad=[ga], grad_req='write')
    for _ in range(2):
        ex.forward(is_train=True)
        ex.backward([mx.nd.ones(3)])
    np.testing.assert_array_equal(ga.asnumpy(), [2, 2, 2])


def test_grad_req_null_and_mixed():
    x, w, b = uniform(4, 6), uniform(3, 6), uniform(3)
    head = uniform(4, 3)
    grads = {'data': mx.nd.full((4, 6), 7), 'fc_weight': mx.nd.zeros((3, 6)),
             'fc_bias': mx.nd.full(3, 7)}
    ex = fc_symbol().bind(mx.cpu(), args=[mx.nd.array(x), mx.nd.array(w), mx.nd.array(b)],
                          args_grad=grads, grad_req={'fc_weight': 'write'})
    ex.forward(is_train=True)
    ex.backward([mx.nd.array(head)])
    np.testing.assert_allclose(grads['fc_weight'].asnumpy(), head.T @ x, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(grads['data'].asnumpy(), 7)
    np.testing.assert_array_equal(grads['fc_bias'].asnumpy(), 7)
    ex2 = fc_symbol().bind(mx.cpu(), args=[mx.nd.array(x), mx.nd.array(w), mx.nd.array(b)],
                           args_grad=grads, grad_req=['null', 'null', 'write'])
    ex2.forward(is_train=True)
    ex2.backward([mx.nd.array(head)])
    np.testing.assert_allclose(grads['fc_bias'].asnumpy(), head.sum(0), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(grads['data'].asnumpy(), 7)


def test_args_grad_none_means_no_gradients():
    ex = fc_symbol().bind(mx.cpu(), args=[mx.nd.ones((4, 6)), mx.nd.ones((3, 6)),
                                          mx.nd.ones(3)], grad_req='write')
    assert ex.grad_arrays == [None, None, None]
    ex.forward(is_train=True)
    np.testing.assert_allclose(ex.outputs[0].asnumpy(), np.full((4, 3), 7))


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def bind_loss(sym, x, label):
    grad = mx.nd.zeros(x.shape)
    ex = sym.bind(mx.cpu(), args={'data': mx.nd.array(x), 'label': mx.nd.array(label)},
                  args_grad={'data': grad})
    return ex, grad


@pytest.mark.parametrize('kwargs, scale', [
    ({}, 1.0),
    ({'grad_scale': 2.0}, 2.0),
    ({'normalization': 'batch'}, 1.0 / 4),
])
def test_softmax_output_forward_and_gradient(kwargs, scale):
    x, label = uniform(4, 5, low=-2, high=2), np.array([0, 3, 1, 4])
    sym = mx.sym.SoftmaxOutput(data=mx.sym.Variable('data'), label=mx.sym.Variable('label'),
                               name='sm', **kwargs)
    ex, grad = bind_loss(sym, x, label)
    out = ex.forward(is_train=True)[0].asnumpy()
    np.testing.assert_allclose(out, softmax(x), rtol=1e-5, atol=1e-6)
    ex.backward()  # loss output: no head gradient needed
    expect = softmax(x)
    expect[np.arange(4), label] -= 1
    np.testing.assert_allclose(grad.asnumpy(), expect * scale, rtol=1e-5, atol=1e-6)


def test_softmax_output_ignores_head_gradient_and_label_default_name():
    x = uniform(3, 4)
    sym = mx.sym.SoftmaxOutput(data=mx.sym.Variable('data'), name='softmax')
    assert sym.list_arguments() == ['data', 'softmax_label']
    grad = mx.nd.zeros(x.shape)
    ex = sym.bind(mx.cpu(), args=[mx.nd.array(x), mx.nd.array([1, 0, 2])],
                  args_grad={'data': grad})
    ex.forward(is_train=True)
    ex.backward([mx.nd.ones((3, 4)) * 10])
    expect = softmax(x)
    expect[np.arange(3), [1, 0, 2]] -= 1
    np.testing.assert_allclose(grad.asnumpy(), expect, rtol=1e-5, atol=1e-6)


def test_softmax_output_use_ignore():
    x, label = uniform(4, 3), np.array([0, -1, 2, -1])
    sym = mx.sym.SoftmaxOutput(data=mx.sym.Variable('data'), label=mx.sym.Variable('label'),
                               use_ignore=True, ignore_label=-1, normalization='valid')
    ex, grad = bind_loss(sym, x, label)
    ex.forward(is_train=True)
    ex.backward()
    expect = softmax(x)
    expect[[0, 2], [0, 2]] -= 1
    expect[[1, 3]] = 0
    np.testing.assert_allclose(grad.asnumpy(), expect / 2, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('shape', [(4, 3), (5, 1)])
def test_linear_regression_output_gradient(shape):
    x, label = uniform(*shape), uniform(*shape)
    sym = mx.sym.LinearRegressionOutput(data=mx.sym.Variable('data'),
                                        label=mx.sym.Variable('label'), grad_scale=3.0)
    ex, grad = bind_loss(sym, x, label)
    out = ex.forward(is_train=True)[0].asnumpy()
    np.testing.assert_allclose(out, x, rtol=1e-6)
    ex.backward()
    per_sample = label.size / label.shape[0]
    np.testing.assert_allclose(grad.asnumpy(), (x - label) * 3.0 / per_sample, rtol=1e-5,
                               atol=1e-6)


def test_linear_regression_label_shape_inference():
    sym = mx.sym.LinearRegressionOutput(data=mx.sym.Variable('data'), name='lro')
    assert sym.list_arguments() == ['data', 'lro_label']
    assert sym.infer_shape(data=(5, 1))[0] == [(5, 1), (5,)]
    assert sym.infer_shape(data=(5, 3))[0] == [(5, 3), (5, 3)]


def test_logistic_and_mae_regression_gradients():
    x, label = uniform(4, 2), RNG.randint(0, 2, (4, 2)).astype(np.float64)
    logistic = mx.sym.LogisticRegressionOutput(data=mx.sym.Variable('data'),
                                               label=mx.sym.Variable('label'))
    ex, grad = bind_loss(logistic, x, label)
    out = ex.forward(is_train=True)[0].asnumpy()
    sig = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(out, sig, rtol=1e-5, atol=1e-6)
    ex.backward()
    np.testing.assert_allclose(grad.asnumpy(), (sig - label) / 2, rtol=1e-5, atol=1e-6)
    mae = mx.sym.MAERegressionOutput(data=mx.sym.Variable('data'),
                                     label=mx.sym.Variable('label'))
    ex, grad = bind_loss(mae, x, label)
    ex.forward(is_train=True)
    ex.backward()
    np.testing.assert_allclose(grad.asnumpy(), np.sign(x - label) / 2, rtol=1e-6)


def test_gpu_bind_when_available():
    if mx.context.num_gpus() == 0:
        pytest.skip('no GPU')
    x, w, b = uniform(4, 6), uniform(3, 6), uniform(3)
    ctx = mx.gpu(0)
    ex = fc_symbol().bind(ctx, args=[mx.nd.array(v, ctx=ctx) for v in (x, w, b)])
    np.testing.assert_allclose(ex.forward()[0].asnumpy(), x @ w.T + b, rtol=1e-5, atol=1e-5)


def test_backward_head_gradient_errors_are_value_errors():
    a = mx.sym.Variable('a')
    ex = (a * 3).bind(mx.cpu(), args=[mx.nd.ones(2)], args_grad=[mx.nd.zeros(2)])
    ex.forward(is_train=True)
    with pytest.raises(ValueError, match='head gradient'):
        ex.backward()
    with pytest.raises(mx.base.MXNetError, match=r'\(3,\)'):
        ex.backward([mx.nd.ones(3)])
    ex.backward([mx.nd.ones(2)])  # still usable
    np.testing.assert_array_equal(ex.grad_arrays[0].asnumpy(), [3, 3])


def test_gpu_unavailable_is_a_clear_error():
    if mx.context.num_gpus() > 0:
        pytest.skip('a GPU is present')
    with pytest.raises(mx.base.MXNetError, match='GPU'):
        mx.nd.array([1, 2], ctx=mx.gpu(0))
