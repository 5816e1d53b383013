"""Executor completeness: every bind/simple_bind form, shared executors and buffers (what
BucketingModule needs), reshape, the monitor, group2ctx placement over cpu(0)/cpu(1), memory
planning (in-place gradient sums, mirror) and bad input, each error leaving the process and
the executor usable. Values are checked against numpy; error texts follow MXNet 1.9.1."""
import os

import numpy as np
import pytest

import loom as mx


def mlp(hidden=5, classes=3):
    data = mx.sym.Variable('data')
    fc1 = mx.sym.FullyConnected(data=data, num_hidden=hidden, name='fc1')
    act = mx.sym.Activation(data=fc1, act_type='tanh', name='act1')
    fc2 = mx.sym.FullyConnected(data=act, num_hidden=classes, name='fc2')
    return mx.sym.SoftmaxOutput(data=fc2, name='softmax')


def fc_sym():
    return mx.sym.FullyConnected(mx.sym.Variable('x'), num_hidden=3, name='fc')


def fc_args(rng, batch=2):
    return {'x': mx.nd.array(rng.standard_normal((batch, 4))),
            'fc_weight': mx.nd.array(rng.standard_normal((3, 4))),
            'fc_bias': mx.nd.array(rng.standard_normal(3))}


def np_of(d):
    return {k: v.asnumpy() for k, v in d.items()}


# ------------------------------------------------------------------------------ bind forms
def test_bind_list_and_dict_forms_agree():
    rng = np.random.default_rng(0)
    sym = fc_sym()
    args = fc_args(rng)
    names = sym.list_arguments()
    ex_d = sym.bind(mx.cpu(), args)
    ex_l = sym.bind(mx.cpu(), [args[n] for n in names])
    a = np_of(args)
    want = a['x'] @ a['fc_weight'].T + a['fc_bias']
    np.testing.assert_allclose(ex_d.forward()[0].asnumpy(), want, rtol=1e-5)
    np.testing.assert_allclose(ex_l.forward()[0].asnumpy(), want, rtol=1e-5)
    # arrays are used by reference
    assert ex_d.arg_dict['x'] is args['x']
    args['x'][:] = 0
    np.testing.assert_allclose(ex_d.forward()[0].asnumpy(), np.tile(a['fc_bias'], (2, 1)),
                               rtol=1e-5)


@pytest.mark.parametrize('form', ['list', 'dict'])
def test_args_grad_forms_and_grad_req_forms(form):
    rng = np.random.default_rng(1)
    sym = fc_sym()
    names = sym.list_arguments()
    args = fc_args(rng)
    grads = {n: mx.nd.zeros(args[n].shape) for n in names}
    head = rng.standard_normal((2, 3))
    a = np_of(args)
    expected = {'x': head @ a['fc_weight'], 'fc_weight': head.T @ a['x'],
                'fc_bias': head.sum(0)}
    args_grad = grads if form == 'dict' else [grads[n] for n in names]
    for grad_req in ('write', ['write', 'null', 'write'], {'fc_weight': 'write'}):
        for g in grads.values():
            g[:] = 0
        ex = sym.bind(mx.cpu(), args, args_grad=args_grad, grad_req=grad_req)
        ex.forward(is_train=True)
        ex.backward(mx.nd.array(head))
        if isinstance(grad_req, str):
            reqs = {n: grad_req for n in names}
        elif isinstance(grad_req, list):
            reqs = dict(zip(names, grad_req))
        else:
            reqs = {n: grad_req.get(n, 'null') for n in names}
        for n in names:
            got = grads[n].asnumpy()
            if reqs[n] == 'write':
                np.testing.assert_allclose(got, expected[n], rtol=1e-4, atol=1e-5)
            else:
                np.testing.assert_array_equal(got, 0)


