"""mx.nd / mx.ndarray: engine-owned arrays and the functions that create them."""
from .ndarray import (NDArray, array, empty, zeros, ones, full, arange, waitall,
                      dtype_np_to_mx, dtype_mx_to_np)

__all__ = ['NDArray', 'array', 'empty', 'zeros', 'ones', 'full', 'arange', 'waitall']
