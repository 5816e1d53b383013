"""mx.nd beyond creation: imperative operators, views, arithmetic, the .params format
(byte-exact against spec §2 and MXNet 1.9.1 fixtures), numpy/DLPack interop, random seeding."""
import json
import struct

import numpy as np
import pytest

import loom as mx
from common import GOLDEN_DIR

PARAMS_DIR = GOLDEN_DIR / 'params'


# ---------------------------------------------------------------------- imperative operators
def test_generated_operator_functions_run_kernels():
    x = mx.nd.array([[-1.0, 0.5], [2.0, -3.0]])
    np.testing.assert_allclose(mx.nd.relu(x).asnumpy(), [[0, 0.5], [2, 0]])
    np.testing.assert_allclose(mx.nd.exp(x).asnumpy(), np.exp(x.asnumpy()), rtol=1e-6)
    np.testing.assert_allclose(mx.nd.Activation(x, act_type='tanh').asnumpy(),
                               np.tanh(x.asnumpy()), rtol=1e-6)
    w = mx.nd.array(np.arange(6).reshape(3, 2))
    b = mx.nd.array([1, 2, 3])
    y = mx.nd.FullyConnected(x, w, b, num_hidden=3)
    np.testing.assert_allclose(y.asnumpy(), x.asnumpy() @ w.asnumpy().T + b.asnumpy())
    y2 = mx.nd.FullyConnected(data=x, weight=w, num_hidden=3, no_bias=True)
    np.testing.assert_allclose(y2.asnumpy(), x.asnumpy() @ w.asnumpy().T)
    assert callable(mx.nd.op.relu) and callable(mx.nd._internal._plus_scalar)


def test_operator_out_argument_writes_in_place():
    x = mx.nd.array([1, 2, 3])
    out = mx.nd.zeros((3,))
    r = mx.nd.square(x, out=out)
    assert r is out
    np.testing.assert_array_equal(out.asnumpy(), [1, 4, 9])
    mx.nd.sqrt(out, out=out)  # output aliasing the input
    np.testing.assert_allclose(out.asnumpy(), [1, 2, 3])


def test_variadic_operator_and_fluent_methods():
    a, b, c = mx.nd.ones((2,)), mx.nd.full((2,), 2), mx.nd.full((2,), 3)
    np.testing.assert_array_equal(mx.nd.add_n(a, b, c).asnumpy(), [6, 6])
    x = mx.nd.array([[1, -2], [3, -4]])
    np.testing.assert_array_equal(x.abs().asnumpy(), [[1, 2], [3, 4]])
    np.testing.assert_array_equal(x.clip(-1, 1).asnumpy(), [[1, -1], [1, -1]])


def test_invoke_errors_name_the_operator():
    w = mx.nd.ones((3, 5))
    with pytest.raises(mx.MXNetError, match='FullyConnected'):
        mx.nd.FullyConnected(mx.nd.ones((2, 4)), w, num_hidden=3, no_bias=True)
    with pytest.raises(mx.MXNetError, match='elemwise_add'):
        mx.nd.elemwise_add(mx.nd.ones((2,)), mx.nd.ones((3,)))
    with pytest.raises(mx.MXNetError, match='num_hidden'):
        mx.nd.FullyConnected(mx.nd.ones((2, 4)), w, no_bias=True)


# ---------------------------------------------------------------------- arithmetic
def test_arithmetic_against_numpy():
    an = np.array([[1.5, -2.0, 3.0], [4.0, 5.0, -6.0]], dtype=np.float32)
    bn = np.array([[2.0, 1.0, -1.0], [0.5, 2.0, 3.0]], dtype=np.float32)
    a, b = mx.nd.array(an), mx.nd.array(bn)
    for got, want in [(a + b, an + bn), (a - b, an - bn), (a * b, an * bn), (a / b, an / bn),
                      (a + 2, an + 2), (2 - a, 2 - an), (a * 3, an * 3), (3 / a, 3 / an),
                      (a / 2, an / 2), (a ** 2, an ** 2), (2 ** b, 2 ** bn), (-a, -an),
                      (abs(a), np.abs(an)), (a % 2, np.mod(an, 2))]:
        assert got.dtype == np.float32
        np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6)