def test_args_grad_dict_missing_entries_get_no_gradient():
    rng = np.random.default_rng(2)
    sym = fc_sym()
    args = fc_args(rng)
    gw = mx.nd.zeros((3, 4))
    ex = sym.bind(mx.cpu(), args, args_grad={'fc_weight': gw})
    assert ex.grad_dict['x'] is None and ex.grad_dict['fc_bias'] is None
    ex.forward(is_train=True)
    ex.backward(mx.nd.ones((2, 3)))
    np.testing.assert_allclose(gw.asnumpy(), np.ones((3, 2)) @ args['x'].asnumpy(), rtol=1e-5)


def test_grad_req_add_accumulates_across_backward_calls():
    rng = np.random.default_rng(3)
    sym = fc_sym()
    args = fc_args(rng)
    gw = mx.nd.ones((3, 4))
    ex = sym.bind(mx.cpu(), args, args_grad={'fc_weight': gw}, grad_req='add')
    for _ in range(3):
        ex.forward(is_train=True)
        ex.backward(mx.nd.ones((2, 3)))
    want = 1 + 3 * (np.ones((3, 2)) @ args['x'].asnumpy())
    np.testing.assert_allclose(gw.asnumpy(), want, rtol=1e-5)


def test_aux_states_list_and_dict():
    data = mx.sym.Variable('data')
    bn = mx.sym.BatchNorm(data=data, name='bn', fix_gamma=False)
    names = bn.list_auxiliary_states()
    assert names == ['bn_moving_mean', 'bn_moving_var']
    args = {'data': mx.nd.ones((2, 3)), 'bn_gamma': mx.nd.ones(3), 'bn_beta': mx.nd.zeros(3)}
    aux = {'bn_moving_mean': mx.nd.zeros(3), 'bn_moving_var': mx.nd.ones(3)}
    ex = bn.bind(mx.cpu(), args, aux_states=aux)
    assert ex.aux_dict['bn_moving_var'] is aux['bn_moving_var']
    ex2 = bn.bind(mx.cpu(), args, aux_states=[aux[n] for n in names])
    assert [a.shape for a in ex2.aux_arrays] == [(3,), (3,)]
    with pytest.raises(ValueError, match='bn_moving_var'):
        bn.bind(mx.cpu(), args, aux_states={'bn_moving_mean': mx.nd.zeros(3)})
    with pytest.raises(ValueError):
        bn.bind(mx.cpu(), args)  # aux states required


# ------------------------------------------------------------------------------ bad input
def test_bind_errors_leave_process_usable():
    rng = np.random.default_rng(4)
    sym = fc_sym()
    args = fc_args(rng)
    with pytest.raises(ValueError, match='Length of args does not match the number of arguments'):
        sym.bind(mx.cpu(), [args['x']])
    with pytest.raises(ValueError, match='key `fc_weight` is missing in `args`'):
        sym.bind(mx.cpu(), {'x': args['x']})
    with pytest.raises(TypeError, match='Only accept list of NDArrays or dict'):
        sym.bind(mx.cpu(), 5)
    with pytest.raises(ValueError, match='grad_req must be in'):
        sym.bind(mx.cpu(), args, args_grad={'x': mx.nd.zeros((2, 4))}, grad_req='foo')
    with pytest.raises(mx.base.MXNetError,
                       match=r'Error in operator fc: Shape inconsistent, Provided=\(3,5\), '
                             r'inferred shape=\(3,4\)'):
        sym.bind(mx.cpu(), dict(args, fc_weight=mx.nd.ones((3, 5))))
    with pytest.raises(mx.base.MXNetError, match='fc'):
        sym.bind(mx.cpu(), dict(args, fc_weight=mx.nd.ones((3, 4), dtype='float64')))
    with pytest.raises(mx.base.MXNetError, match='gradient array of x'):
        sym.bind(mx.cpu(), args, args_grad={'x': mx.nd.zeros((5, 4))})
    ex = sym.bind(mx.cpu(), args)
    a = np_of(args)
    np.testing.assert_allclose(ex.forward()[0].asnumpy(),
                               a['x'] @ a['fc_weight'].T + a['fc_bias'], rtol=1e-5)


