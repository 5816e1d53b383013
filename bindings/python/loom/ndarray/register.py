"""Generates mx.nd's operator functions (mx.nd.op, mx.nd._internal, mx.nd.contrib,
mx.nd.linalg) from the engine's registry at import time, as mx.sym's are.

Each function calls MXImperativeInvoke through the C ABI: NDArray arguments are the inputs (in
the operator's input order), everything else a parameter sent as `str(value)` (dtype as its
numpy name), `out=` names the array(s) to write.
"""
from .. import _op_registry
from .._op_registry import bind_positional, param_string
from ..base import _LIB, _Null
from ..context import current_context
from . import _internal, contrib, linalg, op

_info_for = _op_registry.info_for


def invoke(info, inputs, params, out=None, is_train=False):
    """Runs operator `info` on NDArrays `inputs` with `params` (dict); returns the NDArray, the
    list of NDArrays (several visible outputs), or `out` when given."""
    from .ndarray import NDArray
    keys, vals = [], []
    for k, v in params.items():
        if v is _Null:
            continue
        keys.append(k)
        vals.append(param_string(k, v))
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
            bind_positional(func_name, signature, args, kwargs)
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
            info.description, '\n'.join(info.doc_lines()))
    return generated


_FUNCTIONS = _op_registry.OpFunctions(_make_function)
op_function = _FUNCTIONS.op_function


def _init_ndarray_module():
    _FUNCTIONS.install_all(op, _internal, contrib, linalg)