def test_comparisons_return_zero_one_arrays_of_the_same_dtype():
    a = mx.nd.array([1, 2, 3])
    b = mx.nd.array([3, 2, 1])
    for got, want in [(a == b, [0, 1, 0]), (a != b, [1, 0, 1]), (a > b, [0, 0, 1]),
                      (a >= b, [0, 1, 1]), (a < b, [1, 0, 0]), (a <= b, [1, 1, 0]),
                      (a > 1, [0, 1, 1]), (a == 2, [0, 1, 0]), (2 < a, [0, 0, 1])]:
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got.asnumpy(), want)


def test_integer_division_truncates_like_mxnet():
    a = mx.nd.array([1, 2, 7], dtype='int32')
    got = a / 2
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got.asnumpy(), [0, 1, 3])


def test_in_place_operators_keep_identity_and_views():
    a = mx.nd.array([[1, 2], [3, 4]])
    row = a[1]
    ident = id(a)
    a += 1
    a -= mx.nd.array([[0, 1], [1, 0]])
    a *= 2
    a /= 4
    assert id(a) == ident
    want = ((np.array([[1, 2], [3, 4]]) + 1 - np.array([[0, 1], [1, 0]])) * 2) / 4
    np.testing.assert_allclose(a.asnumpy(), want)
    np.testing.assert_allclose(row.asnumpy(), want[1])  # the view saw the in-place writes


def test_broadcasting_binary_ops():
    a = mx.nd.array(np.arange(6).reshape(2, 3))
    b = mx.nd.array([10, 20, 30])
    np.testing.assert_allclose((a + b).asnumpy(), np.arange(6).reshape(2, 3) + [10, 20, 30])
    np.testing.assert_allclose((a * mx.nd.array([[2], [3]])).asnumpy(),
                               np.arange(6).reshape(2, 3) * [[2], [3]])


def test_numpy_operands():
    a = mx.nd.array([1, 2, 3])
    r = a + np.array([1, 1, 1])
    assert isinstance(r, mx.nd.NDArray)
    np.testing.assert_array_equal(r.asnumpy(), [2, 3, 4])
    r2 = np.array([1.0, 1.0, 1.0]) * a
    assert isinstance(r2, mx.nd.NDArray)


# ---------------------------------------------------------------------- views and indexing
def test_basic_slicing_returns_views_sharing_memory():
    x = mx.nd.array(np.arange(12).reshape(4, 3))
    row = x[1]
    assert row.shape == (3,)
    row[:] = 7
    block = x[2:4]
    assert block.shape == (2, 3)
    block[:] = -1
    ref = np.arange(12).reshape(4, 3).astype(np.float32)
    ref[1] = 7
    ref[2:4] = -1
    np.testing.assert_array_equal(x.asnumpy(), ref)
    x[0] = mx.nd.array([5, 6, 7])  # write through a view from the parent
    ref[0] = [5, 6, 7]
    np.testing.assert_array_equal(x.asnumpy(), ref)
    np.testing.assert_array_equal(x[-1].asnumpy(), ref[-1])
    assert x[1, 2].shape == (1,) and x[1, 2].asscalar() == ref[1, 2]
    assert mx.nd.array([1, 2, 3])[0].shape == (1,)