def test_forward_backward_errors_leave_executor_usable():
    rng = np.random.default_rng(5)
    sym = fc_sym()
    args = fc_args(rng)
    grads = {n: mx.nd.zeros(v.shape) for n, v in args.items()}
    ex = sym.bind(mx.cpu(), args, args_grad=grads)
    with pytest.raises(TypeError, match='Unknown argument foo'):
        ex.forward(foo=mx.nd.ones((2, 4)))
    with pytest.raises(ValueError, match=r'Shape not match! Argument x, need: \(2, 4\), '
                                         r'received: \(3, 4\)'):
        ex.forward(x=mx.nd.ones((3, 4)))
    with pytest.raises(ValueError, match='only accept keyword argument of NDArrays'):
        ex.forward(x=[1, 2])
    ex.forward(is_train=True)
    with pytest.raises(ValueError, match='head_gradient is required'):
        ex.backward()
    with pytest.raises(mx.base.MXNetError, match=r'\(5,5\)'):
        ex.backward(mx.nd.ones((5, 5)))
    with pytest.raises(mx.base.MXNetError, match='float64'):
        ex.backward(mx.nd.ones((2, 3), dtype='float64'))
    with pytest.raises(mx.base.MXNetError, match='2 head gradients'):
        ex.backward([mx.nd.ones((2, 3)), mx.nd.ones((2, 3))])
    ex.forward(is_train=True, x=np.ones((2, 4), dtype=np.float32))
    ex.backward(np.ones((2, 3), dtype=np.float32))
    np.testing.assert_allclose(grads['x'].asnumpy(),
                               np.ones((2, 3)) @ args['fc_weight'].asnumpy(), rtol=1e-5)


def test_loss_output_needs_no_head_gradient():
    ex = mlp().simple_bind(mx.cpu(), data=(4, 6))
    ex.forward(is_train=True)
    ex.backward()  # SoftmaxOutput supplies its own gradient
    assert ex.grad_dict['fc1_weight'].shape == (5, 6)


# ------------------------------------------------------------------------------ simple_bind
def test_simple_bind_zero_filled_inferred_arrays_and_dicts():
    ex = mlp().simple_bind(mx.cpu(), data=(4, 6), type_dict={'data': 'float64'})
    shapes = {n: a.shape for n, a in ex.arg_dict.items()}
    assert shapes == {'data': (4, 6), 'fc1_weight': (5, 6), 'fc1_bias': (5,),
                      'fc2_weight': (3, 5), 'fc2_bias': (3,), 'softmax_label': (4,)}
    assert all(a.dtype == np.float64 for a in ex.arg_arrays)
    assert all(np.all(a.asnumpy() == 0) for a in ex.arg_arrays)
    assert all(g is not None and np.all(g.asnumpy() == 0) for g in ex.grad_arrays)
    assert list(ex.output_dict) == ['softmax_output']
    ex2 = mlp().simple_bind(mx.cpu(), grad_req={'fc1_weight': 'write'}, data=(4, 6))
    assert [n for n, g in ex2.grad_dict.items() if g is not None] == ['fc1_weight']
    ex3 = mlp().simple_bind(mx.cpu(), grad_req=['null', 'add', 'null', 'null', 'null', 'null'],
                            data=(4, 6))
    assert [n for n, g in ex3.grad_dict.items() if g is not None] == ['fc1_weight']


def test_simple_bind_errors():
    sym = fc_sym()
    with pytest.raises(mx.base.MXNetError, match="grad_req=foo is not a valid input"):
        sym.simple_bind(mx.cpu(), grad_req='foo', x=(4, 4))
    with pytest.raises(mx.base.MXNetError, match='The length of grad_req list does not match'):
        sym.simple_bind(mx.cpu(), grad_req=['write'], x=(4, 4))
    with pytest.raises(mx.base.MXNetError):
        sym.simple_bind(mx.cpu())
    with pytest.raises(mx.base.MXNetError, match='fc'):
        sym.simple_bind(mx.cpu(), x=(4, 4), type_dict={'x': 'float64', 'fc_weight': 'float32'})
    assert sym.simple_bind(mx.cpu(), x=(4, 4)).forward()[0].shape == (4, 3)


