"""Generates the operator functions of mx.sym from the engine's registry at import time.

Nothing here knows any particular operator: each registered operator (and alias) is described
by MXSymbolGetAtomicSymbolInfo, whose arguments typed "NDArray-or-Symbol" are the inputs and the
rest parameters. A call creates the operator node with the parameters the caller gave (as
`str(value)`, as MXNet's frontend does) and composes it with the inputs, named by the current
NameManager with the function name in lower case as hint (`fullyconnected0`, `_plus0`).
"""
import inspect

import numpy as np

from ..attribute import AttrScope
from ..base import _LIB, _Null
from ..name import NameManager
from . import _internal, contrib, op
from .symbol import Symbol

# Methods that call the operator of the same name with the symbol as first input (§7.4).
_FLUENT_METHODS = [
    'reshape', 'reshape_like', 'zeros_like', 'ones_like', 'broadcast_axes', 'repeat', 'pad',
    'swapaxes', 'split', 'split_v2', 'slice', 'slice_axis', 'slice_like', 'take', 'one_hot',
    'pick', 'sort', 'topk', 'argsort', 'argmax', 'argmax_channel', 'argmin', 'clip', 'abs',
    'sign', 'flatten', 'shape_array', 'size_array', 'expand_dims', 'broadcast_to',
    'broadcast_like', 'tile', 'transpose', 'flip', 'depth_to_space', 'space_to_depth', 'diag',
    'sum', 'nansum', 'prod', 'nanprod', 'mean', 'max', 'min', 'norm', 'round', 'rint', 'fix',
    'floor', 'ceil', 'trunc', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'degrees',
    'radians', 'sinh', 'cosh', 'tanh', 'arcsinh', 'arccosh', 'arctanh', 'exp', 'expm1', 'log',
    'log10', 'log2', 'log1p', 'sqrt', 'rsqrt', 'cbrt', 'rcbrt', 'square', 'reciprocal', 'relu',
    'sigmoid', 'softmax', 'log_softmax', 'softmin', 'squeeze',
]

_PREFIX_MODULES = {'_contrib_': contrib}


def _param_string(key, value):
    """How MXNet's frontend writes a parameter value into the node's attribute dict."""
    if key == 'dtype' and value is not None:
        return np.dtype(value).name
    return str(value)


class _OpInfo:
    """What the registry says about one operator, split into inputs and parameters."""

    def __init__(self, creator):
        (self.name, self.description, arg_names, arg_types, arg_descs, self.key_var_num_args,
         _) = _LIB.MXSymbolGetAtomicSymbolInfo(creator)
        self.creator = creator
        self.inputs, self.params = [], []
        self.variadic = False
        self.doc_lines = []
        for name, typ, desc in zip(arg_names, arg_types, arg_descs):
            if typ.startswith('NDArray-or-Symbol'):
                self.inputs.append(name)
                self.variadic = self.variadic or typ.endswith('[]')
            else:
                self.params.append(name)
            self.doc_lines.append('%s : %s\n    %s' % (name, typ, desc))


def _create(info, hint, name, attr, sym_args, sym_kwargs, params):
    if sym_args and sym_kwargs:
        raise TypeError('%s: give input Symbols either positionally or by keyword, not both'
                        % info.name)
    attrs = AttrScope.current.get(attr)
    keys = list(params) + list(attrs)
    vals = [_param_string(k, v) for k, v in params.items()] + [str(v) for v in attrs.values()]
    name = NameManager.current.get(name, hint)
    result = Symbol(_LIB.MXSymbolCreateAtomicSymbol(info.creator, keys, vals))
    result._compose(*sym_args, name=name, **sym_kwargs)
    return result


