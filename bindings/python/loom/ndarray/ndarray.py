"""NDArray: an n-dimensional array owned by the engine (MXNet's mx.nd.NDArray).

An NDArray holds one NDArrayHandle and frees it when collected. Everything goes through the C
ABI: operators and arithmetic run the engine's kernels (MXImperativeInvoke); `a[i]`, `a[i:j]`
and `a.reshape(...)` are views sharing memory (MXNDArrayAt/Slice/Reshape64), so writing
through them changes the original, as in MXNet; other indexing (steps, tuples with ranges on
later axes, arrays as indices) copies. Data moves to and from numpy with synchronous copies;
`np.from_dlpack(a)` shares memory without a copy.
"""
import operator

import numpy as np

from ..base import _LIB, numeric_types, integer_types, mx_real_t, MXNetError
from ..context import Context, current_context
from . import register as _reg

__all__ = ['NDArray', 'array', 'empty', 'zeros', 'ones', 'full', 'arange', 'linspace', 'eye',
           'waitall', 'concatenate', 'from_dlpack', 'to_dlpack_for_read', 'to_dlpack_for_write',
           'dtype_np_to_mx', 'dtype_mx_to_np']

_DTYPE_NP_TO_MX = {
    np.float32: 0,
    np.float64: 1,
    np.float16: 2,
    np.uint8: 3,
    np.int32: 4,
    np.int8: 5,
    np.int64: 6,
    np.bool_: 7,
}
_DTYPE_MX_TO_NP = {flag: t for t, flag in _DTYPE_NP_TO_MX.items()}


def dtype_np_to_mx(dtype):
    """The engine's dtype flag for a numpy dtype, type or name (None -> -1, unknown)."""
    if dtype is None:
        return -1
    try:
        return _DTYPE_NP_TO_MX[np.dtype(dtype).type]
    except (KeyError, TypeError):
        raise TypeError('dtype %r is not supported; supported: %s'
                        % (dtype, ', '.join(np.dtype(t).name for t in _DTYPE_NP_TO_MX)))


def dtype_mx_to_np(flag):
    """The numpy type for an engine dtype flag (-1 -> None)."""
    if flag == -1:
        return None
    if flag not in _DTYPE_MX_TO_NP:
        raise TypeError('dtype flag %d has no numpy equivalent' % flag)
    return _DTYPE_MX_TO_NP[flag]


def _call(op_name, inputs, params=None, out=None, is_train=False):
    """Runs a registered operator through the engine's kernels. An operator this build does
    not register, or one without a kernel for the device or the inputs' dtype, raises
    MXNetError naming the operator (and the dtype)."""
    info = _reg._info_for(op_name)
    if info is None:
        raise MXNetError('Operator %s is not registered in this build of Loom' % op_name)
    return _reg.invoke(info, inputs, params or {}, out, is_train)


def _is_whole(key):
    return ((isinstance(key, slice) and key == slice(None)) or key is Ellipsis
            or (isinstance(key, tuple) and all(k == slice(None) or k is Ellipsis for k in key)))


# Binary operators: (same-shape op, broadcast op, scalar op, reversed-scalar op)
_BINARY = {
    'add': ('elemwise_add', 'broadcast_add', '_plus_scalar', '_plus_scalar'),
    'sub': ('elemwise_sub', 'broadcast_sub', '_minus_scalar', '_rminus_scalar'),
    'mul': ('elemwise_mul', 'broadcast_mul', '_mul_scalar', '_mul_scalar'),
    'div': ('elemwise_div', 'broadcast_div', '_div_scalar', '_rdiv_scalar'),
    'mod': ('_mod', 'broadcast_mod', '_mod_scalar', '_rmod_scalar'),
    'pow': ('_power', 'broadcast_power', '_power_scalar', '_rpower_scalar'),
    'maximum': ('_maximum', 'broadcast_maximum', '_maximum_scalar', '_maximum_scalar'),
    'minimum': ('_minimum', 'broadcast_minimum', '_minimum_scalar', '_minimum_scalar'),
    'eq': ('_equal', 'broadcast_equal', '_equal_scalar', '_equal_scalar'),
    'ne': ('_not_equal', 'broadcast_not_equal', '_not_equal_scalar', '_not_equal_scalar'),
    'gt': ('_greater', 'broadcast_greater', '_greater_scalar', '_lesser_scalar'),
    'ge': ('_greater_equal', 'broadcast_greater_equal', '_greater_equal_scalar',
           '_lesser_equal_scalar'),
    'lt': ('_lesser', 'broadcast_lesser', '_lesser_scalar', '_greater_scalar'),
    'le': ('_lesser_equal', 'broadcast_lesser_equal', '_lesser_equal_scalar',
           '_greater_equal_scalar'),
    'and': ('_logical_and', 'broadcast_logical_and', '_logical_and_scalar',
            '_logical_and_scalar'),
    'or': ('_logical_or', 'broadcast_logical_or', '_logical_or_scalar', '_logical_or_scalar'),
    'xor': ('_logical_xor', 'broadcast_logical_xor', '_logical_xor_scalar',
            '_logical_xor_scalar'),
}