def test_general_indexing_copies_like_mxnet():
    x = mx.nd.array(np.arange(12).reshape(4, 3))
    ref = np.arange(12).reshape(4, 3).astype(np.float32)
    np.testing.assert_array_equal(x[::2].asnumpy(), ref[::2])
    np.testing.assert_array_equal(x[:, 1].asnumpy(), ref[:, 1])
    np.testing.assert_array_equal(x[1:3, 0:2].asnumpy(), ref[1:3, 0:2])
    col = x[:, 1]
    col[:] = 100  # a copy: the parent is unchanged (MXNet 1.9.1 behaves the same)
    np.testing.assert_array_equal(x.asnumpy(), ref)
    x[:, 1] = 9
    ref[:, 1] = 9
    x[::2, 0] = mx.nd.array([1, 2])
    ref[::2, 0] = [1, 2]
    np.testing.assert_array_equal(x.asnumpy(), ref)
    with pytest.raises(IndexError):
        x[4]


def test_reshape_views_and_special_values():
    x = mx.nd.array(np.arange(24).reshape(2, 3, 4))
    assert x.reshape((0, -1)).shape == (2, 12)
    assert x.reshape(-1).shape == (24,)
    assert x.reshape(4, 6).shape == (4, 6)
    assert x.reshape((-2,)).shape == (2, 3, 4)
    assert x.reshape((-3, 4)).shape == (6, 4)
    assert x.reshape((2, -4, 3, 1, 4)).shape == (2, 3, 1, 4)
    assert x.reshape(shape=(-1, 0), reverse=True).shape == (6, 4)
    v = x.reshape((6, 4))
    v[:] = 1
    np.testing.assert_array_equal(x.asnumpy(), np.ones((2, 3, 4)))
    with pytest.raises(mx.MXNetError):
        x.reshape((5, 5))


def test_properties_copy_astype_context():
    x = mx.nd.array([[1, 2, 3], [4, 5, 6]], dtype='float64')
    assert x.shape == (2, 3) and x.size == 6 and x.ndim == 2 and x.dtype == np.float64
    assert x.context == mx.cpu(0)
    np.testing.assert_array_equal(x.T.asnumpy(), x.asnumpy().T)
    c = x.copy()
    c[:] = 0
    assert x.asnumpy()[0, 0] == 1
    y = x.astype('int32')
    assert y.dtype == np.int32
    np.testing.assert_array_equal(y.asnumpy(), [[1, 2, 3], [4, 5, 6]])
    assert x.astype('float64', copy=False) is x
    target = mx.nd.zeros((2, 3), dtype='float64')
    assert x.copyto(target) is target
    np.testing.assert_array_equal(target.asnumpy(), x.asnumpy())
    assert x.as_in_context(mx.cpu(0)) is x
    z = x.copyto(mx.cpu(0))
    np.testing.assert_array_equal(z.asnumpy(), x.asnumpy())
    assert mx.nd.array([3.5]).asscalar() == np.float32(3.5)
    with pytest.raises(ValueError):
        x.asscalar()
    x.wait_to_read()
    mx.nd.waitall()


def test_creation_functions():
    np.testing.assert_array_equal(mx.nd.zeros((2, 2), dtype='int32').asnumpy(), np.zeros((2, 2)))
    assert mx.nd.zeros((2, 2), dtype='int32').dtype == np.int32
    np.testing.assert_array_equal(mx.nd.ones(3).asnumpy(), np.ones(3))
    np.testing.assert_array_equal(mx.nd.full((2,), 3).asnumpy(), [3, 3])
    np.testing.assert_allclose(mx.nd.arange(0, 5, 2).asnumpy(), [0, 2, 4])
    np.testing.assert_allclose(mx.nd.arange(3, repeat=2).asnumpy(), [0, 0, 1, 1, 2, 2])
    np.testing.assert_allclose(mx.nd.linspace(0, 1, 5).asnumpy(), [0, .25, .5, .75, 1])
    np.testing.assert_array_equal(mx.nd.eye(3, k=1).asnumpy(), np.eye(3, k=1))
    np.testing.assert_array_equal(mx.nd.eye(2, 3).asnumpy(), np.eye(2, 3))
    assert mx.nd.arange(3).dtype == np.float32


