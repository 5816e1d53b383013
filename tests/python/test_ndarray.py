"""NDArray creation, copies to and from numpy, and the MXNet conventions around them."""
import numpy as np
import pytest

import loom as mx


def test_array_from_lists_defaults_to_float32():
    a = mx.nd.array([[1, 2, 3], [4, 5, 6]])
    assert a.shape == (2, 3)
    assert a.dtype == np.float32
    assert a.size == 6
    assert a.ndim == 2
    assert len(a) == 2
    assert a.context == mx.cpu(0)
    np.testing.assert_array_equal(a.asnumpy(), [[1, 2, 3], [4, 5, 6]])


def test_array_from_numpy_follows_mxnet_dtype_rules():
    src = np.arange(6, dtype=np.int32).reshape(2, 3)
    assert mx.nd.array(src).dtype == np.float32  # MXNet 1.9.1: float32 unless dtype given
    as_int = mx.nd.array(src, dtype=np.int32)
    assert as_int.dtype == np.int32
    np.testing.assert_array_equal(as_int.asnumpy(), src)
    assert mx.nd.array(as_int).dtype == np.int32  # an NDArray source keeps its dtype
    f64 = mx.nd.array(np.linspace(0, 1, 5), dtype='float64')
    assert f64.dtype == np.float64
    np.testing.assert_array_equal(f64.asnumpy(), np.linspace(0, 1, 5))


@pytest.mark.parametrize('dtype', [np.float32, np.float64, np.float16, np.uint8, np.int32,
                                   np.int8, np.int64])
def test_dtypes_round_trip(dtype):
    src = (np.arange(12) % 7).astype(dtype).reshape(3, 4)
    a = mx.nd.array(src, dtype=dtype)
    assert a.dtype == dtype
    out = a.asnumpy()
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, src)


def test_zeros_ones_empty_full():
    z = mx.nd.zeros((2, 3))
    assert z.dtype == np.float32
    np.testing.assert_array_equal(z.asnumpy(), np.zeros((2, 3)))
    o = mx.nd.ones(4, dtype='float64')
    assert o.shape == (4,)
    assert o.dtype == np.float64
    np.testing.assert_array_equal(o.asnumpy(), np.ones(4))
    e = mx.nd.empty((3, 2), mx.cpu())
    assert e.shape == (3, 2)
    f = mx.nd.full((2, 2), 7.5)
    np.testing.assert_array_equal(f.asnumpy(), np.full((2, 2), 7.5))


def test_setitem_whole_array():
    a = mx.nd.zeros((2, 3))
    a[:] = 5
    np.testing.assert_array_equal(a.asnumpy(), np.full((2, 3), 5))
    a[:] = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(a.asnumpy(), np.arange(6).reshape(2, 3))
    a[:] = np.array([1, 2, 3])  # broadcast, as MXNet does
    np.testing.assert_array_equal(a.asnumpy(), [[1, 2, 3], [1, 2, 3]])
    b = mx.nd.ones((2, 3))
    a[:] = b
    np.testing.assert_array_equal(a.asnumpy(), np.ones((2, 3)))
    with pytest.raises(ValueError):
        a[:] = np.zeros((3, 3))


def test_setitem_parts_and_row_views():
    a = mx.nd.zeros((3, 2))
    a[1] = 4
    a[2, 1] = 9
    np.testing.assert_array_equal(a.asnumpy(), [[0, 0], [4, 4], [0, 9]])
    row = a[1]
    np.testing.assert_array_equal(row.asnumpy(), [4, 4])
    row[:] = 1  # a view, as in MXNet: the parent changes
    np.testing.assert_array_equal(a.asnumpy(), [[0, 0], [1, 1], [0, 9]])


def test_copyto_and_copy():
    a = mx.nd.array([1, 2, 3])
    b = mx.nd.zeros(3)
    assert a.copyto(b) is b
    np.testing.assert_array_equal(b.asnumpy(), [1, 2, 3])
    c = a.copyto(mx.cpu())
    assert c.handle != a.handle
    np.testing.assert_array_equal(c.asnumpy(), [1, 2, 3])
    d = a.copy()
    d[:] = 0
    np.testing.assert_array_equal(a.asnumpy(), [1, 2, 3])
    with pytest.raises(ValueError):
        a.copyto(mx.nd.zeros(4))
    assert a.as_in_context(mx.cpu()) is a


def test_astype():
    a = mx.nd.array([1.5, 2.5])
    b = a.astype('int32')
    assert b.dtype == np.int32
    np.testing.assert_array_equal(b.asnumpy(), [1, 2])
    assert a.astype(np.float32, copy=False) is a


def test_numpy_interop():
    a = mx.nd.array([[1, 2], [3, 4]])
    np.testing.assert_array_equal(np.asarray(a), [[1, 2], [3, 4]])
    assert np.asarray(a, dtype=np.float64).dtype == np.float64
    assert mx.nd.array([3]).asscalar() == 3
    with pytest.raises(ValueError):
        a.asscalar()


def test_repr_like_mxnet():
    a = mx.nd.array([[1, 2, 3], [4, 5, 6]])
    text = repr(a)
    assert text.startswith('\n[[')
    assert text.endswith('\n<NDArray 2x3 @cpu(0)>')


def test_host_arithmetic():
    a = mx.nd.ones((2, 3)) * 2
    assert isinstance(a, mx.nd.NDArray)
    np.testing.assert_array_equal(a.asnumpy(), np.full((2, 3), 2))
    b = 1 - a / 4 + a * a
    np.testing.assert_allclose(b.asnumpy(), np.full((2, 3), 4.5))
    a += 1
    np.testing.assert_array_equal(a.asnumpy(), np.full((2, 3), 3))
    np.testing.assert_array_equal((-a).asnumpy(), np.full((2, 3), -3))
    assert (a + np.ones((2, 3))).dtype == np.float32


def test_wait_and_free():
    a = mx.nd.ones((2, 2))
    a.wait_to_read()
    mx.nd.waitall()
    handle = a.handle
    assert handle
    del a  # frees the handle; nothing else to observe but no crash


def test_context_default_and_with():
    assert mx.current_context() == mx.cpu(0)
    with mx.Context('cpu', 0):
        assert mx.nd.zeros(2).context == mx.cpu(0)
    if mx.context.num_gpus() > 0:
        with mx.gpu(0):
            g = mx.nd.array([1, 2, 3])
            assert g.context == mx.gpu(0)
            np.testing.assert_array_equal(g.asnumpy(), [1, 2, 3])
        assert mx.current_context() == mx.cpu(0)
