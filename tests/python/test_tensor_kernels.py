"""Tensor operator kernels through the Symbol API (bind / simple_bind, forward, backward), with
numpy as the oracle: transpose, reductions, pick, broadcasting, creation and random ops, dot,
batch_dot, slicing, take, one_hot, where, tile, repeat. Gradients are checked in float64 against
numpy-derived formulas or central differences."""
import numpy as np
import pytest

import loom as mx

RNG = np.random.RandomState(3)


def uniform(*shape, low=-1.0, high=1.0):
    return RNG.uniform(low, high, shape)


def run(sym, backward_head=None, **inputs):
    """Binds float64 inputs, runs forward (and backward with `backward_head`); returns the
    output and the {name: gradient} dict."""
    names = sym.list_arguments()
    args = {n: mx.nd.array(inputs[n], dtype='float64') for n in names}
    grads = {n: mx.nd.zeros(inputs[n].shape, dtype='float64') for n in names}
    ex = sym.bind(mx.cpu(), args=args, args_grad=grads)
    out = ex.forward(is_train=backward_head is not None)[0].asnumpy()
    if backward_head is None:
        return out, None
    ex.backward([mx.nd.array(backward_head, dtype='float64')])
    return out, {n: g.asnumpy() for n, g in grads.items()}


def numeric_check(sym, eps=1e-6, rtol=1e-5, atol=1e-7, skip=(), **inputs):
    """Analytic gradients vs central differences of <out, head> in float64."""
    out, grads = run(sym, None, **inputs)
    head = RNG.uniform(-1, 1, out.shape)
    _, grads = run(sym, head, **inputs)
    for name, base in inputs.items():
        if name in skip:
            continue
        numeric = np.zeros_like(base, dtype=np.float64)
        for idx in np.ndindex(*base.shape):
            plus, minus = dict(inputs), dict(inputs)
            p = base.astype(np.float64).copy()
            p[idx] += eps
            plus[name] = p
            m = base.astype(np.float64).copy()
            m[idx] -= eps
            minus[name] = m
            numeric[idx] = (np.sum(run(sym, None, **plus)[0] * head) -
                            np.sum(run(sym, None, **minus)[0] * head)) / (2 * eps)
        np.testing.assert_allclose(grads[name], numeric, rtol=rtol, atol=atol,
                                   err_msg='gradient of %s' % name)


X = mx.sym.var('x')


# ---------------------------------------------------------------- transpose
@pytest.mark.parametrize('axes', [None, (1, 2, 0), (2, 0, 1)])
def test_transpose_values_and_gradient(axes):
    x = uniform(2, 3, 4)
    sym = mx.sym.transpose(X) if axes is None else mx.sym.transpose(X, axes=axes)
    head = uniform(*np.transpose(x, axes).shape)
    out, grads = run(sym, head, x=x)
    np.testing.assert_array_equal(out, np.transpose(x, axes))
    inverse = None if axes is None else np.argsort(axes)
    np.testing.assert_array_equal(grads['x'], np.transpose(head, inverse))


# ---------------------------------------------------------------- reductions
REDUCTIONS = {'sum': np.sum, 'mean': np.mean, 'prod': np.prod, 'max': np.max, 'min': np.min,
              'nansum': np.nansum, 'nanprod': np.nanprod}


@pytest.mark.parametrize('op', sorted(REDUCTIONS))
@pytest.mark.parametrize('axis,keepdims,exclude', [
    (None, False, False), (1, False, False), ((0, 2), True, False), (-1, True, False),
    ((1,), False, True)])
def test_reductions_match_numpy(op, axis, keepdims, exclude):
    x = RNG.permutation(24).reshape(2, 3, 4) / 10.0 + 0.5
    kwargs = {'keepdims': keepdims, 'exclude': exclude}
    if axis is not None:
        kwargs['axis'] = axis
    out, _ = run(getattr(mx.sym, op)(X, **kwargs), x=x)
    np_axis = axis
    if exclude:
        np_axis = tuple(a for a in range(3) if a not in (axis if isinstance(axis, tuple) else (axis,)))
    expected = REDUCTIONS[op](x, axis=np_axis, keepdims=keepdims)
    if np.ndim(expected) == 0:
        expected = np.array([expected])
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    numeric_check(getattr(mx.sym, op)(X, **kwargs), x=x)


