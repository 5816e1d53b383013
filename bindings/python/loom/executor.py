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
                    raise ValueError('forward only accepts keyword arguments of NDArray or '
                                     'numpy.ndarray; %s is %s' % (name, type(value).__name__))
                if name not in arg_dict:
                    raise TypeError('Unknown argument %s; the arguments are %s'
                                    % (name, list(arg_dict)))
                if arg_dict[name].shape != value.shape:
                    raise ValueError('Shape not match! Argument %s, need: %s, received: %s'
                                     % (name, arg_dict[name].shape, value.shape))
                arg_dict[name][:] = value
        _LIB.MXExecutorForward(self.handle, int(bool(is_train)))
        self.outputs = self._get_outputs()
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
        heads = []
        for i, grad in enumerate(out_grads):
            if grad is None or isinstance(grad, NDArray):
                heads.append(grad)
            elif isinstance(grad, np.ndarray):
                heads.append(nd_array(grad, ctx=self._ctx))
            else:
                raise TypeError('out_grads[%d] must be NDArray or numpy.ndarray, got %s'
                                % (i, type(grad).__name__))
        _LIB.MXExecutorBackwardEx(self.handle, [h.handle if h is not None else 0 for h in heads],
                                  int(bool(is_train)))

    @property
    def arg_dict(self):
        """{argument name: NDArray}."""
        return _named(self._symbol.list_arguments(), self.arg_arrays)

    @property
    def grad_dict(self):
        """{argument name: gradient NDArray or None}."""
        return _named(self._symbol.list_arguments(), self.grad_arrays)

    @property
    def aux_dict(self):
        """{auxiliary state name: NDArray}."""
        return _named(self._symbol.list_auxiliary_states(), self.aux_arrays)

    @property
    def output_dict(self):
        """{output name: NDArray}."""
        return _named(self._symbol.list_outputs(), self.outputs)

    def copy_params_from(self, arg_params, aux_params=None, allow_extra_params=False):
        """Copies parameter values (cast to each destination's dtype) into the bound arrays."""
        for params, targets, what in ((arg_params, self.arg_dict, 'arguments'),
                                      (aux_params or {}, self.aux_dict, 'auxiliary states')):
            for name, value in params.items():
                if name in targets:
                    targets[name][:] = np.asarray(value).astype(targets[name].dtype)
                elif not allow_extra_params:
                    raise ValueError('Find name "%s" that is not in the %s' % (name, what))

    def debug_str(self):
        """The bound graph and its planned memory, as text."""
        return _LIB.MXExecutorPrint(self.handle)

    def reshape(self, partial_shaping=False, allow_up_sizing=False, **kwargs):
        raise NotImplementedError('Executor.reshape needs MXExecutorReshapeEx, which the Loom '
                                  'C ABI does not offer yet; bind again with the new shapes')

    def set_monitor_callback(self, callback, monitor_all=False):
        raise NotImplementedError('Executor.set_monitor_callback needs '
                                  'MXExecutorSetMonitorCallback, which the Loom C ABI does not '
                                  'offer yet')
