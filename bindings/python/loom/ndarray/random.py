"""mx.nd.random: random arrays from the engine's seeded generator (mx.random.seed)."""
import numpy as np

from ..base import _Null, MXNetError
from ..context import current_context
from . import register as _reg
from .ndarray import NDArray, _shape_tuple, empty

__all__ = ['uniform', 'normal', 'randn']

# Used only while the engine lacks the random operators; seeded by mx.random.seed too.
_host_state = np.random.RandomState(0)


def _sample(op_name, p1, p2, shape, dtype, ctx, out, host):
    shape = () if shape is _Null or shape is None else _shape_tuple(shape)
    if out is not None:
        shape = out.shape
    ctx = current_context() if ctx is None else ctx
    dtype = 'float32' if dtype in (None, _Null) else np.dtype(dtype).name
    info = _reg._info_for(op_name)
    if info is not None:
        try:
            return _reg.invoke(info, [], dict(p1, **p2, shape=shape or (1,), ctx=str(ctx),
                                              dtype=dtype), out)
        except MXNetError as err:
            if 'no kernel is registered' not in str(err):
                raise
    value = host(shape or (1,)).astype(dtype)
    if out is None:
        out = empty(value.shape, ctx, dtype)
    out._sync_copyfrom(value)
    return out


def uniform(low=0, high=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from U[low, high)."""
    if isinstance(low, NDArray) or isinstance(high, NDArray):
        raise MXNetError('uniform with NDArray bounds (_sample_uniform) is not supported')
    return _sample('_random_uniform', {'low': float(low)}, {'high': float(high)}, shape, dtype,
                   ctx, out, lambda s: _host_state.uniform(low, high, s))


def normal(loc=0, scale=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from N(loc, scale^2)."""
    if isinstance(loc, NDArray) or isinstance(scale, NDArray):
        raise MXNetError('normal with NDArray parameters (_sample_normal) is not supported')
    return _sample('_random_normal', {'loc': float(loc)}, {'scale': float(scale)}, shape, dtype,
                   ctx, out, lambda s: _host_state.normal(loc, scale, s))


def randn(*shape, **kwargs):
    """Standard normal samples of the given shape."""
    loc = kwargs.pop('loc', 0)
    scale = kwargs.pop('scale', 1)
    return normal(loc, scale, shape, **kwargs)
