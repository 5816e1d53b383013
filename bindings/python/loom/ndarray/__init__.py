"""mx.nd / mx.ndarray: engine-owned arrays, the functions that create them, and one function
per registered operator (generated from the registry; they run through MXImperativeInvoke)."""
from . import _internal, contrib, linalg, op
from .register import _init_ndarray_module

_init_ndarray_module()

from .op import *  # noqa: E402,F401,F403  (one function per registered operator)
from .ndarray import *  # noqa: E402,F401,F403  (helpers win over same-named operators)
from .ndarray import (NDArray, array, empty, zeros, ones, full, arange, linspace, eye,  # noqa
                      waitall, concatenate, from_dlpack, to_dlpack_for_read,
                      to_dlpack_for_write, dtype_np_to_mx, dtype_mx_to_np)
from .utils import save, load, load_frombuffer  # noqa: E402
from . import random  # noqa: E402