def _binary(kind, lhs, rhs, out=None, reverse=False):
    """lhs (an NDArray) <kind> rhs (NDArray, scalar or numpy array); reverse swaps operands.
    As in MXNet, a scalar is converted to lhs's dtype by the kernel (int32 array * 2.5
    multiplies by 2)."""
    same, bcast, scal, rscal = _BINARY[kind]
    if isinstance(rhs, numeric_types):
        return _call(rscal if reverse else scal, [lhs], {'scalar': float(rhs)}, out)
    if isinstance(rhs, np.ndarray):
        rhs = array(rhs, ctx=lhs.context, dtype=lhs.dtype)
    if not isinstance(rhs, NDArray):
        return NotImplemented
    a, b = (rhs, lhs) if reverse else (lhs, rhs)
    if a.shape == b.shape:
        return _call(same, [a, b], None, out)
    return _call(bcast, [a, b], None, out)


# MXNet's module-level binary functions (mx.nd.maximum(x, 2), mx.nd.equal(a, b) ...): an
# NDArray on either side picks the same-shape, broadcast or scalar operator; two scalars are
# combined in Python.
_SCALAR_FN = {
    'add': operator.add, 'sub': operator.sub, 'mul': operator.mul, 'div': operator.truediv,
    'mod': operator.mod, 'pow': operator.pow, 'maximum': max, 'minimum': min,
    'eq': lambda x, y: float(x == y), 'ne': lambda x, y: float(x != y),
    'gt': lambda x, y: float(x > y), 'ge': lambda x, y: float(x >= y),
    'lt': lambda x, y: float(x < y), 'le': lambda x, y: float(x <= y),
    'and': lambda x, y: float(bool(x) and bool(y)), 'or': lambda x, y: float(bool(x) or bool(y)),
    'xor': lambda x, y: float(bool(x) != bool(y)),
}


def _module_binary(name, kind):
    def fn(lhs, rhs):
        if isinstance(lhs, NDArray):
            return _binary(kind, lhs, rhs)
        if isinstance(rhs, NDArray):
            return _binary(kind, rhs, lhs, reverse=True)
        if isinstance(lhs, numeric_types) and isinstance(rhs, numeric_types):
            return _SCALAR_FN[kind](lhs, rhs)
        raise TypeError('%s: type %s and %s not supported' % (name, type(lhs), type(rhs)))
    fn.__name__ = name
    fn.__doc__ = ('Element-wise %s of two arrays, or of an array and a scalar, with '
                  'broadcasting (MXNet\'s mx.nd.%s).' % (kind, name))
    return fn


_MODULE_BINARY = [('add', 'add'), ('subtract', 'sub'), ('multiply', 'mul'), ('divide', 'div'),
                  ('true_divide', 'div'), ('modulo', 'mod'), ('power', 'pow'),
                  ('maximum', 'maximum'), ('minimum', 'minimum'), ('equal', 'eq'),
                  ('not_equal', 'ne'), ('greater', 'gt'), ('greater_equal', 'ge'),
                  ('lesser', 'lt'), ('lesser_equal', 'le'), ('logical_and', 'and'),
                  ('logical_or', 'or'), ('logical_xor', 'xor')]
for _name, _kind in _MODULE_BINARY:
    globals()[_name] = _module_binary(_name, _kind)
    __all__.append(_name)
del _name, _kind


def _fluent(method, func_name, fallback=None):
    def fluent(self, *args, **kwargs):
        return _reg.op_function(func_name, fallback)(self, *args, **kwargs)
    fluent.__name__ = method
    fluent.__qualname__ = 'NDArray.' + method
    fluent.__doc__ = 'Convenience fluent method for :py:func:`%s`.' % func_name
    return fluent