def test_sum_gradient_is_broadcast_head_and_mean_divides():
    x = uniform(3, 4)
    head = uniform(3)
    _, g = run(mx.sym.sum(X, axis=1), head, x=x)
    np.testing.assert_array_equal(g['x'], np.repeat(head[:, None], 4, axis=1))
    _, g = run(mx.sym.mean(X, axis=1), head, x=x)
    np.testing.assert_allclose(g['x'], np.repeat(head[:, None], 4, axis=1) / 4, rtol=1e-15)


def test_max_gradient_goes_to_every_tie_as_mxnet():
    # MXNet 1.9.1 gives [[0, 1, 1], [2, 2, 0]]
    x = np.array([[1, 3, 3], [2, 2, 1]], dtype=np.float64)
    _, g = run(mx.sym.max(X, axis=1), np.array([1.0, 2.0]), x=x)
    np.testing.assert_array_equal(g['x'], [[0, 1, 1], [2, 2, 0]])


def test_nan_reductions():
    x = np.array([[1, np.nan, 3], [2, 2, np.nan]])
    out, g = run(mx.sym.nansum(X, axis=1), np.array([1.0, 2.0]), x=x)
    np.testing.assert_array_equal(out, [4, 4])
    np.testing.assert_array_equal(g['x'], [[1, 0, 1], [2, 2, 0]])
    out, g = run(mx.sym.nanprod(X, axis=1), np.array([1.0, 1.0]), x=x)
    np.testing.assert_array_equal(out, [3, 4])
    np.testing.assert_array_equal(g['x'], [[3, 0, 1], [2, 2, 0]])


@pytest.mark.parametrize('ord_,axis', [(2, None), (1, None), (2, 1), (1, 0)])
def test_norm(ord_, axis):
    x = uniform(3, 4)
    sym = mx.sym.norm(X, ord=ord_) if axis is None else mx.sym.norm(X, ord=ord_, axis=axis)
    out, _ = run(sym, x=x)
    expected = (np.sum(np.abs(x), axis=axis) if ord_ == 1
                else np.sqrt(np.sum(x * x, axis=axis)))
    np.testing.assert_allclose(out, np.atleast_1d(expected), rtol=1e-12)
    numeric_check(sym, x=x)


def test_argmax_argmin():
    x = RNG.permutation(12).reshape(3, 4).astype(np.float64)
    np.testing.assert_array_equal(run(mx.sym.argmax(X, axis=1), x=x)[0], np.argmax(x, 1))
    np.testing.assert_array_equal(run(mx.sym.argmin(X, axis=0), x=x)[0], np.argmin(x, 0))
    np.testing.assert_array_equal(run(mx.sym.argmax(X, axis=0, keepdims=True), x=x)[0],
                                  np.argmax(x, 0)[None])


# ---------------------------------------------------------------- pick
@pytest.mark.parametrize('mode', ['clip', 'wrap'])
def test_pick(mode):
    x = uniform(4, 5)
    idx = np.array([0, 7, -2, 3], dtype=np.float64)
    sym = mx.sym.pick(X, mx.sym.var('i'), axis=1, mode=mode)
    fixed = np.clip(idx, 0, 4) if mode == 'clip' else np.mod(idx, 5)
    head = uniform(4)
    out, g = run(sym, head, x=x, i=idx)
    np.testing.assert_array_equal(out, x[np.arange(4), fixed.astype(int)])
    expected = np.zeros_like(x)
    expected[np.arange(4), fixed.astype(int)] = head
    np.testing.assert_array_equal(g['x'], expected)
    np.testing.assert_array_equal(g['i'], np.zeros(4))