# ---------------------------------------------------------------------- .params format
def _record(arr, dtype_flag, dims):
    out = struct.pack('<Ii', 0xF993FAC9, 0) + struct.pack('<i', len(dims))
    out += struct.pack('<%dq' % len(dims), *dims)
    out += struct.pack('<iii', 1, 0, dtype_flag)
    return out + np.ascontiguousarray(arr).tobytes()


def _container(records, names):
    out = struct.pack('<QQQ', 0x112, 0, len(records)) + b''.join(records)
    out += struct.pack('<Q', len(names))
    for n in names:
        out += struct.pack('<Q', len(n)) + n.encode()
    return out


def test_save_matches_the_spec_worked_example(tmp_path):
    f = tmp_path / 'ex.params'
    mx.nd.save(str(f), {'arg:fc1_bias': mx.nd.array([1, 2])})
    data = f.read_bytes()
    assert len(data) == 92
    expected = _container([_record(np.array([1, 2], np.float32), 0, [2])], ['arg:fc1_bias'])
    assert data == expected
    assert data == (PARAMS_DIR / 'example_92.params').read_bytes()


@pytest.mark.parametrize('dtype,flag', [('float32', 0), ('float64', 1), ('float16', 2),
                                        ('uint8', 3), ('int32', 4), ('int8', 5), ('int64', 6)])
def test_save_layout_per_dtype(tmp_path, dtype, flag):
    src = (np.arange(6) - 2).reshape(2, 3).astype(dtype)
    f = tmp_path / 'x.params'
    mx.nd.save(str(f), [mx.nd.array(src, dtype=dtype)])
    assert f.read_bytes() == _container([_record(src, flag, [2, 3])], [])
    back = mx.nd.load(str(f))
    assert isinstance(back, list) and back[0].dtype == np.dtype(dtype)
    np.testing.assert_array_equal(back[0].asnumpy(), src)


def test_round_trips_list_dict_and_single(tmp_path):
    f = str(tmp_path / 'a.params')
    arrays = {'arg:w': mx.nd.array(np.random.rand(3, 4)), 'aux:m': mx.nd.array([1, 2, 3])}
    mx.nd.save(f, arrays)
    back = mx.nd.load(f)
    assert list(back) == ['arg:w', 'aux:m']
    for k in arrays:
        np.testing.assert_array_equal(back[k].asnumpy(), arrays[k].asnumpy())
    mx.nd.save(f, [arrays['arg:w'], arrays['aux:m']])
    back = mx.nd.load(f)
    assert isinstance(back, list) and len(back) == 2
    mx.nd.save(f, arrays['aux:m'])
    assert len(mx.nd.load(f)) == 1
    mx.nd.save(f, [])
    assert mx.nd.load(f) == []
    with open(f, 'rb') as fh:
        frombuf = mx.nd.load_frombuffer(fh.read())
    assert frombuf == []


def test_views_save_only_their_elements(tmp_path):
    x = mx.nd.array(np.arange(12).reshape(4, 3))
    f = str(tmp_path / 'v.params')
    mx.nd.save(f, [x[1:3]])
    np.testing.assert_array_equal(mx.nd.load(f)[0].asnumpy(), np.arange(3, 9).reshape(2, 3))


@pytest.mark.parametrize('fname', ['example_92.params', 'dict_f32.params', 'list_dtypes.params',
                                   'single.params'])