class NDArray:
    """An array in engine memory on some context."""

    __slots__ = ['handle', 'writable', '__weakref__']
    # Make numpy defer to our reflected operators in `np_array * nd_array`.
    __array_priority__ = 1000.0

    def __init__(self, handle, writable=True):
        self.handle = handle
        self.writable = writable

    def __del__(self):
        handle = getattr(self, 'handle', 0)
        if handle:
            self.handle = 0
            try:
                _LIB.MXNDArrayFree(handle)
            except Exception:  # interpreter shutdown: nothing useful left to do
                pass

    # ------------------------------------------------------------------ properties
    @property
    def shape(self):
        """Tuple of dimensions."""
        shape = _LIB.MXNDArrayGetShapeEx(self.handle)
        return () if shape is None else shape

    @property
    def dtype(self):
        """The numpy type of the elements (e.g. numpy.float32)."""
        return dtype_mx_to_np(_LIB.MXNDArrayGetDType(self.handle))

    @property
    def context(self):
        """The Context holding the data."""
        dev_type, dev_id = _LIB.MXNDArrayGetContext(self.handle)
        return Context(Context.devtype2str[dev_type], dev_id)

    ctx = context

    @property
    def size(self):
        """Number of elements."""
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def ndim(self):
        """Number of dimensions."""
        return len(self.shape)

    @property
    def stype(self):
        """Storage type; only dense ('default') arrays exist."""
        return 'default'

    @property
    def T(self):
        """The transpose (this array itself when it has fewer than 2 dims)."""
        if self.ndim < 2:
            return self
        return _call('transpose', [self])

    def __len__(self):
        return self.shape[0]

    def __bool__(self):
        size = self.size
        if size == 0:
            return False
        if size == 1:
            return bool(self.asnumpy().reshape(-1)[0])
        raise ValueError('The truth value of an NDArray with multiple elements is ambiguous.')

    __hash__ = object.__hash__

    def __iter__(self):
        for i in range(self.shape[0]):
            yield self[i]

    # ------------------------------------------------------------------ data movement
    def asnumpy(self):
        """A numpy copy of the data (waits for pending writes)."""
        data = np.empty(self.shape, dtype=self.dtype)
        _LIB.MXNDArraySyncCopyToCPU(self.handle, data)
        return data

    def asscalar(self):
        """The single element as a numpy scalar."""
        if self.shape != (1,):
            raise ValueError('The current array is not a scalar')
        return self.asnumpy()[0]

    def __array__(self, dtype=None, copy=None):
        data = self.asnumpy()
        return data if dtype is None else data.astype(dtype, copy=False)

    def _sync_copyfrom(self, source):
        """Overwrites the whole array with `source` (broadcast to our shape, cast to our dtype)."""
        source = np.asarray(source)
        if source.shape != self.shape:
            try:
                source = np.broadcast_to(source, self.shape)
            except ValueError:
                raise ValueError('Cannot copy an array of shape %s into an NDArray of shape %s'
                                 % (source.shape, self.shape))
        source = np.ascontiguousarray(source, dtype=self.dtype)
        _LIB.MXNDArraySyncCopyFromCPU(self.handle, source)

    def _fill(self, value):
        """Writes `value` (NDArray, scalar, array-like) into the whole array."""
        if isinstance(value, NDArray):
            if value.handle == self.handle:
                return
            if value.shape == self.shape:
                if value.dtype != self.dtype:
                    value = value.astype(self.dtype)
                _LIB.MXNDArraySyncCopyFromNDArray(self.handle, value.handle)
                return
            value = value.asnumpy()
        elif isinstance(value, numeric_types):
            if self.size:
                _call('_full', [], {'shape': self.shape, 'value': float(value),
                                    'dtype': np.dtype(self.dtype).name, 'ctx': str(self.context)},
                      self)
            return
        self._sync_copyfrom(value)

    # ------------------------------------------------------------------ indexing
    def _at(self, index):
        length = self.shape[0] if self.ndim else 0
        if index < 0:
            index += length
        if not 0 <= index < length:
            raise IndexError('index %d is out of bounds for axis 0 with size %d'
                             % (index, length))
        return NDArray(_LIB.MXNDArrayAt64(self.handle, int(index)))

    def _slice(self, start, stop):
        return NDArray(_LIB.MXNDArraySlice64(self.handle, int(start), int(stop)))

    def _view(self, key):
        """A view for keys that select a contiguous block (ints then at most one unit-step
        slice, then whole axes), or None."""
        if isinstance(key, integer_types) and not isinstance(key, bool):
            return self._at(int(key))
        if isinstance(key, slice):
            if self.ndim == 0:
                return None
            start, stop, step = key.indices(self.shape[0])
            if step != 1:
                return None
            return self._slice(start, max(start, stop))
        if isinstance(key, tuple):
            key = list(key)
            while key and (key[-1] == slice(None) or key[-1] is Ellipsis) and \
                    sum(k is Ellipsis for k in key) <= 1:
                key.pop()
            if not key:
                return self
            if len(key) > self.ndim:
                raise IndexError('too many indices (%d) for an array with %d dimensions'
                                 % (len(key), self.ndim))
            view = self
            for i, k in enumerate(key):
                last = i == len(key) - 1
                if isinstance(k, integer_types) and not isinstance(k, bool):
                    if view.ndim == 1 and not last:
                        return None
                    view = view._at(int(k))
                elif isinstance(k, slice) and last:
                    return view._view(k)
                else:
                    return None
            return view
        return None

    def __getitem__(self, key):
        if _is_whole(key):
            return self
        view = self._view(key)
        if view is not None:
            return view
        if isinstance(key, NDArray):
            key = key.asnumpy().astype(np.int64)
        elif isinstance(key, tuple):
            key = tuple(k.asnumpy().astype(np.int64) if isinstance(k, NDArray) else k
                        for k in key)
        part = np.ascontiguousarray(self.asnumpy()[key])
        if part.ndim == 0:
            part = part.reshape((1,))
        return array(part, ctx=self.context, dtype=self.dtype)

    def __setitem__(self, key, value):
        if not self.writable:
            raise ValueError('This NDArray is not writable')
        if _is_whole(key):
            self._fill(value)
            return
        view = self._view(key) if not isinstance(key, NDArray) else None
        if view is not None:
            view._fill(value)
            return
        if isinstance(value, NDArray):
            value = value.asnumpy()
        if isinstance(key, NDArray):
            key = key.asnumpy().astype(np.int64)
        host = self.asnumpy()
        host[key] = value
        self._sync_copyfrom(host)

    # ------------------------------------------------------------------ shape views
    def reshape(self, *shape, **kwargs):
        """A view with a new shape sharing this array's memory. Accepts MXNet's special values
        0 (keep), -1 (infer), -2 (copy the rest), -3 (merge two), -4 (split one) and
        reverse=True."""
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = shape[0]
        elif not shape:
            shape = kwargs.pop('shape', None)
            if shape is None:
                raise TypeError('reshape() needs a shape')
        reverse = kwargs.pop('reverse', False)
        if kwargs:
            raise TypeError('reshape() got unexpected arguments %s' % list(kwargs))
        return NDArray(_LIB.MXNDArrayReshape64(self.handle, [int(d) for d in shape],
                                               bool(reverse)))

    def reshape_like(self, *args, **kwargs):
        return _reg.op_function('reshape_like')(self, *args, **kwargs)

    # ------------------------------------------------------------------ copies
    def copyto(self, other):
        """Copies into `other` (an NDArray of the same shape) or onto a new array on a Context."""
        if isinstance(other, NDArray):
            if other.handle == self.handle:
                return other
            if other.shape != self.shape:
                raise ValueError('copyto: shape mismatch, source %s vs target %s'
                                 % (self.shape, other.shape))
            src = self if other.dtype == self.dtype else self.astype(other.dtype)
            _LIB.MXNDArraySyncCopyFromNDArray(other.handle, src.handle)
            return other
        if isinstance(other, Context):
            out = empty(self.shape, other, self.dtype)
            _LIB.MXNDArraySyncCopyFromNDArray(out.handle, self.handle)
            return out
        raise TypeError('copyto does not support type %s' % type(other))

    def copy(self):
        """A deep copy on the same context."""
        return self.copyto(self.context)

    def as_in_context(self, context):
        """This array if it is already on `context`, else a copy there."""
        return self if self.context == context else self.copyto(context)

    def astype(self, dtype, copy=True):
        """A copy with elements converted to `dtype` (self if same dtype and copy=False)."""
        if np.dtype(dtype) == np.dtype(self.dtype):
            return self.copy() if copy else self
        return _call('Cast', [self], {'dtype': np.dtype(dtype).name})

    def wait_to_read(self):
        """Blocks until pending writes to this array are done."""
        _LIB.MXNDArrayWaitToRead(self.handle)

    def wait_to_write(self):
        """Blocks until pending reads and writes of this array are done."""
        _LIB.MXNDArrayWaitToWrite(self.handle)

    def tostype(self, stype):
        if stype != 'default':
            raise MXNetError('Loom supports only dense (default storage) arrays')
        return self

    # ------------------------------------------------------------------ DLPack
    def __dlpack__(self, stream=None, **kwargs):
        """A DLPack capsule sharing this array's memory."""
        return _LIB.MXNDArrayToDLPack(self.handle)

    def __dlpack_device__(self):
        ctx = self.context
        return (2, ctx.device_id) if ctx.device_typeid == 2 else (1, 0)

    def to_dlpack_for_read(self):
        return to_dlpack_for_read(self)

    def to_dlpack_for_write(self):
        return to_dlpack_for_write(self)

    def __repr__(self):
        shape_info = 'x'.join(str(d) for d in self.shape)
        return '\n%s\n<%s %s @%s>' % (str(self.asnumpy()), type(self).__name__, shape_info,
                                      self.context)

    # ------------------------------------------------------------------ arithmetic
    def _inplace(self, kind, other):
        if not self.writable:
            raise ValueError('trying to modify a read-only NDArray')
        if isinstance(other, NDArray) and other.shape != self.shape:
            result = _binary(kind, self, other)
            self._fill(result)
            return self
        result = _binary(kind, self, other, out=self)
        return self if result is not NotImplemented else result

    def __add__(self, other):
        return _binary('add', self, other)

    __radd__ = __add__

    def __iadd__(self, other):
        return self._inplace('add', other)

    def __sub__(self, other):
        return _binary('sub', self, other)

    def __rsub__(self, other):
        return _binary('sub', self, other, reverse=True)

    def __isub__(self, other):
        return self._inplace('sub', other)

    def __mul__(self, other):
        return _binary('mul', self, other)

    __rmul__ = __mul__

    def __imul__(self, other):
        return self._inplace('mul', other)

    def __truediv__(self, other):
        return _binary('div', self, other)

    def __rtruediv__(self, other):
        return _binary('div', self, other, reverse=True)

    def __itruediv__(self, other):
        return self._inplace('div', other)

    __div__, __rdiv__, __idiv__ = __truediv__, __rtruediv__, __itruediv__

    def __mod__(self, other):
        return _binary('mod', self, other)

    def __rmod__(self, other):
        return _binary('mod', self, other, reverse=True)

    def __imod__(self, other):
        return self._inplace('mod', other)

    def __pow__(self, other):
        return _binary('pow', self, other)

    def __rpow__(self, other):
        return _binary('pow', self, other, reverse=True)

    def __neg__(self):
        return _call('negative', [self])

    def __pos__(self):
        return self

    def __abs__(self):
        return _call('abs', [self])

    def __eq__(self, other):
        return _binary('eq', self, other)

    def __ne__(self, other):
        return _binary('ne', self, other)

    def __gt__(self, other):
        return _binary('gt', self, other)

    def __ge__(self, other):
        return _binary('ge', self, other)

    def __lt__(self, other):
        return _binary('lt', self, other)

    def __le__(self, other):
        return _binary('le', self, other)