def _signature(info):
    """MXNet's generated signature, for help() and editors: inputs default to None, parameters
    to _Null (not sent), then name, attr, out and extra attributes."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    params = []
    try:
        if info.variadic:
            params.append(inspect.Parameter('data', inspect.Parameter.VAR_POSITIONAL))
            kind = inspect.Parameter.KEYWORD_ONLY
        else:
            params += [inspect.Parameter(n, kind, default=None) for n in info.inputs]
        params += [inspect.Parameter(n, kind, default=_Null) for n in info.params]
        params += [inspect.Parameter(n, kind, default=None) for n in ('name', 'attr', 'out')]
        params.append(inspect.Parameter('kwargs', inspect.Parameter.VAR_KEYWORD))
        return inspect.Signature(params)
    except ValueError:  # a name that is not a Python identifier: keep the plain signature
        return None


def _make_function(info, func_name):
    """The Python function for operator `info` under the name `func_name`."""
    hint = func_name.lower()
    signature = info.inputs + info.params
    inputs = set(info.inputs)

    def op_function(*args, **kwargs):
        name = kwargs.pop('name', None)
        attr = kwargs.pop('attr', None)
        if kwargs.pop('out', None) is not None:
            raise TypeError('%s: `out` is only supported for NDArray operations' % func_name)
        sym_args = []
        if info.variadic:
            for i, value in enumerate(args):
                if not isinstance(value, Symbol):
                    raise TypeError('%s: positional argument %d must be a Symbol, got %s'
                                    % (func_name, i, type(value).__name__))
            sym_args = list(args)
        else:
            if len(args) > len(signature):
                raise TypeError('%s() takes at most %d positional arguments (%d given)'
                                % (func_name, len(signature), len(args)))
            for key, value in zip(signature, args):
                if key in kwargs:
                    raise TypeError("%s() got multiple values for argument '%s'"
                                    % (func_name, key))
                kwargs[key] = value
        sym_kwargs, params = {}, {}
        for key, value in kwargs.items():
            if isinstance(value, Symbol):
                sym_kwargs[key] = value
            elif value is _Null:
                continue
            elif key in inputs:
                if value is not None:
                    raise TypeError('%s: input `%s` must be a Symbol, got %s'
                                    % (func_name, key, type(value).__name__))
            else:
                params[key] = value
        if info.key_var_num_args and info.key_var_num_args not in params:
            params[info.key_var_num_args] = len(sym_args)
        return _create(info, hint, name, attr, sym_args, sym_kwargs, params)

    op_function.__signature__ = _signature(info)
    op_function.__name__ = func_name
    op_function.__qualname__ = func_name
    op_function.__doc__ = '%s\n\nParameters\n----------\n%s\nname : str, optional\n' \
        '    Name of the resulting symbol.\n\nReturns\n-------\nSymbol\n' % (
            info.description, '\n'.join(info.doc_lines))
    return op_function


def _install(module, func_name, function):
    setattr(module, func_name, function)
    if not func_name.startswith('_') and func_name not in module.__all__:
        module.__all__.append(func_name)


def _add_fluent_method(method, op_function):
    def fluent(self, *args, **kwargs):
        return op_function(self, *args, **kwargs)
    fluent.__name__ = method
    fluent.__doc__ = 'Calls `%s` with this symbol as its first input.' % op_function.__name__
    setattr(Symbol, method, fluent)


def _init_symbol_module():
    """Fills mx.sym.op, mx.sym._internal and mx.sym.contrib from the registry."""
    infos = {}
    for creator in _LIB.MXSymbolListAtomicSymbolCreators():
        info = _OpInfo(creator)
        infos[info.name] = info
    # Aliases (`_Plus`, `Softmax`, ...) get functions of their own, so their hint is theirs.
    functions = [(name, info) for name, info in infos.items()]
    for name in _LIB.MXListAllOpNames():
        if name not in infos:
            canonical = _LIB.MXSymbolGetAtomicSymbolName(_LIB.NNGetOpHandle(name))
            functions.append((name, infos[canonical]))

    for name, info in functions:
        for prefix, module in _PREFIX_MODULES.items():
            if name.startswith(prefix):
                _install(module, name[len(prefix):], _make_function(info, name[len(prefix):]))
                break
        else:
            target = _internal if name.startswith('_') else op
            _install(target, name, _make_function(info, name))

    for method in _FLUENT_METHODS:
        if hasattr(op, method):
            _add_fluent_method(method, getattr(op, method))
    if hasattr(op, 'cast'):
        _add_fluent_method('astype', op.cast)
