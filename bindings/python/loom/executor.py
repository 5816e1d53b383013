"""Executor: a symbol bound to arrays (MXNet's mx.executor.Executor).

Created by Symbol.bind / simple_bind. The engine prepares the forward and backward passes once
at bind time; forward/backward here only copy keyword inputs in, call the C ABI and refresh
`outputs` (new handles onto the executor's output memory, overwritten by the next forward).
"""
import copy

import numpy as np

from .base import _LIB
from .ndarray import NDArray, array as nd_array

__all__ = ['Executor']


def _named(names, arrays):
    if len(set(names)) != len(names):
        raise ValueError('Duplicate names detected, %s' % str(names))
    return dict(zip(names, arrays))


class Executor:
    """Runs a bound symbol: forward, backward, and the arrays involved."""

    def __init__(self, handle, symbol, ctx, grad_req, group2ctx):
        self.handle = handle
        self.arg_arrays = []
        self.grad_arrays = []
        self.aux_arrays = []
        self._symbol = copy.deepcopy(symbol)
        self._ctx = ctx
        self._grad_req = grad_req
        self._group2ctx = group2ctx
        self._monitor_callback = None
        self._arg_dict = self._grad_dict = self._aux_dict = self._output_dict = None
        self.outputs = self._get_outputs()

    def __del__(self):
        handle = getattr(self, 'handle', 0)
        if handle:
            self.handle = 0
            try:
                _LIB.MXExecutorFree(handle)
            except Exception:  # interpreter shutdown: nothing useful left to do
                pass

    def _get_outputs(self):
        return [NDArray(h) for h in _LIB.MXExecutorOutputs(self.handle)]

    def forward(self, is_train=False, **kwargs):
        """Runs the forward pass and returns `outputs`.

        Keyword arguments (NDArray or numpy, exact shape) are first copied into the argument
        arrays of those names. `is_train` selects training behaviour (e.g. Dropout).
        """
        if kwargs:
            arg_dict = self.arg_dict
            for name, value in kwargs.items():
                if not isinstance(value, (NDArray, np.ndarray)):
                    raise ValueError('only accept keyword argument of NDArrays and '
                                     'numpy.ndarray')
                if name not in arg_dict:
                    raise TypeError('Unknown argument %s' % name)
                if arg_dict[name].shape != value.shape:
                    raise ValueError('Shape not match! Argument %s, need: %s, received: %s'
                                     % (name, str(arg_dict[name].shape), str(value.shape)))
                arg_dict[name][:] = value
        _LIB.MXExecutorForward(self.handle, int(bool(is_train)))
        self.outputs = self._get_outputs()
        self._output_dict = None
        return self.outputs

    def backward(self, out_grads=None, is_train=True):
        """Runs the backward pass, writing (or adding to) the gradient arrays.

        `out_grads` are the head gradients: None (loss outputs need none), one array, a list
        (one per output, None where unused) or a dict by output name.
        """
        if out_grads is None:
            out_grads = []
        elif isinstance(out_grads, (NDArray, np.ndarray)):
            out_grads = [out_grads]
        elif isinstance(out_grads, dict):
            out_grads = [out_grads.get(k) for k in self._symbol.list_outputs()]
        elif not isinstance(out_grads, (list, tuple)):
            raise TypeError('out_grads must be None, an NDArray, a list or a dict, got %s'
                            % type(out_grads).__name__)
        heads = []
        for i, grad in enumerate(out_grads):
            if grad is None or isinstance(grad, NDArray):
                heads.append(grad)
            elif isinstance(grad, np.ndarray):  # Loom extension: cast to the output's dtype
                dtype = self.outputs[i].dtype if i < len(self.outputs) else grad.dtype
                heads.append(nd_array(grad, ctx=self._ctx, dtype=dtype))
            else:
                raise TypeError('inputs must be NDArray; out_grads[%d] is %s'
                                % (i, type(grad).__name__))
        _LIB.MXExecutorBackwardEx(self.handle, [h.handle if h is not None else 0 for h in heads],
                                  int(bool(is_train)))

    def set_monitor_callback(self, callback, monitor_all=False):
        """Installs `callback(name, handle)`, called after each operator with each output's name
        (bytes, e.g. b'fc1_output') and a new NDArray handle (int) that the callee owns, e.g.
        wraps with NDArray(handle); with `monitor_all` inputs are reported too. None removes."""
        if callback is None:
            self._monitor_callback = None
            _LIB.MXExecutorSetMonitorCallbackEX(self.handle, None, False)
            return
        if not callable(callback):
            raise TypeError('callback must be callable, got %s' % type(callback).__name__)
        self._monitor_callback = callback  # the C side keeps only a borrowed pointer
        _LIB.MXExecutorSetMonitorCallbackEX(self.handle, callback, bool(monitor_all))

    @property
    def arg_dict(self):
        """{argument name: NDArray}."""
        if self._arg_dict is None:
            self._arg_dict = _named(self._symbol.list_arguments(), self.arg_arrays)
        return self._arg_dict

    @property
    def grad_dict(self):
        """{argument name: gradient NDArray or None}."""
        if self._grad_dict is None:
            self._grad_dict = _named(self._symbol.list_arguments(), self.grad_arrays)
        return self._grad_dict

    @property
    def aux_dict(self):
        """{auxiliary state name: NDArray}."""
        if self._aux_dict is None:
            self._aux_dict = _named(self._symbol.list_auxiliary_states(), self.aux_arrays)
        return self._aux_dict

    @property
    def output_dict(self):
        """{output name: NDArray}."""
        if self._output_dict is None:
            self._output_dict = _named(self._symbol.list_outputs(), self.outputs)
        return self._output_dict

    def copy_params_from(self, arg_params, aux_params=None, allow_extra_params=False):
        """Copies parameter values (cast to each destination's dtype) into the bound arrays.

        Names that are not arguments (auxiliary states) raise ValueError unless
        `allow_extra_params`.
        """
        for name, array in arg_params.items():
            if name in self.arg_dict:
                dst = self.arg_dict[name]
                dst[:] = _as_dtype(array, dst.dtype)
            elif not allow_extra_params:
                raise ValueError('Find name "%s" that is not in the arguments' % name)
        if aux_params is None:
            return
        for name, array in aux_params.items():
            if name in self.aux_dict:
                dst = self.aux_dict[name]
                dst[:] = _as_dtype(array, dst.dtype)
            elif not allow_extra_params:
                raise ValueError('Find name %s that is not in the auxiliary states' % name)

    def reshape(self, partial_shaping=False, allow_up_sizing=False, **kwargs):
        """A new executor for new input shapes (name=shape), sharing this one's memory.

        Arrays whose size does not grow are views of this executor's; a changed shape of an
        array not named needs `partial_shaping`, a larger one `allow_up_sizing`.
        """
        names, data, idx = [], [], [0]
        for name, shape in kwargs.items():
            if not isinstance(shape, (tuple, list)):
                raise TypeError('reshape: shape of %s must be a tuple, got %s'
                                % (name, type(shape).__name__))
            names.append(name)
            data.extend(int(d) for d in shape)
            idx.append(len(data))
        keys, types, ids = [], [], []
        if self._group2ctx:
            keys = list(self._group2ctx)
            types = [self._group2ctx[k].device_typeid for k in keys]
            ids = [self._group2ctx[k].device_id for k in keys]
        handle, in_args, arg_grads, aux_states = _LIB.MXExecutorReshapeEx(
            int(bool(partial_shaping)), int(bool(allow_up_sizing)), self._ctx.device_typeid,
            self._ctx.device_id, keys, types, ids, names, data, idx, self.handle)
        executor = Executor(handle, self._symbol, self._ctx, self._grad_req, self._group2ctx)
        executor.arg_arrays = [NDArray(h) for h in in_args]
        executor.grad_arrays = [NDArray(h) if h else None for h in arg_grads]
        executor.aux_arrays = [NDArray(h) for h in aux_states]
        return executor

    def debug_str(self):
        """The bound graph and its planned memory, as text; the third line from the end is
        'Total <MB> MB allocated' (Module parses it)."""
        return _LIB.MXExecutorPrint(self.handle)

    @property
    def planned_bytes(self):
        """Loom: bytes of internal memory the executor's plan uses (user arrays excluded)."""
        return _LIB.MXExecutorGetMemoryInfo(self.handle)[0]

    @property
    def allocated_bytes(self):
        """Loom: bytes this executor added to its memory pool (0 when it reused a shared
        executor's memory)."""
        return _LIB.MXExecutorGetMemoryInfo(self.handle)[1]

    def get_optimized_symbol(self):
        """The symbol the executor runs (Loom applies no graph rewrites visible here)."""
        from .symbol import Symbol
        return Symbol(_LIB.MXExecutorGetOptimizedSymbol(self.handle))


def _as_dtype(array, dtype):
    if isinstance(array, NDArray):
        return array.astype(dtype) if array.dtype != dtype else array
    return np.asarray(array).astype(dtype)