def test_shared_exec_shares_parameters_and_memory_pool():
    sym = mlp()
    params = ['fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias']
    buf = {}
    big = sym.simple_bind(mx.cpu(), data=(16, 6), shared_buffer=buf, shared_arg_names=params)
    assert sorted(buf) == ['data', 'grad of data', 'grad of softmax_label', 'softmax_label']
    small = sym.simple_bind(mx.cpu(), data=(4, 6), shared_buffer=buf, shared_arg_names=params,
                            shared_exec=big)
    # parameters, gradients: the same memory
    big.arg_dict['fc1_weight'][:] = 0.5
    np.testing.assert_array_equal(small.arg_dict['fc1_weight'].asnumpy(), 0.5)
    small.grad_dict['fc2_bias'][:] = 7
    np.testing.assert_array_equal(big.grad_dict['fc2_bias'].asnumpy(), 7)
    # data reuses the big buffer as a smaller view; the buffer keeps its size
    assert small.arg_dict['data'].shape == (4, 6) and buf['data'].shape == (16, 6)
    # internal memory: the small executor takes from the big one's pool
    assert big.planned_bytes > 0 and big.allocated_bytes == big.planned_bytes
    assert small.allocated_bytes == 0 and 0 < small.planned_bytes <= big.planned_bytes
    # a bigger input replaces the buffer entries (MXNet's "Need to re-allocate")
    larger = sym.simple_bind(mx.cpu(), data=(32, 6), shared_buffer=buf,
                             shared_arg_names=params, shared_exec=big)
    assert buf['data'].shape == (32, 6) and buf['grad of data'].shape == (32, 6)
    # the executors compute right, one after the other
    rng = np.random.default_rng(6)
    for ex in (big, small, larger):
        x = rng.standard_normal(ex.arg_dict['data'].shape)
        out = ex.forward(is_train=True, data=x)[0].asnumpy()
        w1, b1 = big.arg_dict['fc1_weight'].asnumpy(), big.arg_dict['fc1_bias'].asnumpy()
        w2, b2 = big.arg_dict['fc2_weight'].asnumpy(), big.arg_dict['fc2_bias'].asnumpy()
        z = np.tanh(x @ w1.T + b1) @ w2.T + b2
        p = np.exp(z - z.max(1, keepdims=True))
        np.testing.assert_allclose(out, p / p.sum(1, keepdims=True), rtol=1e-4, atol=1e-6)
        ex.backward()


def test_shared_exec_shape_mismatch_is_an_error():
    sym = fc_sym()
    e1 = sym.simple_bind(mx.cpu(), x=(4, 4))
    with pytest.raises(mx.base.MXNetError, match='Inferred shape does not match shared_exec'):
        sym.simple_bind(mx.cpu(), x=(4, 5), shared_arg_names=['fc_weight', 'fc_bias'],
                        shared_exec=e1, shared_buffer={})
    e1.forward()


# ------------------------------------------------------------------------------ reshape
def test_reshape_views_and_errors():
    rng = np.random.default_rng(7)
    sym = fc_sym()
    args = fc_args(rng, batch=4)
    ex = sym.bind(mx.cpu(), args, args_grad={n: mx.nd.zeros(a.shape) for n, a in args.items()})
    small = ex.reshape(x=(2, 4))
    assert small.arg_dict['x'].shape == (2, 4) and small.outputs[0].shape == (2, 3)
    # parameters are shared
    ex.arg_dict['fc_weight'][:] = 1
    small.arg_dict['x'][:] = 1
    np.testing.assert_allclose(small.forward()[0].asnumpy(),
                               4 + np.tile(args['fc_bias'].asnumpy(), (2, 1)), rtol=1e-5)
    # the down-sized data is a view of the original's first rows
    np.testing.assert_array_equal(ex.arg_dict['x'].asnumpy()[:2], 1)
    with pytest.raises(mx.base.MXNetError, match='Shape of unspecifie'):
        ex.reshape(fc_weight=(3, 5))
    with pytest.raises(mx.base.MXNetError, match='New shape of arg: x is larger than original'):
        ex.reshape(x=(5, 4))
    with pytest.raises(mx.base.MXNetError, match='fc_weight is larger than original'):
        ex.reshape(partial_shaping=True, x=(1, 5))
    big = ex.reshape(allow_up_sizing=True, x=(8, 4))
    assert big.arg_dict['x'].shape == (8, 4) and big.grad_dict['x'].shape == (8, 4)
    big.forward(is_train=True)
    big.backward(mx.nd.ones((8, 3)))
    np.testing.assert_allclose(big.grad_dict['fc_bias'].asnumpy(), [8, 8, 8])
    ex.forward()  # the original still works