# MXNet's NDArray fluent methods (same list as Symbol's): method -> (function, fallback op).
def _add_fluent_methods():
    from ..symbol import register as _symreg  # imported lazily: mx.sym imports mx.nd
    for method, (func_name, fallback) in _symreg._FLUENT_METHODS.items():
        if method not in NDArray.__dict__:
            setattr(NDArray, method, _fluent(method, func_name, fallback))


# ---------------------------------------------------------------------- creation
def _ctx(ctx):
    return current_context() if ctx is None else ctx


def empty(shape, ctx=None, dtype=None):
    """A new array with unspecified contents (dtype defaults to float32)."""
    if isinstance(shape, integer_types):
        shape = (shape,)
    ctx = _ctx(ctx)
    dtype = mx_real_t if dtype is None else dtype
    handle = _LIB.MXNDArrayCreateEx64([int(d) for d in shape], ctx.device_typeid,
                                      ctx.device_id, 0, dtype_np_to_mx(dtype))
    return NDArray(handle)


def _shape_tuple(shape):
    return (shape,) if isinstance(shape, integer_types) else tuple(int(d) for d in shape)


def _create(op_name, ctx, dtype, params, out=None):
    ctx = _ctx(ctx)
    dtype = np.dtype(mx_real_t if dtype is None else dtype)
    params = dict(params, ctx=str(ctx), dtype=dtype.name)
    return _call(op_name, [], params, out)


