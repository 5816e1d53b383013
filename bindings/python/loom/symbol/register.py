"""Generates the operator functions of mx.sym and the Symbol fluent methods from the engine's
registry at import time.

Nothing here knows any particular operator: each registered operator (and alias) is described
by MXSymbolGetAtomicSymbolInfo, whose arguments typed "NDArray-or-Symbol" are the inputs and the
rest parameters. A call creates the operator node with the parameters the caller gave (as
`str(value)`, as MXNet's frontend does) and composes it with the inputs, named by the current
NameManager with the function name in lower case as hint (`fullyconnected0`, `_plus0`).

The fluent methods (`sym.reshape(...)`, `sym.sum(...)`) are MXNet's fixed list; each looks its
operator up when called, so a method whose operator this build lacks fails with a clear
message instead of disappearing.
"""
import inspect

from .. import _op_registry
from .._op_registry import bind_positional, param_string
from ..attribute import AttrScope
from ..base import _LIB, _Null
from ..name import NameManager
from . import _internal, contrib, linalg, op
from . import symbol as _symbol_module


class SymbolArgumentError(TypeError, AssertionError):
    """A non-Symbol given where an operator expects an input Symbol. MXNet raises
    AssertionError here; being a TypeError too lets both kinds of handler catch it."""


_info_for = _op_registry.info_for


def _create(info, hint, name, attr, sym_args, sym_kwargs, params):
    Symbol = _symbol_module.Symbol
    attrs = AttrScope.current.get(attr)
    keys = list(params) + list(attrs)
    vals = [param_string(k, v) for k, v in params.items()] + [str(v) for v in attrs.values()]
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

    def generated(*args, **kwargs):
        Symbol = _symbol_module.Symbol
        name = kwargs.pop('name', None)
        attr = kwargs.pop('attr', None)
        kwargs.pop('out', None)  # NDArray-only; MXNet's symbol functions ignore it too
        sym_args = []
        if info.variadic:
            for value in args:
                if not isinstance(value, Symbol):
                    raise SymbolArgumentError('Positional arguments must be Symbol instances, '
                                              'but got %s' % str(value))
            sym_args = list(args)
            if sym_args and any(isinstance(v, Symbol) for v in kwargs.values()):
                raise TypeError('Operators with variable length input can only accept input '
                                'Symbols either as positional or keyword arguments, not both')
        else:
            bind_positional(func_name, signature, args, kwargs)
        sym_kwargs, params = {}, {}
        for key, value in kwargs.items():
            if isinstance(value, Symbol):
                sym_kwargs[key] = value
            elif value is _Null:
                continue
            elif key in inputs:
                if value is not None:
                    raise SymbolArgumentError('Argument %s must be Symbol instances, but got %s'
                                              % (key, str(value)))
            else:
                params[key] = value
        if info.key_var_num_args and info.key_var_num_args not in params:
            params[info.key_var_num_args] = len(sym_args)
        return _create(info, hint, name, attr, sym_args, sym_kwargs, params)

    generated.__signature__ = _signature(info)
    generated.__name__ = func_name
    generated.__qualname__ = func_name
    generated.__doc__ = '%s\n\nParameters\n----------\n%s\nname : string, optional.\n' \
        '    Name of the resulting symbol.\n\nReturns\n-------\nSymbol\n' \
        '    The result symbol.\n' % (info.description, '\n'.join(info.doc_lines('Symbol')))
    return generated


_FUNCTIONS = _op_registry.OpFunctions(_make_function)
op_function = _FUNCTIONS.op_function


