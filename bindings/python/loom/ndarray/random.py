"""mx.nd.random: random arrays from the engine's seeded generator (mx.random.seed)."""
import numpy as np

from ..base import _Null, MXNetError
from ..context import current_context
from .ndarray import NDArray, _shape_tuple, _call

__all__ = ['uniform', 'normal', 'randn']


def _sample(op_name, p1, p2, shape, dtype, ctx, out):
    shape = () if shape is _Null or shape is None else _shape_tuple(shape)
    if out is not None:
        shape = out.shape
    ctx = current_context() if ctx is None else ctx
    dtype = 'float32' if dtype in (None, _Null) else np.dtype(dtype).name
    return _call(op_name, [], dict(p1, **p2, shape=shape or (1,), ctx=str(ctx), dtype=dtype),
                 out)


def uniform(low=0, high=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from U[low, high)."""
    if isinstance(low, NDArray) or isinstance(high, NDArray):
        raise MXNetError('uniform with NDArray bounds (_sample_uniform) is not supported')
    return _sample('_random_uniform', {'low': float(low)}, {'high': float(high)}, shape, dtype,
                   ctx, out)


def normal(loc=0, scale=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from N(loc, scale^2)."""
    if isinstance(loc, NDArray) or isinstance(scale, NDArray):
        raise MXNetError('normal with NDArray parameters (_sample_normal) is not supported')
    return _sample('_random_normal', {'loc': float(loc)}, {'scale': float(scale)}, shape, dtype,
                   ctx, out)


def randn(*shape, **kwargs):
    """Standard normal samples of the given shape."""
    loc = kwargs.pop('loc', 0)
    scale = kwargs.pop('scale', 1)
    return normal(loc, scale, shape, **kwargs)