# ---------------------------------------------------------------- broadcasting
BROADCAST = {
    'broadcast_add': np.add, 'broadcast_sub': np.subtract, 'broadcast_mul': np.multiply,
    'broadcast_div': np.divide, 'broadcast_power': np.power, 'broadcast_maximum': np.maximum,
    'broadcast_minimum': np.minimum, 'broadcast_hypot': np.hypot, 'broadcast_mod': np.mod,
}
COMPARE = {
    'broadcast_equal': np.equal, 'broadcast_not_equal': np.not_equal,
    'broadcast_greater': np.greater, 'broadcast_greater_equal': np.greater_equal,
    'broadcast_lesser': np.less, 'broadcast_lesser_equal': np.less_equal,
}


@pytest.mark.parametrize('op', sorted(BROADCAST))
def test_broadcast_arithmetic(op):
    a = uniform(2, 1, 3, low=0.5, high=2.0)
    b = uniform(4, 1, low=0.5, high=2.0)
    sym = getattr(mx.sym, op)(mx.sym.var('a'), mx.sym.var('b'))
    out, _ = run(sym, a=a, b=b)
    np.testing.assert_allclose(out, BROADCAST[op](a, b), rtol=1e-12)
    numeric_check(sym, a=a, b=b, rtol=1e-5, atol=1e-6)