# ---------------------------------------------------------------- fluent methods
# MXNet's Symbol fluent methods: method name -> (function name called, canonical operator used
# when the build lacks that alias). The function name decides the automatic name, as in MXNet
# (`x.flatten()` is `flatten0` with op Flatten, `x.astype(...)` is `cast0`).
_FLUENT_METHODS = {
    'abs': ('abs', None), 'arccos': ('arccos', None), 'arccosh': ('arccosh', None),
    'arcsin': ('arcsin', None), 'arcsinh': ('arcsinh', None), 'arctan': ('arctan', None),
    'arctanh': ('arctanh', None), 'argmax': ('argmax', None),
    'argmax_channel': ('argmax_channel', None), 'argmin': ('argmin', None),
    'argsort': ('argsort', None), 'astype': ('cast', 'Cast'),
    'broadcast_axes': ('broadcast_axes', 'broadcast_axis'),
    'broadcast_like': ('broadcast_like', None), 'broadcast_to': ('broadcast_to', None),
    'cbrt': ('cbrt', None), 'ceil': ('ceil', None), 'clip': ('clip', None),
    'cos': ('cos', None), 'cosh': ('cosh', None), 'degrees': ('degrees', None),
    'depth_to_space': ('depth_to_space', None), 'diag': ('diag', None), 'exp': ('exp', None),
    'expand_dims': ('expand_dims', None), 'expm1': ('expm1', None), 'fix': ('fix', None),
    'flatten': ('flatten', 'Flatten'), 'flip': ('flip', 'reverse'), 'floor': ('floor', None),
    'log': ('log', None), 'log10': ('log10', None), 'log1p': ('log1p', None),
    'log2': ('log2', None), 'log_sigmoid': ('log_sigmoid', None),
    'log_softmax': ('log_softmax', None), 'max': ('max', None), 'mean': ('mean', None),
    'min': ('min', None), 'mish': ('mish', None), 'nanprod': ('nanprod', None),
    'nansum': ('nansum', None), 'norm': ('norm', None), 'one_hot': ('one_hot', None),
    'ones_like': ('ones_like', None), 'pad': ('pad', 'Pad'), 'pick': ('pick', None),
    'prod': ('prod', None), 'radians': ('radians', None), 'rcbrt': ('rcbrt', None),
    'reciprocal': ('reciprocal', None), 'relu': ('relu', None), 'repeat': ('repeat', None),
    'reshape': ('reshape', 'Reshape'), 'reshape_like': ('reshape_like', None),
    'rint': ('rint', None), 'round': ('round', None), 'rsqrt': ('rsqrt', None),
    'shape_array': ('shape_array', None), 'sigmoid': ('sigmoid', None),
    'sign': ('sign', None), 'sin': ('sin', None), 'sinh': ('sinh', None),
    'size_array': ('size_array', None), 'slice': ('slice', None),
    'slice_axis': ('slice_axis', None), 'slice_like': ('slice_like', None),
    'softmax': ('softmax', None), 'softmin': ('softmin', None), 'sort': ('sort', None),
    'space_to_depth': ('space_to_depth', None), 'split': ('split', 'SliceChannel'),
    'sqrt': ('sqrt', None), 'square': ('square', None), 'squeeze': ('squeeze', None),
    'sum': ('sum', None), 'swapaxes': ('swapaxes', 'SwapAxis'), 'take': ('take', None),
    'tan': ('tan', None), 'tanh': ('tanh', None), 'tile': ('tile', None),
    'topk': ('topk', None), 'transpose': ('transpose', None), 'trunc': ('trunc', None),
    'zeros_like': ('zeros_like', None),
}


def _fluent_doc(func_name):
    return ('Convenience fluent method for :py:func:`%s`.\n\nThe arguments are the same as for '
            ':py:func:`%s`, with this array as data.' % (func_name, func_name))


def _make_fluent(method, func_name, fallback):
    # A few methods have MXNet's own signatures (NDArray's `inplace` is accepted and unused).
    if method == 'diag':
        def fluent(self, k=0, **kwargs):
            return op_function(func_name, fallback)(self, k=k, **kwargs)
    elif method == 'expand_dims':
        def fluent(self, axis, inplace=False, **kwargs):  # pylint: disable=unused-argument
            return op_function(func_name, fallback)(self, axis=axis, **kwargs)
    elif method == 'flatten':
        def fluent(self, inplace=False, **kwargs):  # pylint: disable=unused-argument
            return op_function(func_name, fallback)(self, **kwargs)
    elif method == 'squeeze':
        def fluent(self, axis=None, inplace=False, **kwargs):  # pylint: disable=unused-argument
            return op_function(func_name, fallback)(self, axis=axis, **kwargs)
    else:
        def fluent(self, *args, **kwargs):
            return op_function(func_name, fallback)(self, *args, **kwargs)
    fluent.__name__ = method
    fluent.__qualname__ = 'Symbol.' + method
    fluent.__doc__ = _fluent_doc(func_name)
    return fluent


def _add_fluent_methods(symbol_class):
    for method, (func_name, fallback) in _FLUENT_METHODS.items():
        setattr(symbol_class, method, _make_fluent(method, func_name, fallback))

    def split_v2(self, *args, **kwargs):
        return _symbol_module.split_v2(self, *args, **kwargs)
    split_v2.__qualname__ = 'Symbol.split_v2'
    split_v2.__doc__ = _fluent_doc('split_v2')
    symbol_class.split_v2 = split_v2


# ---------------------------------------------------------------- module initialisation
def _init_symbol_module():
    """Fills mx.sym.op, mx.sym._internal, mx.sym.contrib and mx.sym.linalg from the registry
    and gives Symbol its fluent methods."""
    _FUNCTIONS.install_all(op, _internal, contrib, linalg)
    _add_fluent_methods(_symbol_module.Symbol)
