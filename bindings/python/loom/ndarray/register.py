"""Generates mx.nd's operator functions (mx.nd.op, mx.nd._internal, mx.nd.contrib,
mx.nd.linalg) from the engine's registry at import time, as mx.sym's are.

Each function calls MXImperativeInvoke through the C ABI: NDArray arguments are the inputs (in
the operator's input order), everything else a parameter sent as `str(value)` (dtype as its
numpy name), `out=` names the array(s) to write.
"""
import numpy as np

from ..base import _LIB, _Null, MXNetError
from ..context import current_context
from . import _internal, contrib, linalg, op

_PREFIX_MODULES = {'_contrib_': contrib, '_linalg_': linalg}


class _OpInfo:
    """What the registry says about one operator: its inputs and parameters."""

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


_INFOS = {}
_RESOLVED = {}


def _param_string(key, value):
    if key == 'dtype':
        return np.dtype(value).name
    return str(value)


def _info_for(name):
    if name in _INFOS:
        return _INFOS[name]
    try:
        canonical = _LIB.MXSymbolGetAtomicSymbolName(_LIB.NNGetOpHandle(name))
    except MXNetError:
        return None
    return _INFOS.get(canonical)


def invoke(info, inputs, params, out=None, is_train=False):
    """Runs operator `info` on NDArrays `inputs` with `params` (dict); returns the NDArray, the
    list of NDArrays (several visible outputs), or `out` when given."""
    from .ndarray import NDArray
    keys, vals = [], []
    for k, v in params.items():
        if v is _Null:
            continue
        keys.append(k)
        vals.append(_param_string(k, v))
    handles = [a.handle for a in inputs]
    if out is not None:
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        for o in outs:
            if not isinstance(o, NDArray):
                raise TypeError('out must be an NDArray or a list of NDArrays, got %s' % type(o))
        _LIB.MXImperativeInvoke(info.creator, handles, [o.handle for o in outs], keys, vals,
                                bool(is_train))
        return out
    results = [NDArray(h) for h in
               _LIB.MXImperativeInvoke(info.creator, handles, None, keys, vals, bool(is_train))]
    return results[0] if len(results) == 1 else results


def op_function(func_name, fallback=None):
    """The generated function of a registered name or alias (or `fallback`'s)."""
    function = _RESOLVED.get((func_name, fallback))
    if function is not None:
        return function
    info = _info_for(func_name)
    if info is None and fallback is not None:
        info = _info_for(fallback)
    if info is None:
        raise MXNetError('Operator %s is not registered in this build of Loom'
                         % (fallback or func_name))
    function = _RESOLVED[(func_name, fallback)] = _make_function(info, func_name)
    return function


def _make_function(info, func_name):
    signature = info.inputs + info.params
    input_index = {n: i for i, n in enumerate(info.inputs)}

    def generated(*args, **kwargs):
        from .ndarray import NDArray
        out = kwargs.pop('out', None)
        kwargs.pop('name', None)
        is_train = kwargs.pop('is_train', False)
        inputs = []
        if info.variadic:
            rest = []
            for value in args:
                if isinstance(value, NDArray):
                    inputs.append(value)
                elif isinstance(value, (list, tuple)) and all(isinstance(v, NDArray) for v in value):
                    inputs.extend(value)
                else:
                    rest.append(value)
            if rest:
                raise TypeError('%s: positional arguments must be NDArrays, got %s'
                                % (func_name, [type(v).__name__ for v in rest]))
            params = {k: v for k, v in kwargs.items() if not isinstance(v, NDArray)}
            inputs += [v for v in kwargs.values() if isinstance(v, NDArray)]
            if info.key_var_num_args and info.key_var_num_args not in params:
                params[info.key_var_num_args] = len(inputs)
        else:
            if len(args) > len(signature):
                raise TypeError('%s() takes at most %d positional arguments (%d given)'
                                % (func_name, len(signature), len(args)))
            for key, value in zip(signature, args):
                if key in kwargs:
                    raise TypeError("%s() got multiple values for argument '%s'"
                                    % (func_name, key))
                kwargs[key] = value
            slots = [None] * len(info.inputs)
            params = {}
            for key, value in kwargs.items():
                if key in input_index:
                    if value is None or value is _Null:
                        continue
                    if not isinstance(value, NDArray):
                        raise TypeError('%s: argument %s must be an NDArray, got %s'
                                        % (func_name, key, type(value).__name__))
                    slots[input_index[key]] = value
                elif isinstance(value, NDArray):
                    raise TypeError('%s: %s is not an input of the operator' % (func_name, key))
                else:
                    params[key] = value
            inputs = [s for s in slots if s is not None]
        if 'ctx' in info.params and not inputs and params.get('ctx') in (None, _Null):
            params['ctx'] = current_context()  # MXNet places input-less ops there
        return invoke(info, inputs, params, out, is_train)

    generated.__name__ = func_name
    generated.__qualname__ = func_name
    generated.__doc__ = '%s\n\nParameters\n----------\n%s\nout : NDArray, optional\n' \
        '    The output NDArray to hold the result.\n\nReturns\n-------\n' \
        'out : NDArray or list of NDArrays\n    The output of this function.\n' % (
            info.description, '\n'.join(info.doc_lines))
    return generated


def _install(module, func_name, function):
    setattr(module, func_name, function)
    if not func_name.startswith('_') and func_name not in module.__all__:
        module.__all__.append(func_name)


def _init_ndarray_module():
    for creator in _LIB.MXSymbolListAtomicSymbolCreators():
        info = _OpInfo(creator)
        _INFOS[info.name] = info
    functions = list(_INFOS.items())
    for name in _LIB.MXListAllOpNames():
        if name not in _INFOS:
            info = _info_for(name)
            if info is not None:
                functions.append((name, info))
    for name, info in functions:
        for prefix, module in _PREFIX_MODULES.items():
            if name.startswith(prefix):
                short = name[len(prefix):]
                _install(module, short, op_function(name) if short == name else
                         _make_function(info, short))
                break
        else:
            target = _internal if name.startswith('_') else op
            _install(target, name, op_function(name))