def zeros(shape, ctx=None, dtype=None, out=None, **kwargs):
    """A new array of zeros (dtype defaults to float32)."""
    shape = _shape_tuple(shape)
    return _create('_zeros', ctx, dtype, {'shape': shape}, out)


def ones(shape, ctx=None, dtype=None, out=None, **kwargs):
    """A new array of ones (dtype defaults to float32)."""
    shape = _shape_tuple(shape)
    return _create('_ones', ctx, dtype, {'shape': shape}, out)


def full(shape, val, ctx=None, dtype=mx_real_t, out=None):
    """A new array (or `out`) filled with `val`."""
    shape = _shape_tuple(shape)
    if out is not None:
        out[:] = val
        return out
    return _create('_full', ctx, dtype, {'shape': shape, 'value': float(val)})


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype=mx_real_t):
    """Evenly spaced values in [start, stop), each repeated `repeat` times."""
    params = {'start': float(start), 'step': float(step), 'repeat': int(repeat)}
    if stop is not None:
        params['stop'] = float(stop)
    return _create('_arange', ctx, dtype, params)


def linspace(start, stop, num, endpoint=True, ctx=None, dtype=mx_real_t):
    """`num` evenly spaced values from start to stop (inclusive when endpoint)."""
    params = {'start': float(start), 'stop': float(stop), 'num': int(num),
              'endpoint': bool(endpoint)}
    return _create('_linspace', ctx, dtype, params)