def test_mxnet_fixtures_load_and_save_byte_identical(tmp_path, fname):
    spec = json.loads((PARAMS_DIR / 'values.json').read_text())[fname]
    loaded = mx.nd.load(str(PARAMS_DIR / fname))
    if spec['form'] == 'dict':
        assert isinstance(loaded, dict)
        items = list(loaded.items())
    else:
        assert isinstance(loaded, list)
        items = [(None, v) for v in loaded]
    assert len(items) == len(spec['arrays'])
    for (name, arr), want in zip(items, spec['arrays']):
        assert name == want['name']
        assert np.dtype(arr.dtype).name == want['dtype']
        assert list(arr.shape) == want['shape']
        np.testing.assert_array_equal(arr.asnumpy().ravel(),
                                      np.array(want['values']).astype(want['dtype']))
    out = tmp_path / fname
    mx.nd.save(str(out), loaded)
    assert out.read_bytes() == (PARAMS_DIR / fname).read_bytes()
    buf = mx.nd.load_frombuffer((PARAMS_DIR / fname).read_bytes())
    assert len(buf) == len(items)


def test_v1_and_legacy_records_load():
    vals = np.array([1.5, -2.5, 3.0], np.float32)
    v1 = struct.pack('<I', 0xF993FAC8) + struct.pack('<iq', 1, 3) + \
        struct.pack('<iii', 1, 0, 0) + vals.tobytes()
    legacy = struct.pack('<II', 1, 3) + struct.pack('<iii', 1, 0, 0) + vals.tobytes()
    data = struct.pack('<QQQ', 0x112, 0, 2) + v1 + legacy + struct.pack('<Q', 0)
    a, b = mx.nd.load_frombuffer(data)
    np.testing.assert_array_equal(a.asnumpy(), vals)
    np.testing.assert_array_equal(b.asnumpy(), vals)


def test_corrupt_and_truncated_files_raise(tmp_path):
    good = (PARAMS_DIR / 'dict_f32.params').read_bytes()
    for cut in [0, 4, 8, 23, 24, 30, 60, len(good) - 20, len(good) - 1]:
        with pytest.raises(mx.MXNetError):
            mx.nd.load_frombuffer(good[:cut])
    bad_magic = b'\x13' + good[1:]
    with pytest.raises(mx.MXNetError, match='Invalid NDArray file format'):
        mx.nd.load_frombuffer(bad_magic)
    # A huge array count, a huge dim and a huge name length must fail before allocating.
    huge_n = good[:16] + struct.pack('<Q', 2 ** 62) + good[24:]
    with pytest.raises(mx.MXNetError):
        mx.nd.load_frombuffer(huge_n)
    rec = struct.pack('<QQQ', 0x112, 0, 1) + struct.pack('<Ii', 0xF993FAC9, 0) + \
        struct.pack('<iqq', 2, 2 ** 40, 2 ** 40) + struct.pack('<iii', 1, 0, 0) + b'\0' * 16
    with pytest.raises(mx.MXNetError, match='truncated'):
        mx.nd.load_frombuffer(rec)
    names_bad = _container([_record(np.zeros(1, np.float32), 0, [1])], ['x'])
    names_bad = names_bad[:-9] + struct.pack('<Q', 2 ** 60) + b'x'
    with pytest.raises(mx.MXNetError):
        mx.nd.load_frombuffer(names_bad)
    wrong_k = _container([_record(np.zeros(1, np.float32), 0, [1])] * 2, ['x'])
    with pytest.raises(mx.MXNetError, match='names'):
        mx.nd.load_frombuffer(wrong_k)
    bad_dtype = _container([_record(np.zeros(1, np.float32), 99, [1])], [])
    with pytest.raises(mx.MXNetError, match='dtype'):
        mx.nd.load_frombuffer(bad_dtype)
    f = tmp_path / 'trunc.params'
    f.write_bytes(good[:100])
    with pytest.raises(mx.MXNetError, match='trunc.params'):
        mx.nd.load(str(f))
    with pytest.raises(mx.MXNetError):
        mx.nd.load(str(tmp_path / 'missing.params'))
    # the process is still usable
    assert mx.nd.load_frombuffer(good)['arg:fc1_bias'].shape == (3,)