def test_broadcast_add_gradient_sums_over_broadcast_axes():
    a, b = uniform(2, 1, 3), uniform(4, 1)
    head = uniform(2, 4, 3)
    _, g = run(mx.sym.broadcast_add(mx.sym.var('a'), mx.sym.var('b')), head, a=a, b=b)
    np.testing.assert_allclose(g['a'], head.sum(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(g['b'], head.sum(axis=(0, 2))[:, None], rtol=1e-12)


@pytest.mark.parametrize('op', sorted(COMPARE))
def test_broadcast_compare(op):
    a = np.array([[1.0, 2.0, 3.0]])
    b = np.array([[2.0], [3.0]])
    out, g = run(getattr(mx.sym, op)(mx.sym.var('a'), mx.sym.var('b')), np.ones((2, 3)), a=a, b=b)
    np.testing.assert_array_equal(out, COMPARE[op](a, b).astype(np.float64))
    np.testing.assert_array_equal(g['a'], np.zeros_like(a))


def test_broadcast_to_like_axis():
    x = uniform(1, 3)
    head = uniform(2, 3)
    for sym in (mx.sym.broadcast_to(X, shape=(2, 3)), mx.sym.broadcast_axis(X, axis=0, size=2)):
        out, g = run(sym, head, x=x)
        np.testing.assert_array_equal(out, np.broadcast_to(x, (2, 3)))
        np.testing.assert_allclose(g['x'], head.sum(axis=0, keepdims=True), rtol=1e-12)
    sym = mx.sym.broadcast_like(X, mx.sym.var('y'))
    out, g = run(sym, head, x=x, y=np.zeros((2, 3)))
    np.testing.assert_array_equal(out, np.broadcast_to(x, (2, 3)))
    np.testing.assert_allclose(g['x'], head.sum(axis=0, keepdims=True), rtol=1e-12)


# ---------------------------------------------------------------- creation and random
def _eval(sym):
    return sym.bind(mx.cpu(), args={}).forward()[0].asnumpy()


def test_creation_ops():
    np.testing.assert_array_equal(_eval(mx.sym.zeros((2, 3))), np.zeros((2, 3)))
    np.testing.assert_array_equal(_eval(mx.sym.ones((4,))), np.ones(4))
    np.testing.assert_array_equal(_eval(mx.sym.full((2, 2), 2.5)), np.full((2, 2), 2.5))
    np.testing.assert_array_equal(_eval(mx.sym.arange(2, 8, 2, repeat=2)), [2, 2, 4, 4, 6, 6])
    np.testing.assert_array_equal(_eval(mx.sym.eye(3, 4, k=1)), np.eye(3, 4, k=1))
    np.testing.assert_allclose(_eval(mx.sym.linspace(0, 1, 5, endpoint=False)),
                               np.linspace(0, 1, 5, endpoint=False), rtol=1e-6)


def test_random_ops_ranges_and_seed():
    sym = mx.sym.random_uniform(low=-2, high=3, shape=(50, 40))
    u = _eval(sym)
    assert u.shape == (50, 40) and u.dtype == np.float32
    assert u.min() >= -2 and u.max() < 3 and abs(u.mean() - 0.5) < 0.1
    n = _eval(mx.sym.random_normal(loc=1, scale=2, shape=(4000,)))
    assert abs(n.mean() - 1) < 0.15 and abs(n.std() - 2) < 0.15
    if not hasattr(mx, 'random') or not hasattr(mx.random, 'seed'):
        pytest.skip('mx.random.seed is not bound yet')
    mx.random.seed(7)
    first = _eval(sym)
    mx.random.seed(7)
    np.testing.assert_array_equal(_eval(sym), first)


# ---------------------------------------------------------------- dot / batch_dot
@pytest.mark.parametrize('ta,tb', [(False, False), (True, False), (False, True), (True, True)])
def test_dot(ta, tb):
    a, b = uniform(2, 3), uniform(3, 4)
    a_in = a.T.copy() if ta else a
    b_in = b.T.copy() if tb else b
    sym = mx.sym.dot(mx.sym.var('a'), mx.sym.var('b'), transpose_a=ta, transpose_b=tb)
    head = uniform(2, 4)
    out, g = run(sym, head, a=a_in, b=b_in)
    np.testing.assert_allclose(out, a @ b, rtol=1e-12)
    ga, gb = head @ b.T, a.T @ head
    np.testing.assert_allclose(g['a'], ga.T if ta else ga, rtol=1e-12)
    np.testing.assert_allclose(g['b'], gb.T if tb else gb, rtol=1e-12)


def test_dot_nd_and_vectors():
    a, b = uniform(2, 2, 3), uniform(3, 2, 2)
    sym = mx.sym.dot(mx.sym.var('a'), mx.sym.var('b'))
    out, _ = run(sym, a=a, b=b)
    np.testing.assert_allclose(out, np.tensordot(a, b, axes=1), rtol=1e-12)
    numeric_check(sym, a=a, b=b)
    u, v = uniform(3), uniform(3)
    np.testing.assert_allclose(run(sym, a=u, b=v)[0], [u @ v], rtol=1e-12)


@pytest.mark.parametrize('ta,tb', [(False, False), (True, True)])
def test_batch_dot(ta, tb):
    a, b = uniform(3, 2, 4), uniform(3, 4, 5)
    a_in = a.transpose(0, 2, 1).copy() if ta else a
    b_in = b.transpose(0, 2, 1).copy() if tb else b
    sym = mx.sym.batch_dot(mx.sym.var('a'), mx.sym.var('b'), transpose_a=ta, transpose_b=tb)
    out, _ = run(sym, a=a_in, b=b_in)
    np.testing.assert_allclose(out, np.matmul(a, b), rtol=1e-12)
    numeric_check(sym, a=a_in, b=b_in)


# ---------------------------------------------------------------- slicing and friends
def test_slice_family():
    x = uniform(3, 4, 5)
    sym = mx.sym.slice(X, begin=(None, 3, 1), end=(None, 0, None), step=(None, -1, 2))
    np.testing.assert_array_equal(run(sym, x=x)[0], x[:, 3:0:-1, 1::2])
    numeric_check(sym, x=x)
    sym = mx.sym.slice_axis(X, axis=1, begin=1, end=3)
    np.testing.assert_array_equal(run(sym, x=x)[0], x[:, 1:3])
    numeric_check(sym, x=x)
    sym = mx.sym.slice_like(X, mx.sym.var('y'), axes=(0, 2))
    np.testing.assert_array_equal(run(sym, x=x, y=np.zeros((2, 1, 3)))[0], x[:2, :, :3])
    sym = mx.sym.reverse(X, axis=(0, 2))
    np.testing.assert_array_equal(run(sym, x=x)[0], x[::-1, :, ::-1])
    numeric_check(sym, x=x)


def test_tile_repeat():
    x = uniform(2, 3)
    sym = mx.sym.tile(X, reps=(2, 1, 2))
    np.testing.assert_array_equal(run(sym, x=x)[0], np.tile(x, (2, 1, 2)))
    numeric_check(sym, x=x)
    for axis in (None, 0, 1):
        sym = mx.sym.repeat(X, repeats=2) if axis is None else mx.sym.repeat(X, repeats=2, axis=axis)
        np.testing.assert_array_equal(run(sym, x=x)[0], np.repeat(x, 2, axis=axis))
        numeric_check(sym, x=x)


def test_take_one_hot_where():
    x = uniform(4, 3)
    idx = np.array([[3, 0], [9, 0]], dtype=np.float64)
    sym = mx.sym.take(X, mx.sym.var('i'))
    np.testing.assert_array_equal(run(sym, x=x, i=idx)[0], x[np.clip(idx, 0, 3).astype(int)])
    numeric_check(sym, x=x, i=idx, skip=('i',))
    oh = mx.sym.one_hot(mx.sym.var('i'), depth=4)
    np.testing.assert_array_equal(run(oh, i=np.array([1.0, 3.0, 0.0]))[0], np.eye(4)[[1, 3, 0]])
    c = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
    y = uniform(4, 3)
    sym = mx.sym.where(mx.sym.var('c'), X, mx.sym.var('y'))
    np.testing.assert_array_equal(run(sym, c=c, x=x, y=y)[0], np.where(c != 0, x, y))
    numeric_check(sym, c=c, x=x, y=y, skip=('c',))


# ---------------------------------------------------------------- ordering
def test_sort_argsort_topk():
    x = RNG.permutation(12).reshape(3, 4).astype(np.float64)
    np.testing.assert_array_equal(run(mx.sym.sort(X), x=x)[0], np.sort(x, axis=-1))
    np.testing.assert_array_equal(run(mx.sym.sort(X, axis=0, is_ascend=False), x=x)[0],
                                  -np.sort(-x, axis=0))
    np.testing.assert_array_equal(run(mx.sym.argsort(X, axis=1), x=x)[0], np.argsort(x, axis=1))
    np.testing.assert_array_equal(run(mx.sym.topk(X, k=2), x=x)[0],
                                  np.argsort(-x, axis=-1)[:, :2])
    np.testing.assert_array_equal(run(mx.sym.topk(X, k=2, ret_typ='value'), x=x)[0],
                                  -np.sort(-x, axis=-1)[:, :2])
    head = uniform(3, 2)
    _, g = run(mx.sym.topk(X, k=2, ret_typ='value'), head, x=x)
    expected = np.zeros_like(x)
    np.put_along_axis(expected, np.argsort(-x, axis=-1)[:, :2], head, axis=-1)
    np.testing.assert_array_equal(g['x'], expected)


def test_float32_paths():
    a, b = uniform(3, 4).astype(np.float32), uniform(4, 2).astype(np.float32)
    ex = mx.sym.dot(mx.sym.var('a'), mx.sym.var('b')).bind(
        mx.cpu(), args={'a': mx.nd.array(a), 'b': mx.nd.array(b)})
    out = ex.forward()[0].asnumpy()
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, a @ b, rtol=1e-5)
    sym = mx.sym.mean(mx.sym.broadcast_mul(mx.sym.var('a'), mx.sym.var('c')), axis=0)
    c = uniform(1, 4).astype(np.float32)
    out = sym.bind(mx.cpu(), args={'a': mx.nd.array(a), 'c': mx.nd.array(c)}).forward()[0]
    np.testing.assert_allclose(out.asnumpy(), (a * c).mean(axis=0), rtol=1e-5)