def eye(N, M=0, k=0, ctx=None, dtype=None, **kwargs):
    """A 2-D array with ones on the k-th diagonal."""
    return _create('_eye', ctx, dtype, {'N': int(N), 'M': int(M), 'k': int(k)})


def array(source_array, ctx=None, dtype=None):
    """A new array holding a copy of `source_array` (NDArray, numpy array or nested lists).

    As in MXNet 1.9.1 the dtype is float32 unless given, even for numpy sources; an NDArray
    source keeps its own dtype.
    """
    if isinstance(source_array, NDArray):
        dtype = source_array.dtype if dtype is None else dtype
        source_array = source_array.asnumpy()
    else:
        dtype = mx_real_t if dtype is None else dtype
        if not isinstance(source_array, np.ndarray):
            try:
                source_array = np.array(source_array, dtype=dtype)
            except Exception:
                raise TypeError('source_array must be array like object')
    arr = empty(source_array.shape, ctx, dtype)
    arr._sync_copyfrom(source_array)
    return arr


def concatenate(arrays, axis=0, always_copy=True):
    """Joins arrays along `axis` (the Concat operator)."""
    return _call('Concat', list(arrays), {'dim': axis, 'num_args': len(arrays)})


def waitall():
    """Waits for all pending work on every device."""
    _LIB.MXNDArrayWaitAll()


# ---------------------------------------------------------------------- DLPack
def to_dlpack_for_read(data):
    """A DLPack capsule sharing `data`'s memory (after pending writes are done)."""
    data.wait_to_read()
    return _LIB.MXNDArrayToDLPack(data.handle)


def to_dlpack_for_write(data):
    """A DLPack capsule sharing `data`'s memory, for a consumer that writes it."""
    data.wait_to_write()
    return _LIB.MXNDArrayToDLPack(data.handle)


def from_dlpack(dlpack):
    """An NDArray sharing the memory of a DLPack capsule or of an object with `__dlpack__`
    (numpy arrays, torch tensors...). The capsule is consumed."""
    if hasattr(dlpack, '__dlpack__'):
        dlpack = dlpack.__dlpack__()
    return NDArray(_LIB.MXNDArrayFromDLPack(dlpack))