def test_raw_bytes_round_trip():
    a = mx.nd.array([[1, 2], [3, 4]], dtype='float64')
    raw = mx.base._LIB.MXNDArraySaveRawBytes(a.handle)
    assert raw == _record(a.asnumpy(), 1, [2, 2])
    b = mx.nd.NDArray(mx.base._LIB.MXNDArrayLoadFromRawBytes(raw))
    np.testing.assert_array_equal(b.asnumpy(), a.asnumpy())


# ---------------------------------------------------------------------- numpy / DLPack
def test_numpy_interop():
    a = mx.nd.array([[1, 2], [3, 4]])
    np.testing.assert_array_equal(np.asarray(a), [[1, 2], [3, 4]])
    assert np.asarray(a, dtype=np.float64).dtype == np.float64


def test_dlpack_export_shares_memory():
    a = mx.nd.array([[1, 2], [3, 4]])
    assert a.__dlpack_device__() == (1, 0)
    view = np.from_dlpack(a)
    np.testing.assert_array_equal(view, [[1, 2], [3, 4]])
    a[:] = 5
    np.testing.assert_array_equal(view, np.full((2, 2), 5))
    del a
    np.testing.assert_array_equal(view, np.full((2, 2), 5))  # memory kept alive by the tensor


def test_dlpack_import_shares_memory():
    src = np.arange(6, dtype=np.float64).reshape(2, 3)
    a = mx.nd.from_dlpack(src)
    assert a.shape == (2, 3) and a.dtype == np.float64
    np.testing.assert_array_equal(a.asnumpy(), src)
    a[:] = 1
    np.testing.assert_array_equal(src, np.ones((2, 3)))
    b = mx.nd.from_dlpack(mx.nd.to_dlpack_for_read(mx.nd.array([1, 2, 3])))
    np.testing.assert_array_equal(b.asnumpy(), [1, 2, 3])
    cap = mx.nd.array([7, 8]).to_dlpack_for_write()
    c = mx.nd.from_dlpack(cap)
    np.testing.assert_array_equal(c.asnumpy(), [7, 8])
    with pytest.raises(ValueError):
        mx.nd.from_dlpack(cap)  # consumed
    with pytest.raises(mx.MXNetError):
        mx.nd.from_dlpack(np.arange(6.0).reshape(2, 3).T)  # not row-major


# ---------------------------------------------------------------------- random
def test_seeded_random_is_reproducible():
    mx.random.seed(42)
    u1 = mx.nd.random.uniform(-1, 2, shape=(50,)).asnumpy()
    n1 = mx.random.normal(1, 3, shape=(2, 25)).asnumpy()
    mx.random.seed(42)
    u2 = mx.nd.random.uniform(-1, 2, shape=(50,)).asnumpy()
    n2 = mx.random.normal(1, 3, shape=(2, 25)).asnumpy()
    np.testing.assert_array_equal(u1, u2)
    np.testing.assert_array_equal(n1, n2)
    assert u1.dtype == np.float32 and n1.shape == (2, 25)
    assert u1.min() >= -1 and u1.max() < 2 and len(np.unique(u1)) > 40
    mx.random.seed(43)
    assert not np.array_equal(mx.nd.random.uniform(-1, 2, shape=(50,)).asnumpy(), u1)


def test_zero_dim_arrays_and_hashing_follow_mxnet():
    s = mx.nd.array(5.0)
    assert s.shape == () and s.asnumpy() == 5.0  # MXNet 1.9.1 keeps the 0-d shape
    a = mx.nd.array([1, 2])
    assert len({a: 1}) == 1  # NDArrays are hashable by identity, as in MXNet
    assert not bool(mx.nd.array([0]))
    idx = mx.nd.array([1, 2, 3])[mx.nd.array([0, 2])]
    np.testing.assert_array_equal(idx.asnumpy(), [1, 3])


