"""NDArray operators on the integer dtypes run in the engine's kernels with MXNet 1.9.1's
integer semantics: wrap-around arithmetic, truncating division, a scalar converted to the
array's dtype first (int32 array * 2.5 multiplies by 2), comparisons giving 1/0 in the input's
dtype, reductions accumulating in the dtype. The expected values in
tests/golden/int_dtype_refs.json come from MXNet 1.9.1 (tools/gen_int_dtype_refs.py); there is
no numpy fallback, so a dtype without a kernel raises MXNetError naming the operator."""
import json

import numpy as np
import pytest

import loom as mx
from loom.base import MXNetError

from common import GOLDEN_DIR

_REFS = json.loads((GOLDEN_DIR / 'int_dtype_refs.json').read_text())


def _evaluate(dtype, expr):
    x, y, z = _REFS['operands'][dtype]
    env = {'mx': mx, 'DT': dtype,
           'a': mx.nd.array(np.array(x, dtype=dtype), dtype=dtype),
           'b': mx.nd.array(np.array(y, dtype=dtype), dtype=dtype),
           'c': mx.nd.array(np.array(z, dtype=dtype), dtype=dtype),
           'B': mx.nd.array(np.array(_REFS['big_int64'], dtype=np.int64), dtype='int64')}
    return eval(expr, env)


@pytest.mark.parametrize('case', _REFS['cases'], ids=lambda c: '%s:%s' % (c['dtype'], c['expr']))
def test_matches_mxnet(case):
    got = _evaluate(case['dtype'], case['expr'])
    assert isinstance(got, mx.nd.NDArray)
    value = got.asnumpy()
    assert value.dtype.name == case['out_dtype']
    assert list(value.shape) == case['shape']
    expected = np.array(case['value'], dtype=case['out_dtype']).reshape(case['shape'])
    np.testing.assert_array_equal(value, expected)


def test_reference_covers_each_dtype_and_family():
    dtypes = {c['dtype'] for c in _REFS['cases']}
    assert dtypes == {'int8', 'uint8', 'int32', 'int64'}
    exprs = {c['expr'] for c in _REFS['cases']}
    for needle in ['a / b', 'a * 2.5', 'broadcast_add', 'mx.nd.sum', 'concat', 'a.T']:
        assert any(needle in e for e in exprs), needle


@pytest.mark.parametrize('dtype', ['int8', 'uint8', 'int32', 'int64'])
def test_numpy_agreeing_cases(dtype):
    # Where MXNet's integer semantics agree with numpy's: exact wrap-around add/mul,
    # comparisons, min/max, reductions without overflow, layout ops.
    rng = np.random.RandomState(7)
    lo, hi = (0, 50) if dtype == 'uint8' else (-50, 50)
    x = rng.randint(lo, hi, size=(3, 4)).astype(dtype)
    y = rng.randint(lo, hi, size=(3, 4)).astype(dtype)
    a, b = mx.nd.array(x, dtype=dtype), mx.nd.array(y, dtype=dtype)
    np.testing.assert_array_equal((a + b).asnumpy(), x + y)
    np.testing.assert_array_equal((a * b).asnumpy(), x * y)
    np.testing.assert_array_equal((a - b).asnumpy(), x - y)
    np.testing.assert_array_equal((a > b).asnumpy(), (x > y).astype(dtype))
    np.testing.assert_array_equal(mx.nd.maximum(a, b).asnumpy(), np.maximum(x, y))
    np.testing.assert_array_equal(mx.nd.max(a, axis=0).asnumpy(), x.max(axis=0))
    np.testing.assert_array_equal(mx.nd.min(a, axis=1).asnumpy(), x.min(axis=1))
    np.testing.assert_array_equal(mx.nd.sum(a, axis=1).asnumpy(),
                                  x.sum(axis=1).astype(dtype))
    np.testing.assert_array_equal(mx.nd.transpose(a).asnumpy(), x.T)
    np.testing.assert_array_equal(mx.nd.concat(a, b, dim=0).asnumpy(), np.concatenate([x, y]))
    np.testing.assert_array_equal(mx.nd.reverse(a, axis=0).asnumpy(), x[::-1])
    np.testing.assert_array_equal(mx.nd.broadcast_add(a, b[0:1]).asnumpy(), x + y[0:1])


@pytest.mark.parametrize('dtype', ['int8', 'uint8', 'int32', 'int64'])
def test_in_place_and_fill(dtype):
    a = mx.nd.array([1, 2, 3], dtype=dtype)
    a += 2
    a *= 3
    assert a.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(a.asnumpy(), np.array([9, 12, 15], dtype=dtype))
    a /= 2
    np.testing.assert_array_equal(a.asnumpy(), np.array([4, 6, 7], dtype=dtype))
    a[:] = 5.9
    np.testing.assert_array_equal(a.asnumpy(), np.array([5, 5, 5], dtype=dtype))
    z = mx.nd.zeros((2, 2), dtype=dtype)
    o = mx.nd.ones((2, 2), dtype=dtype)
    np.testing.assert_array_equal((z + o).asnumpy(), np.ones((2, 2), dtype=dtype))
    np.testing.assert_array_equal(mx.nd.full((2,), 7, dtype=dtype).asnumpy(),
                                  np.array([7, 7], dtype=dtype))


@pytest.mark.parametrize('dtype', ['int32', 'int64', 'int8'])
def test_integer_division_by_zero_gives_zero_not_a_crash(dtype):
    # MXNet 1.9.1 dies with SIGFPE here; Loom gives 0 (mod by zero is 0 in MXNet too).
    a = mx.nd.array([5, -4, 0], dtype=dtype)
    z = mx.nd.zeros((3,), dtype=dtype)
    np.testing.assert_array_equal((a / z).asnumpy(), np.zeros(3, dtype=dtype))
    np.testing.assert_array_equal((a / 0).asnumpy(), np.zeros(3, dtype=dtype))
    np.testing.assert_array_equal((a % 0).asnumpy(), np.zeros(3, dtype=dtype))
    m = mx.nd.array([np.iinfo(dtype).min], dtype=dtype)
    np.testing.assert_array_equal((m / -1).asnumpy(), m.asnumpy())  # wraps, no SIGFPE


def test_int64_scalar_ops_are_exact():
    big = 2 ** 53 + 1
    a = mx.nd.array(np.array([big, -big], dtype=np.int64), dtype='int64')
    np.testing.assert_array_equal((a + 1).asnumpy(), np.array([big + 1, -big + 1]))
    np.testing.assert_array_equal((a * 1).asnumpy(), np.array([big, -big]))
    np.testing.assert_array_equal((a / 1).asnumpy(), np.array([big, -big]))
    np.testing.assert_array_equal(mx.nd.sum(a).asnumpy(), np.array([0]))


@pytest.mark.parametrize('expr, op', [
    ('a + 1', '_plus_scalar'),
    ('a * a', 'elemwise_mul'),
    ('mx.nd.sum(a)', 'sum'),
    ('-a', 'negative'),
    ('mx.nd.broadcast_add(a, a)', 'broadcast_add'),
])
@pytest.mark.parametrize('dtype', ['bool', 'float16'])
def test_unsupported_dtype_raises_naming_op_and_dtype(expr, op, dtype):
    a = mx.nd.array([1, 0, 1], dtype=dtype)
    with pytest.raises(MXNetError) as err:
        eval(expr, {'mx': mx, 'a': a}).asnumpy()
    msg = str(err.value)
    assert op in msg and dtype in msg