# ------------------------------------------------------------------------------ misc API
def test_copy_params_from():
    ex = fc_sym().simple_bind(mx.cpu(), x=(2, 4), type_dict={'x': 'float64'})
    w = np.arange(12, dtype=np.float32).reshape(3, 4)
    ex.copy_params_from({'fc_weight': mx.nd.array(w), 'fc_bias': np.ones(3)})
    assert ex.arg_dict['fc_weight'].dtype == np.float64
    np.testing.assert_array_equal(ex.arg_dict['fc_weight'].asnumpy(), w)
    with pytest.raises(ValueError, match='Find name "zz" that is not in the arguments'):
        ex.copy_params_from({'zz': mx.nd.ones(1)})
    ex.copy_params_from({'zz': mx.nd.ones(1)}, {'yy': mx.nd.ones(1)}, allow_extra_params=True)
    with pytest.raises(ValueError, match='auxiliary states'):
        ex.copy_params_from({}, {'yy': mx.nd.ones(1)})


@pytest.mark.filterwarnings('ignore::pytest.PytestUnraisableExceptionWarning')
def test_monitor_callback_names_and_arrays():
    ex = mx.sym.SoftmaxOutput(fc_sym(), name='sm').simple_bind(mx.cpu(), x=(2, 4))
    ex.arg_dict['fc_bias'][:] = np.array([1, 2, 3])
    seen = []

    def record(name, handle):
        arr = mx.nd.NDArray(handle)
        seen.append((name, arr.asnumpy().copy()))

    ex.set_monitor_callback(record)
    ex.forward()
    assert [n for n, _ in seen] == [b'fc_output', b'sm_output']
    np.testing.assert_allclose(seen[0][1], [[1, 2, 3], [1, 2, 3]])
    seen.clear()
    ex.set_monitor_callback(record, monitor_all=True)
    ex.forward()
    assert [n for n, _ in seen] == [b'x', b'fc_data', b'fc_weight', b'fc_weight', b'fc_bias',
                                    b'fc_bias', b'fc_output', b'sm_data', b'sm_label',
                                    b'sm_label', b'sm_output']
    seen.clear()
    ex.forward(is_train=True)
    ex.backward()
    assert len(seen) > 4  # backward operators are monitored too
    ex.set_monitor_callback(None)
    seen.clear()
    ex.forward()
    assert not seen

    def broken(name, handle):
        mx.nd.NDArray(handle)
        raise RuntimeError('callback failure')

    ex.set_monitor_callback(broken)
    ex.forward()  # reported, not fatal
    ex.set_monitor_callback(None)


def test_debug_str_reports_planned_memory_like_mxnet():
    ex = mlp().simple_bind(mx.cpu(), data=(256, 1024))
    text = ex.debug_str()
    # what Module parses
    mb = int(text.split('\n')[-3].split()[1])
    assert text.split('\n')[-3] == 'Total %d MB allocated' % mb
    assert mb == ex.planned_bytes >> 20
    assert ex.planned_bytes >= 256 * 5 * 4
    assert text.endswith('\nTotal 0 TempSpace resource requested\n')