def test_operator_is_train_flag_and_hidden_outputs():
    x = mx.nd.ones((4, 50))
    y = mx.nd.Dropout(x, p=0.5)  # inference: identity, the mask output stays hidden
    assert isinstance(y, mx.nd.NDArray)
    np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
    mx.random.seed(1)
    t = mx.nd.Dropout(x, p=0.5, is_train=True).asnumpy()
    assert set(np.unique(t)) <= {0.0, 2.0} and 0 < (t == 0).sum() < t.size


def test_records_from_other_devices_and_storage_types():
    vals = np.array([1, 2], np.float32)
    gpu_rec = struct.pack('<Ii', 0xF993FAC9, 0) + struct.pack('<iq', 1, 2) + \
        struct.pack('<iii', 2, 0, 0) + vals.tobytes()
    (a,) = mx.nd.load_frombuffer(struct.pack('<QQQ', 0x112, 0, 1) + gpu_rec +
                                 struct.pack('<Q', 0))
    if mx.num_gpus() == 0:  # as MXNet: GPU-saved arrays stay on the CPU without a GPU
        assert a.context == mx.cpu(0)
    np.testing.assert_array_equal(a.asnumpy(), vals)
    sparse = struct.pack('<Ii', 0xF993FAC9, 1) + struct.pack('<iq', 1, 2)
    with pytest.raises(mx.MXNetError, match='row_sparse'):
        mx.nd.load_frombuffer(struct.pack('<QQQ', 0x112, 0, 1) + sparse + struct.pack('<Q', 0))
    none_rec = struct.pack('<Iii', 0xF993FAC9, 0, 0)  # V2: ndim 0 is an empty (none) array
    (n,) = mx.nd.load_frombuffer(struct.pack('<QQQ', 0x112, 0, 1) + none_rec +
                                 struct.pack('<Q', 0))
    assert n.shape == ()


def test_contiguous_tuple_keys_are_views_as_in_mxnet():
    # Each case checked against MXNet 1.9.1: writing through the result changes the parent.
    cases = [((2, 3), (1, slice(1, 3)), [[1, 2, 3], [4, 0, 0]]),
             ((2, 3), (1, 2), [[1, 2, 3], [4, 5, 0]]),
             ((2, 2, 2), (1, 0), [[[1, 2], [3, 4]], [[0, 0], [7, 8]]]),
             ((2, 3), (slice(0, 1), slice(None)), [[0, 0, 0], [4, 5, 6]])]
    for shape, key, want in cases:
        x = mx.nd.array(np.arange(1, 1 + np.prod(shape)).reshape(shape))
        y = x[key]
        y[:] = 0
        np.testing.assert_array_equal(x.asnumpy(), want)


def test_invalid_utf8_name_is_a_format_error(tmp_path):
    mx.nd.save(str(tmp_path / 'a.params'), {'ab': mx.nd.ones((2,))})
    buf = bytearray((tmp_path / 'a.params').read_bytes())
    at = bytes(buf).rindex(b'ab')
    buf[at] = 0x9e
    with pytest.raises(mx.base.MXNetError, match='UTF-8'):
        mx.nd.load_frombuffer(bytes(buf))


def test_corrupted_params_never_crash():
    """Truncations and random byte changes of an MXNet-written file: each load either succeeds
    or raises MXNetError (deterministic sample of 600 corruptions)."""
    import random
    src = (GOLDEN_DIR / 'exec' / 'lenet.params').read_bytes()
    rng = random.Random(0)
    outcomes = {'ok': 0, 'error': 0}
    for i in range(600):
        buf = bytearray(src)
        if i % 2 == 0:
            buf = buf[:rng.randrange(len(buf))]
        else:
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(min(len(buf), 400))] = rng.randrange(256)
        try:
            mx.nd.load_frombuffer(bytes(buf))
            outcomes['ok'] += 1
        except mx.base.MXNetError:
            outcomes['error'] += 1
    assert outcomes['error'] > 300  # every truncation is an error
