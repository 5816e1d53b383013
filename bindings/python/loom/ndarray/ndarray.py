"""NDArray: an n-dimensional array owned by the engine (MXNet's mx.nd.NDArray).

An NDArray holds one NDArrayHandle and frees it when collected. Data moves between numpy and
the engine only through the C ABI's synchronous copies, so `asnumpy()`, `__array__`,
`arr[:] = value` and `mx.nd.array(...)` are exact. The C ABI does not yet offer imperative
operators or views, so arithmetic and slicing here are computed on host copies: `a + 1` and
`a[0]` return new arrays (a slice is read-only, so writing to it cannot silently miss the
parent); write through the parent instead (`a[0] = ...`).
"""
import numpy as np

from ..base import _LIB, numeric_types, integer_types, mx_real_t
from ..context import Context, current_context

__all__ = ['NDArray', 'array', 'empty', 'zeros', 'ones', 'full', 'arange', 'waitall',
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


def _is_whole(key):
    return ((isinstance(key, slice) and key == slice(None)) or key is Ellipsis
            or (isinstance(key, tuple) and len(key) == 0))


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

    def __len__(self):
        return self.shape[0]

    # ------------------------------------------------------------------ data movement
    def asnumpy(self):
        """A numpy copy of the data (waits for pending writes)."""
        data = np.empty(self.shape, dtype=self.dtype)
        _LIB.MXNDArraySyncCopyToCPU(self.handle, data)
        return data

    def asscalar(self):
        """The single element as a numpy scalar."""
        if self.shape != (1,):
            raise ValueError('The current array is not a scalar (shape %s)' % (self.shape,))
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

    def __setitem__(self, key, value):
        if not self.writable:
            raise ValueError('This NDArray is read-only (a copy of a slice of another array); '
                             'assign through the original array instead')
        if isinstance(value, NDArray):
            if value.handle == self.handle and _is_whole(key):
                return
            value = value.asnumpy()
        elif not isinstance(value, (np.ndarray, np.generic) + numeric_types):
            value = np.asarray(value)
        if _is_whole(key):
            self._sync_copyfrom(value)
        else:
            host = self.asnumpy()
            host[key] = value
            self._sync_copyfrom(host)

    def __getitem__(self, key):
        # A copy, not a view: the C ABI has no slicing yet. Read-only so writes can't be lost.
        if _is_whole(key):
            return self
        part = np.ascontiguousarray(self.asnumpy()[key])
        if part.ndim == 0:
            part = part.reshape((1,))
        out = array(part, ctx=self.context, dtype=self.dtype)
        out.writable = False
        return out

    def copyto(self, other):
        """Copies into `other` (an NDArray of the same shape) or onto a new array on a Context."""
        if isinstance(other, NDArray):
            if other.handle == self.handle:
                return other
            if other.shape != self.shape:
                raise ValueError('copyto: shape mismatch, source %s vs target %s'
                                 % (self.shape, other.shape))
            other._sync_copyfrom(self.asnumpy())
            return other
        if isinstance(other, Context):
            out = empty(self.shape, other, self.dtype)
            out._sync_copyfrom(self.asnumpy())
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
        if not copy and np.dtype(dtype) == np.dtype(self.dtype):
            return self
        return array(self.asnumpy(), ctx=self.context, dtype=dtype)

    def wait_to_read(self):
        """Blocks until pending writes to this array are done."""
        _LIB.MXNDArrayWaitToRead(self.handle)

    wait_to_write = wait_to_read

    def __repr__(self):
        shape_info = 'x'.join(str(d) for d in self.shape)
        return '\n%s\n<%s %s @%s>' % (str(self.asnumpy()), type(self).__name__, shape_info,
                                      self.context)

    # ------------------------------------------------------------------ arithmetic (host)
    def _binary(self, other, fn, reverse=False):
        if isinstance(other, NDArray):
            rhs = other.asnumpy()
        elif isinstance(other, numeric_types) or isinstance(other, np.ndarray):
            rhs = other
        else:
            return NotImplemented
        lhs = self.asnumpy()
        result = fn(rhs, lhs) if reverse else fn(lhs, rhs)
        return array(np.asarray(result), ctx=self.context, dtype=self.dtype)

    def _inplace(self, other, fn):
        result = self._binary(other, fn)
        if result is NotImplemented:
            return result
        self[:] = result
        return self

    def __add__(self, other):
        return self._binary(other, np.add)

    def __radd__(self, other):
        return self._binary(other, np.add, reverse=True)

    def __iadd__(self, other):
        return self._inplace(other, np.add)

    def __sub__(self, other):
        return self._binary(other, np.subtract)

    def __rsub__(self, other):
        return self._binary(other, np.subtract, reverse=True)

    def __isub__(self, other):
        return self._inplace(other, np.subtract)

    def __mul__(self, other):
        return self._binary(other, np.multiply)

    def __rmul__(self, other):
        return self._binary(other, np.multiply, reverse=True)

    def __imul__(self, other):
        return self._inplace(other, np.multiply)

    def __truediv__(self, other):
        return self._binary(other, np.true_divide)

    def __rtruediv__(self, other):
        return self._binary(other, np.true_divide, reverse=True)

    def __itruediv__(self, other):
        return self._inplace(other, np.true_divide)

    def __pow__(self, other):
        return self._binary(other, np.power)

    def __rpow__(self, other):
        return self._binary(other, np.power, reverse=True)

    def __neg__(self):
        return self._binary(-1.0, np.multiply)


def empty(shape, ctx=None, dtype=None):
    """A new array with unspecified contents (dtype defaults to float32)."""
    if isinstance(shape, integer_types):
        shape = (shape,)
    ctx = current_context() if ctx is None else ctx
    dtype = mx_real_t if dtype is None else dtype
    handle = _LIB.MXNDArrayCreateEx([int(d) for d in shape], ctx.device_typeid, ctx.device_id,
                                    0, dtype_np_to_mx(dtype))
    return NDArray(handle)


def full(shape, val, ctx=None, dtype=mx_real_t, out=None):
    """A new array (or `out`) filled with `val`."""
    out = empty(shape, ctx, dtype) if out is None else out
    out[:] = val
    return out


def zeros(shape, ctx=None, dtype=None, **kwargs):
    """A new array of zeros (dtype defaults to float32)."""
    return full(shape, 0, ctx, mx_real_t if dtype is None else dtype)


def ones(shape, ctx=None, dtype=None, **kwargs):
    """A new array of ones (dtype defaults to float32)."""
    return full(shape, 1, ctx, mx_real_t if dtype is None else dtype)


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
    arr[:] = source_array
    return arr


def arange(start, stop=None, step=1.0, repeat=1, infer_range=False, ctx=None,
           dtype=mx_real_t):
    """Evenly spaced values in [start, stop), each repeated `repeat` times."""
    values = np.arange(start, stop, step, dtype=np.float64)
    if repeat > 1:
        values = np.repeat(values, repeat)
    return array(values, ctx=ctx, dtype=dtype)


def waitall():
    """Waits for all pending work on every device."""
    _LIB.MXNDArrayWaitAll()