# ------------------------------------------------------------------------------ group2ctx
def grouped_mlp():
    data = mx.sym.Variable('data')
    with mx.AttrScope(ctx_group='dev1'):
        fc1 = mx.sym.FullyConnected(data=data, num_hidden=8, name='fc1')
        act1 = mx.sym.Activation(data=fc1, act_type='relu', name='relu1')
    with mx.AttrScope(ctx_group='dev2'):
        fc2 = mx.sym.FullyConnected(data=act1, num_hidden=4, name='fc2')
        out = mx.sym.SoftmaxOutput(data=fc2, name='softmax')
    return out


def test_group2ctx_places_arrays_and_matches_single_context():
    sym = grouped_mlp()
    rng = np.random.default_rng(8)
    g2c = {'dev1': mx.cpu(0), 'dev2': mx.cpu(1)}
    placed = sym.simple_bind(mx.cpu(0), group2ctx=g2c, data=(5, 6))
    plain = sym.simple_bind(mx.cpu(0), data=(5, 6))
    assert placed.arg_dict['fc1_weight'].context == mx.cpu(0)
    assert placed.arg_dict['fc2_weight'].context == mx.cpu(1)
    assert placed.grad_dict['fc2_bias'].context == mx.cpu(1)
    assert placed.arg_dict['softmax_label'].context == mx.cpu(1)
    assert placed.outputs[0].context == mx.cpu(1)
    assert '_CrossDeviceCopy' in placed.debug_str()
    for name, arr in plain.arg_dict.items():
        value = rng.standard_normal(arr.shape) if name != 'softmax_label' else \
            rng.integers(0, 4, arr.shape)
        arr[:] = value
        placed.arg_dict[name][:] = value
    for ex in (placed, plain):
        ex.forward(is_train=True)
        ex.backward()
    np.testing.assert_allclose(placed.outputs[0].asnumpy(), plain.outputs[0].asnumpy(),
                               rtol=1e-6)
    for name in ('fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias', 'data'):
        np.testing.assert_allclose(placed.grad_dict[name].asnumpy(),
                                   plain.grad_dict[name].asnumpy(), rtol=1e-5, atol=1e-7)


def test_group2ctx_bind_with_arrays_on_two_devices():
    sym = grouped_mlp()
    shapes, _, _ = sym.infer_shape(data=(3, 6))
    rng = np.random.default_rng(9)
    names = sym.list_arguments()
    ctx_of = {n: (mx.cpu(1) if n.startswith('fc2') or n == 'softmax_label' else mx.cpu(0))
              for n in names}
    values = {n: rng.standard_normal(s) if n != 'softmax_label' else rng.integers(0, 4, s)
              for n, s in zip(names, shapes)}
    args = {n: mx.nd.array(values[n], ctx=ctx_of[n]) for n in names}
    grads = {n: mx.nd.zeros(s, ctx=ctx_of[n]) for n, s in zip(names, shapes)}
    with pytest.raises(mx.base.MXNetError, match='unless group2ctx is specified'):
        sym.bind(mx.cpu(0), args, args_grad=grads)
    ex = sym.bind(mx.cpu(0), args, args_grad=grads,
                  group2ctx={'dev1': mx.cpu(0), 'dev2': mx.cpu(1)})
    ref = sym.bind(mx.cpu(0), {n: mx.nd.array(v) for n, v in values.items()},
                   args_grad={n: mx.nd.zeros(s) for n, s in zip(names, shapes)})
    for e in (ex, ref):
        e.forward(is_train=True)
        e.backward()
    np.testing.assert_allclose(ex.outputs[0].asnumpy(), ref.outputs[0].asnumpy(), rtol=1e-6)
    for n in names:
        np.testing.assert_allclose(grads[n].asnumpy(), ref.grad_dict[n].asnumpy(), rtol=1e-5,
                                   atol=1e-7)


# ------------------------------------------------------------------------------ planning
def branchy():
    """x feeds four branches whose gradients are summed: in-place accumulation material."""
    x = mx.sym.Variable('x')
    h = mx.sym.FullyConnected(x, num_hidden=64, name='fc')
    out = mx.sym.sin(h) + mx.sym.cos(h) + h * h + mx.sym.exp(h * 0.1)
    return mx.sym.MakeLoss(mx.sym.sum(out), name='loss')


def bind_branchy(rng):
    sym = branchy()
    ex = sym.simple_bind(mx.cpu(), x=(32, 16))
    for name, arr in ex.arg_dict.items():
        arr[:] = rng.standard_normal(arr.shape) * 0.3
    return ex


def test_inplace_gradient_sum_saves_memory_and_is_exact(monkeypatch):
    rng = np.random.default_rng(10)
    ex = bind_branchy(rng)
    monkeypatch.setenv('LOOM_EXEC_INPLACE_GRAD_SUM', '0')
    ref = bind_branchy(np.random.default_rng(10))
    monkeypatch.delenv('LOOM_EXEC_INPLACE_GRAD_SUM')
    assert ex.planned_bytes < ref.planned_bytes
    for e in (ex, ref):
        e.forward(is_train=True)
        e.backward()
    x, w = ex.arg_dict['x'].asnumpy(), ex.arg_dict['fc_weight'].asnumpy()
    h = x @ w.T + ex.arg_dict['fc_bias'].asnumpy()
    dh = np.cos(h) - np.sin(h) + 2 * h + 0.1 * np.exp(0.1 * h)
    np.testing.assert_allclose(ex.grad_dict['x'].asnumpy(), dh @ w, rtol=1e-4, atol=1e-5)
    for name in ex.grad_dict:
        np.testing.assert_allclose(ex.grad_dict[name].asnumpy(), ref.grad_dict[name].asnumpy(),
                                   rtol=1e-5, atol=1e-6)


def deep_sigmoid(mirror):
    """FullyConnected layers each followed by three cheap activations: mirroring those keeps
    one input per layer instead of every activation output."""
    net = mx.sym.Variable('data')
    for i in range(4):
        net = mx.sym.FullyConnected(net, num_hidden=256, name='fc%d' % i)
        for j, act in enumerate(('sigmoid', 'tanh', 'sigmoid')):
            attr = {'force_mirroring': 'True'} if mirror else None
            net = mx.sym.Activation(net, act_type=act, name='%s%d_%d' % (act, i, j), attr=attr)
    return mx.sym.MakeLoss(mx.sym.sum(net), name='loss')


def test_force_mirroring_reduces_planned_bytes_and_keeps_gradients():
    rng = np.random.default_rng(11)
    plain = deep_sigmoid(False).simple_bind(mx.cpu(), data=(64, 256))
    mirrored = deep_sigmoid(True).simple_bind(mx.cpu(), data=(64, 256))
    assert mirrored.planned_bytes < plain.planned_bytes
    assert 'tanh0_1_mirror' in mirrored.debug_str()
    for name, arr in plain.arg_dict.items():
        value = rng.standard_normal(arr.shape) * 0.1
        arr[:] = value
        mirrored.arg_dict[name][:] = value
    for ex in (plain, mirrored):
        ex.forward(is_train=True)
        ex.backward()
    for name in plain.grad_dict:
        np.testing.assert_allclose(mirrored.grad_dict[name].asnumpy(),
                                   plain.grad_dict[name].asnumpy(), rtol=1e-5, atol=1e-7)


def test_mirror_env_switch(monkeypatch):
    plain = deep_sigmoid(False).simple_bind(mx.cpu(), data=(64, 256))
    monkeypatch.setenv('MXNET_BACKWARD_DO_MIRROR', '1')
    mirrored = deep_sigmoid(False).simple_bind(mx.cpu(), data=(64, 256))
    monkeypatch.delenv('MXNET_BACKWARD_DO_MIRROR')
    assert 'sigmoid3_2_mirror' in mirrored.debug_str()
    assert 'fc3_mirror' not in mirrored.debug_str()  # FullyConnected is never mirrored
    assert mirrored.planned_bytes < plain.planned_bytes


def test_inference_plan_reuses_memory_along_a_chain():
    net = mx.sym.Variable('data')
    for i in range(20):
        net = mx.sym.Activation(mx.sym.FullyConnected(net, num_hidden=128, name='fc%d' % i),
                                act_type='relu')
    ex = net.simple_bind(mx.cpu(), grad_req='null', data=(64, 128))
    one = 64 * 128 * 4
    # in-place ReLU and reuse along the chain: a few activations, not twenty
    assert ex.planned_bytes <= 3 * one + 256
    assert ex.forward()[0].shape == (64, 128)


def test_many_executors_and_errors_do_not_leak_state():
    sym = fc_sym()
    for i in range(50):
        ex = sym.simple_bind(mx.cpu(), x=(i % 5 + 1, 4))
        ex.forward()
        if i % 10 == 0:
            with pytest.raises(mx.base.MXNetError):
                sym.simple_bind(mx.cpu(), x=(2, 5), fc_weight=(3, 4))
    assert os.getpid() > 0


def test_bind_with_shared_exec_shares_the_pool_and_optimized_symbol():
    rng = np.random.default_rng(12)
    sym = mlp()
    big = sym.simple_bind(mx.cpu(), data=(32, 6))
    small_args = {n: mx.nd.array(rng.standard_normal(a.shape[1:] if n in ('data',) else a.shape))
                  for n, a in big.arg_dict.items()}
    small_args['data'] = mx.nd.array(rng.standard_normal((4, 6)))
    small_args['softmax_label'] = mx.nd.zeros(4)
    small = sym.bind(mx.cpu(), small_args, shared_exec=big)
    assert small.allocated_bytes == 0 and small.planned_bytes > 0
    assert small.forward()[0].shape == (4, 3)
    opt = small.get_optimized_symbol()
    assert opt.list_arguments() == sym.list_arguments()


def test_bad_options_are_clear_errors():
    sym = fc_sym()
    with pytest.raises(mx.base.MXNetError, match='sparse'):
        sym.simple_bind(mx.cpu(), x=(2, 4), stype_dict={'x': 'csr'})
    ex = sym.simple_bind(mx.cpu(), x=(2, 4))
    with pytest.raises(TypeError, match='callable'):
        ex.set_monitor_callback(5)
    with pytest.raises(TypeError):
        ex.reshape(x=5)
    with pytest.raises(TypeError):
        ex.backward(out_grads=5)
    assert ex.forward()[0].shape == (2, 3)


@pytest.mark.parametrize('net', ['resnet18-v1', 'inception-bn'])
def test_planner_variants_give_identical_training_results(net, monkeypatch):
    """In-place gradient sums, interval packing and mirroring change where values live and
    when they are computed, never the values: a training step of a real network gives the
    same outputs and gradients under each, bit for bit."""
    import pathlib
    import sys
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / 'tools'))
    import model_zoo  # pylint: disable=import-outside-toplevel
    sym = model_zoo.build(mx, net)
    shape = model_zoo.input_shapes(net)['data']
    variants = ({}, {'LOOM_EXEC_INPLACE_GRAD_SUM': '0', 'LOOM_EXEC_PLANNER': 'blocks'},
                {'MXNET_BACKWARD_DO_MIRROR': '1'})
    results = []
    for env in variants:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        ex = sym.simple_bind(mx.cpu(), data=shape)
        for key in env:
            monkeypatch.delenv(key)
        rng = np.random.default_rng(0)
        for name, arr in ex.arg_dict.items():
            arr[:] = (rng.integers(0, 3, arr.shape) if name == 'softmax_label'
                      else rng.standard_normal(arr.shape) * 0.1)
        for name, arr in ex.aux_dict.items():
            arr[:] = 1.0 if 'var' in name else 0.0
        ex.forward(is_train=True)
        ex.backward()
        results.append((ex.outputs[0].asnumpy(), np_of({n: g for n, g in ex.grad_dict.items()
                                                         if g is not None}), ex.planned_bytes))
    base_out, base_grads, base_bytes = results[0]
    for out, grads, _ in results[1:]:
        np.testing.assert_array_equal(out, base_out)
        for name, grad in base_grads.items():
            np.testing.assert_array_equal(grads[name], grad)
    assert base_bytes < results[1][2]  # packing + in-place sums beat block reuse
    assert results[2][2] < base_bytes  # mirroring plans less
