"""Symbol: a graph of operators with named inputs (MXNet's mx.sym.Symbol) and the module-level
helpers var/Variable, Group, load, load_json.

A Symbol owns one SymbolHandle. Composition, inference, serialisation and binding are C calls;
this file adds Python's operator overloading, MXNet's argument conventions and the error
messages a Python user expects.
"""
import copy
import warnings

import numpy as np

from ..attribute import AttrScope
from ..base import _LIB, NotImplementedForSymbol, MXNetError, numeric_types
from ..context import Context, current_context
from ..ndarray import NDArray, array as nd_array
from ..ndarray.ndarray import dtype_np_to_mx, dtype_mx_to_np
from . import _internal

__all__ = ['Symbol', 'var', 'Variable', 'Group', 'load', 'load_json', 'fromjson', 'pow',
           'power', 'maximum', 'minimum', 'hypot', 'zeros', 'ones', 'full', 'arange']

_GRAD_REQ_MAP = {'null': 0, 'write': 1, 'add': 3}
_STORAGE_TYPE_STR_TO_ID = {'undefined': -1, 'default': 0, 'row_sparse': 1, 'csr': 2}


def _internal_op(name):
    function = getattr(_internal, name, None)
    if function is None:
        raise MXNetError('Operator %s is not registered in this build of Loom' % name)
    return function


class Symbol:
    """A symbolic graph: its outputs, and through them every node they depend on."""

    __slots__ = ['handle', '__weakref__']

    def __init__(self, handle):
        self.handle = handle

    def __del__(self):
        handle = getattr(self, 'handle', 0)
        if handle:
            self.handle = 0
            try:
                _LIB.MXSymbolFree(handle)
            except Exception:  # interpreter shutdown: nothing useful left to do
                pass

    # ------------------------------------------------------------------ copying, pickling
    def __copy__(self):
        return Symbol(_LIB.MXSymbolCopy(self.handle))

    def __deepcopy__(self, memo):
        return Symbol(_LIB.MXSymbolCopy(self.handle))

    def __getstate__(self):
        return {'handle': self.tojson() if self.handle else None}

    def __setstate__(self, state):
        json = state['handle']
        self.handle = _LIB.MXSymbolCreateFromJSON(json) if json is not None else 0

    # ------------------------------------------------------------------ composition
    def __call__(self, *args, **kwargs):
        """A copy of this symbol with inputs replaced (keyword: variables of that name)."""
        result = copy.deepcopy(self)
        result._compose(*args, **kwargs)
        return result

    def _compose(self, *args, **kwargs):
        name = kwargs.pop('name', None)
        if args and kwargs:
            raise TypeError('compose only accepts input Symbols either as positional or '
                            'keyword arguments, not both')
        for key, value in list(enumerate(args)) + list(kwargs.items()):
            if not isinstance(value, Symbol):
                raise TypeError('Compose expects Symbols as inputs; %s is %s'
                                % (key, type(value).__name__))
        if kwargs:
            keys = list(kwargs)
            handles = [kwargs[k].handle for k in keys]
        else:
            keys = None
            handles = [s.handle for s in args]
        _LIB.MXSymbolCompose(self.handle, name, keys, handles)

    # ------------------------------------------------------------------ outputs
    def __len__(self):
        return _LIB.MXSymbolGetNumOutputs(self.handle)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Group([self[i] for i in range(len(self))[index]])
        if isinstance(index, str):
            matches = [i for i, name in enumerate(self.list_outputs()) if name == index]
            if len(matches) > 1:
                raise ValueError('There are multiple outputs with name "%s"' % index)
            if not matches:
                raise ValueError('Cannot find output that matches name "%s"; outputs are %s'
                                 % (index, self.list_outputs()))
            index = matches[0]
        if not isinstance(index, (int, np.integer)):
            raise TypeError('Symbol only supports integer or output-name indices, got %s'
                            % type(index).__name__)
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError('Symbol has %d outputs; index %d is out of range' % (count, index))
        return Symbol(_LIB.MXSymbolGetOutput(self.handle, int(index)))

    def __repr__(self):
        name = self.name
        if name is None:
            return '<%s group [%s]>' % (type(self).__name__, ', '.join(s.name for s in self))
        return '<%s %s>' % (type(self).__name__, name)

    def __bool__(self):
        raise NotImplementedForSymbol(self.__bool__, 'bool')

    __hash__ = object.__hash__

    # ------------------------------------------------------------------ arithmetic
    def _binary(self, other, symbol_op, scalar_op):
        if isinstance(other, Symbol):
            return _internal_op(symbol_op)(self, other)
        if isinstance(other, numeric_types):
            return _internal_op(scalar_op)(self, scalar=other)
        raise TypeError('type %s not supported' % str(type(other)))

    def _reflected(self, other, scalar_op):
        if isinstance(other, numeric_types):
            return _internal_op(scalar_op)(self, scalar=other)
        raise TypeError('type %s not supported' % str(type(other)))

    def __add__(self, other):
        return self._binary(other, '_Plus', '_PlusScalar')

    __radd__ = __add__

    def __sub__(self, other):
        return self._binary(other, '_Minus', '_MinusScalar')

    def __rsub__(self, other):
        return self._reflected(other, '_RMinusScalar')

    def __mul__(self, other):
        return self._binary(other, '_Mul', '_MulScalar')

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self._binary(other, '_Div', '_DivScalar')

    def __rtruediv__(self, other):
        return self._reflected(other, '_RDivScalar')

    __div__ = __truediv__
    __rdiv__ = __rtruediv__

    def __mod__(self, other):
        return self._binary(other, '_Mod', '_ModScalar')

    def __rmod__(self, other):
        return self._reflected(other, '_RModScalar')

    def __pow__(self, other):
        return self._binary(other, '_Power', '_PowerScalar')

    def __rpow__(self, other):
        return self._reflected(other, '_rpower_scalar')

    def __neg__(self):
        return self.__mul__(-1.0)

    def __abs__(self):
        return self.abs()

    def __eq__(self, other):
        return self._binary(other, '_equal', '_equal_scalar')

    def __ne__(self, other):
        return self._binary(other, '_not_equal', '_not_equal_scalar')

    def __gt__(self, other):
        return self._binary(other, '_greater', '_greater_scalar')

    def __ge__(self, other):
        return self._binary(other, '_greater_equal', '_greater_equal_scalar')

    def __lt__(self, other):
        return self._binary(other, '_lesser', '_lesser_scalar')

    def __le__(self, other):
        return self._binary(other, '_lesser_equal', '_lesser_equal_scalar')

    def __iadd__(self, other):
        raise NotImplementedForSymbol(self.__iadd__, '+=', other)

    def __isub__(self, other):
        raise NotImplementedForSymbol(self.__isub__, '-=', other)

    def __imul__(self, other):
        raise NotImplementedForSymbol(self.__imul__, '*=', other)

    def __itruediv__(self, other):
        raise NotImplementedForSymbol(self.__itruediv__, '/=', other)

    def __imod__(self, other):
        raise NotImplementedForSymbol(self.__imod__, '%=', other)

    def __ipow__(self, other):
        raise NotImplementedForSymbol(self.__ipow__, '**=', other)

    # ------------------------------------------------------------------ names and attributes
    @property
    def name(self):
        """The name of a single-output symbol; None for a group."""
        return _LIB.MXSymbolGetName(self.handle)

    def attr(self, key):
        """The attribute `key` of this (single-node) symbol, or None."""
        return _LIB.MXSymbolGetAttr(self.handle, key)

    def list_attr(self, recursive=False):
        """The attributes of the head node as a dict."""
        if recursive:
            raise DeprecationWarning('Symbol.list_attr with recursive=True has been '
                                     'deprecated. Please use attr_dict instead.')
        flat = _LIB.MXSymbolListAttrShallow(self.handle)
        return dict(zip(flat[0::2], flat[1::2]))

    def attr_dict(self):
        """{node name: {key: value}} for every node of the graph that has attributes."""
        flat = _LIB.MXSymbolListAttr(self.handle)
        result = {}
        for key, value in zip(flat[0::2], flat[1::2]):
            node, _, attr = key.partition('$')
            result.setdefault(node, {})[attr] = value
        return result

    def _set_attr(self, **kwargs):
        for key, value in kwargs.items():
            if not isinstance(value, str):
                raise ValueError('Set Attr only accepts string values; %s=%r is not'
                                 % (key, value))
            _LIB.MXSymbolSetAttr(self.handle, key, value)

    def get_internals(self):
        """A group of every variable and every visible operator output of the graph."""
        return Symbol(_LIB.MXSymbolGetInternals(self.handle))

    def get_children(self):
        """A group of the inputs of the head node(s), or None for a variable."""
        children = Symbol(_LIB.MXSymbolGetChildren(self.handle))
        return children if children.list_outputs() else None

    def list_arguments(self):
        """Argument names in graph order (auxiliary states excluded)."""
        return _LIB.MXSymbolListArguments(self.handle)

    def list_outputs(self):
        """Output names, e.g. ['fc1_output']."""
        return _LIB.MXSymbolListOutputs(self.handle)

    def list_auxiliary_states(self):
        """Auxiliary state names (e.g. BatchNorm moving statistics)."""
        return _LIB.MXSymbolListAuxiliaryStates(self.handle)

    def list_inputs(self):
        """Every variable (arguments and auxiliary states) in graph order."""
        inputs = set(self.list_arguments()) | set(self.list_auxiliary_states())
        return [name for name in self.get_internals().list_outputs() if name in inputs]

    # ------------------------------------------------------------------ inference
    def infer_shape(self, *args, **kwargs):
        """Infers (arg_shapes, out_shapes, aux_shapes) from known argument shapes.

        Shapes are tuples; 0 marks an unknown dimension. Returns (None, None, None), with a
        warning naming the undecided arguments, when some shape stays unknown.
        """
        result = self._infer_shape_impl(False, *args, **kwargs)
        if result[1] is None:
            arg_shapes, _, _ = self._infer_shape_impl(True, *args, **kwargs)
            unknowns = ['%s: %s' % (name, shape)
                        for name, shape in zip(self.list_arguments(), arg_shapes)
                        if not shape or not int(np.prod(shape))]
            if len(unknowns) > 10:
                unknowns = unknowns[:10] + ['...']
            warnings.warn('Cannot decide shape for the following arguments (0s in shape means '
                          'unknown dimensions). Consider providing them as input:\n\t'
                          + '\n\t'.join(unknowns), stacklevel=2)
        return result

    def infer_shape_partial(self, *args, **kwargs):
        """As infer_shape, but returns what is known (unknown shapes as ())."""
        return self._infer_shape_impl(True, *args, **kwargs)

    def _infer_shape_impl(self, partial, *args, **kwargs):
        if args and kwargs:
            raise ValueError('Can only specify known argument shapes either by positional or '
                             'kwargs way.')
        ind_ptr, data = [0], []
        if args:
            keys = None
            for i, shape in enumerate(args):
                if shape is not None:
                    if not isinstance(shape, tuple):
                        raise TypeError('Arguments need to be shapes (tuple), but argument %d '
                                        'is %s.' % (i, type(shape)))
                    data.extend(shape)
                ind_ptr.append(len(data))
        else:
            keys = []
            for key, shape in kwargs.items():
                if not isinstance(shape, tuple):
                    raise TypeError("Arguments need to be shapes (tuple), but '%s' is %s."
                                    % (key, type(shape)))
                keys.append(key)
                data.extend(shape)
                ind_ptr.append(len(data))
        if any(not isinstance(d, (int, np.integer)) or d < 0 for d in data):
            raise ValueError('Shape dimensions must be non-negative integers (0 marks an '
                             'unknown dimension); got %s' % (args or kwargs,))
        infer = _LIB.MXSymbolInferShapePartial if partial else _LIB.MXSymbolInferShape
        arg_shapes, out_shapes, aux_shapes, complete = infer(
            self.handle, keys, ind_ptr, [int(d) for d in data])
        if partial or complete:
            return arg_shapes, out_shapes, aux_shapes
        return None, None, None

    def infer_type(self, *args, **kwargs):
        """Infers (arg_types, out_types, aux_types) as numpy types from known argument types.

        Returns (None, None, None), with a warning, when some type stays unknown.
        """
        result = self._infer_type_impl(False, *args, **kwargs)
        if result[1] is None:
            arg_types, _, _ = self._infer_type_impl(True, *args, **kwargs)
            unknowns = [name for name, t in zip(self.list_arguments(), arg_types) if t is None]
            warnings.warn('Cannot decide type for the following arguments. Consider providing '
                          'them as input:\n\t' + '\n\t'.join(unknowns), stacklevel=2)
        return result

    def infer_type_partial(self, *args, **kwargs):
        """As infer_type, but returns what is known (unknown types as None)."""
        return self._infer_type_impl(True, *args, **kwargs)

    def _infer_type_impl(self, partial, *args, **kwargs):
        if args and kwargs:
            raise ValueError('Can only specify known argument types either by positional or '
                             'kwargs way.')
        if args:
            keys = None
            types = [dtype_np_to_mx(t) for t in args]
        else:
            keys = list(kwargs)
            types = [dtype_np_to_mx(kwargs[k]) for k in keys]
        arg_types, out_types, aux_types, complete = _LIB.MXSymbolInferType(
            self.handle, keys, types)
        if partial or complete:
            return ([dtype_mx_to_np(t) for t in arg_types],
                    [dtype_mx_to_np(t) for t in out_types],
                    [dtype_mx_to_np(t) for t in aux_types])
        return None, None, None

    # ------------------------------------------------------------------ serialisation
    def debug_str(self):
        """A readable description of the graph."""
        return _LIB.MXSymbolPrint(self.handle)

    def tojson(self, remove_amp_cast=True):
        """The graph as MXNet 1.9.1 JSON text."""
        return _LIB.MXSymbolSaveToJSON(self.handle)

    def save(self, fname, remove_amp_cast=True):
        """Writes the graph's JSON (same text as tojson) to `fname`."""
        if not isinstance(fname, str):
            raise TypeError('fname needs to be a string')
        _LIB.MXSymbolSaveToFile(self.handle, fname)

    # ------------------------------------------------------------------ binding
    def bind(self, ctx, args, args_grad=None, grad_req='write', aux_states=None,
             group2ctx=None, shared_exec=None):
        """Binds the symbol to the given arrays (used by reference) and returns an Executor.

        `args` (and `args_grad`, `aux_states`) are lists in list_arguments order or dicts by
        name; numpy arrays are copied into new float32 NDArrays on `ctx`. With
        `args_grad=None` no gradient is computed, whatever `grad_req` says.
        """
        from ..executor import Executor
        if not isinstance(ctx, Context):
            raise TypeError('Context type error: %s' % type(ctx))
        arg_names = self.list_arguments()
        arg_arrays = _ndarray_inputs('args', args, arg_names, False, ctx)
        if args_grad is None:
            grad_arrays = [None] * len(arg_names)
            reqs = [0] * len(arg_names)
        else:
            grad_arrays = _ndarray_inputs('args_grad', args_grad, arg_names, True, ctx)
            reqs = _grad_req_codes(grad_req, arg_names)
        aux_names = self.list_auxiliary_states()
        aux_arrays = _ndarray_inputs('aux_states', [] if aux_states is None else aux_states,
                                     aux_names, False, ctx)
        map_keys, map_types, map_ids = _group2ctx_lists(group2ctx)
        handle = _LIB.MXExecutorBindEX(
            self.handle, ctx.device_typeid, ctx.device_id, map_keys, map_types, map_ids,
            [a.handle for a in arg_arrays], [g.handle if g is not None else 0
                                             for g in grad_arrays],
            reqs, [a.handle for a in aux_arrays],
            shared_exec.handle if shared_exec is not None else 0)
        executor = Executor(handle, self, ctx, grad_req, group2ctx)
        executor.arg_arrays = arg_arrays
        executor.grad_arrays = grad_arrays
        executor.aux_arrays = aux_arrays
        return executor

    def simple_bind(self, ctx, grad_req='write', type_dict=None, stype_dict=None,
                    group2ctx=None, shared_arg_names=None, shared_exec=None,
                    shared_buffer=None, **kwargs):
        """Infers shapes from `kwargs` (name=shape), allocates zero-filled arguments, gradients
        and auxiliary states on `ctx`, and binds."""
        from ..executor import Executor
        if not isinstance(ctx, Context):
            raise TypeError('Context type error: %s' % type(ctx))
        dtype_names = list(type_dict) if type_dict else []
        dtypes = [dtype_np_to_mx(type_dict[k]) for k in dtype_names]
        stype_names = list(stype_dict) if stype_dict else []
        stypes = [_STORAGE_TYPE_STR_TO_ID[stype_dict[k]] for k in stype_names]
        shape_names, shape_data, shape_idx = [], [], [0]
        for name, shape in kwargs.items():
            if not isinstance(shape, (tuple, list)):
                raise TypeError('simple_bind: shape of %s must be a tuple, got %s'
                                % (name, type(shape).__name__))
            shape_names.append(name)
            shape_data.extend(int(d) for d in shape)
            shape_idx.append(len(shape_data))
        if isinstance(grad_req, str):
            req_len, req_names, req_types = 0, None, [grad_req]
        elif isinstance(grad_req, (list, tuple)):
            if not grad_req:
                raise ValueError('grad_req in simple_bind cannot be an empty list')
            req_len, req_names, req_types = len(grad_req), None, list(grad_req)
        elif isinstance(grad_req, dict):
            if not grad_req:
                raise ValueError('grad_req in simple_bind cannot be an empty dict')
            req_len, req_names = len(grad_req), list(grad_req)
            req_types = [grad_req[k] for k in req_names]
        else:
            raise TypeError('grad_req must be a str, list or dict, got %s' % type(grad_req))
        map_keys, map_types, map_ids = _group2ctx_lists(group2ctx)
        buffer = None
        if shared_buffer is not None:
            if not isinstance(shared_buffer, dict):
                raise TypeError('shared_buffer must be a dict of str to NDArray')
            buffer = (list(shared_buffer), [v.handle for v in shared_buffer.values()])
        try:
            handle, in_args, arg_grads, aux_states, updated = _LIB.MXExecutorSimpleBindEx(
                self.handle, ctx.device_typeid, ctx.device_id, map_keys, map_types, map_ids,
                req_len, req_names, req_types, shape_names, shape_data, shape_idx,
                dtype_names, dtypes, stype_names, stypes, list(shared_arg_names or []),
                buffer, shared_exec.handle if shared_exec is not None else 0)
        except MXNetError as err:
            shapes = ''.join('%s: %s\n' % (k, v) for k, v in kwargs.items())
            raise type(err)('simple_bind error. Arguments:\n%s%s' % (shapes, err)) from None
        if shared_buffer is not None and updated is not None:
            for name, buf in zip(*updated):
                shared_buffer[name] = NDArray(buf)
        executor = Executor(handle, self, ctx, grad_req, group2ctx)
        executor.arg_arrays = [NDArray(h) for h in in_args]
        executor.grad_arrays = [NDArray(h) if h else None for h in arg_grads]
        executor.aux_arrays = [NDArray(h) for h in aux_states]
        return executor

    def eval(self, ctx=None, **kwargs):
        """bind(ctx, kwargs).forward(): the list of outputs for the given arguments."""
        return self.bind(current_context() if ctx is None else ctx, kwargs).forward()

    # NDArray-only methods fail loudly rather than doing something else.
    def asnumpy(self):
        raise NotImplementedForSymbol(self.asnumpy, None)

    def asscalar(self):
        raise NotImplementedForSymbol(self.asscalar, None)

    def wait_to_read(self):
        raise NotImplementedForSymbol(self.wait_to_read, None)

    def as_in_context(self, *args, **kwargs):
        raise NotImplementedForSymbol(self.as_in_context, None)

    def backward(self, *args, **kwargs):
        raise NotImplementedForSymbol(self.backward, None)


def _as_ndarray(value, ctx, what):
    if isinstance(value, NDArray):
        return value
    if isinstance(value, np.ndarray):
        return nd_array(value, ctx=ctx)
    raise TypeError('%s must be NDArray or numpy.ndarray, got %s' % (what, type(value).__name__))


def _ndarray_inputs(arg_key, args, names, allow_missing, ctx):
    """The arrays for `names` from a list (in order) or a dict (by name); None = missing."""
    if isinstance(args, (list, tuple)):
        if len(args) != len(names):
            raise ValueError('Length of %s does not match the number of arguments: expected '
                             '%d (%s), got %d' % (arg_key, len(names), names, len(args)))
        arrays = []
        for name, value in zip(names, args):
            if value is None and allow_missing:
                arrays.append(None)
            else:
                arrays.append(_as_ndarray(value, ctx, '%s[%s]' % (arg_key, name)))
        return arrays
    if isinstance(args, dict):
        arrays = []
        for name in names:
            if name in args and args[name] is not None:
                arrays.append(_as_ndarray(args[name], ctx, '%s[%s]' % (arg_key, name)))
            elif allow_missing:
                arrays.append(None)
            else:
                raise ValueError('key `%s` is missing in `%s`' % (name, arg_key))
        return arrays
    raise TypeError('Only accept list of NDArrays or dict of str to NDArray for %s' % arg_key)


def _grad_req_codes(grad_req, names):
    def code(req, name):
        if req not in _GRAD_REQ_MAP:
            raise ValueError('grad_req for %s must be one of %s, got %r'
                             % (name, sorted(_GRAD_REQ_MAP), req))
        return _GRAD_REQ_MAP[req]

    if isinstance(grad_req, str):
        return [code(grad_req, name) for name in names]
    if isinstance(grad_req, (list, tuple)):
        if len(grad_req) != len(names):
            raise ValueError('grad_req has %d entries but the symbol has %d arguments'
                             % (len(grad_req), len(names)))
        return [code(req, name) for req, name in zip(grad_req, names)]
    if isinstance(grad_req, dict):
        return [code(grad_req.get(name, 'null'), name) for name in names]
    raise TypeError('grad_req must be a str, list or dict, got %s' % type(grad_req))


def _group2ctx_lists(group2ctx):
    if not group2ctx:
        return [], [], []
    keys = list(group2ctx)
    return (keys, [group2ctx[k].device_typeid for k in keys],
            [group2ctx[k].device_id for k in keys])


def var(name, attr=None, shape=None, lr_mult=None, wd_mult=None, dtype=None, init=None,
        stype=None, profiler_scope=None, **kwargs):
    """Creates a variable (an input of the graph) named `name`.

    shape, lr_mult, wd_mult, dtype, init and stype are stored as the hidden attributes
    MXNet writes (__shape__, __lr_mult__, ...); extra keyword attributes must be `__x__`.
    """
    if not isinstance(name, str):
        raise TypeError('Expect a string for variable `name`')
    result = Symbol(_LIB.MXSymbolCreateVariable(name))
    attrs = AttrScope.current.get(attr)
    if shape is not None:
        attrs['__shape__'] = str(shape)
    if lr_mult is not None:
        attrs['__lr_mult__'] = str(lr_mult)
    if wd_mult is not None:
        attrs['__wd_mult__'] = str(wd_mult)
    if dtype is not None:
        attrs['__dtype__'] = str(dtype_np_to_mx(dtype))
    if init is not None:
        attrs['__init__'] = init if isinstance(init, str) else init.dumps()
    if stype is not None:
        attrs['__storage_type__'] = str(_STORAGE_TYPE_STR_TO_ID[stype])
    if profiler_scope is not None:
        attrs['__profiler_scope__'] = profiler_scope
    for key, value in kwargs.items():
        if not (key.startswith('__') and key.endswith('__')):
            raise ValueError('Attribute name=%s is not supported. Additional attributes must '
                             'start and end with double underscores, e.g, __yourattr__' % key)
        attrs[key] = str(value)
    result._set_attr(**attrs)
    return result


Variable = var


def Group(symbols):
    """One symbol whose outputs are the outputs of `symbols`, in order."""
    if not symbols or any(not isinstance(s, Symbol) for s in symbols):
        raise TypeError('Expected a list of symbols as input')
    return Symbol(_LIB.MXSymbolCreateGroup([s.handle for s in symbols]))


def load(fname):
    """Loads a symbol from an MXNet JSON file."""
    if not isinstance(fname, str):
        raise TypeError('fname needs to be a string')
    return Symbol(_LIB.MXSymbolCreateFromFile(fname))


def load_json(json_str):
    """Loads a symbol from MXNet JSON text."""
    if not isinstance(json_str, str):
        raise TypeError('json_str needs to be a string')
    return Symbol(_LIB.MXSymbolCreateFromJSON(json_str))


fromjson = load_json


def _scalar_dispatch(left, right, symbol_op, left_scalar_op, right_scalar_op, python_fn):
    if isinstance(left, Symbol) and isinstance(right, Symbol):
        return _internal_op(symbol_op)(left, right)
    if isinstance(left, Symbol) and isinstance(right, numeric_types):
        return _internal_op(left_scalar_op)(left, scalar=right)
    if isinstance(left, numeric_types) and isinstance(right, Symbol):
        return _internal_op(right_scalar_op)(right, scalar=left)
    if isinstance(left, numeric_types) and isinstance(right, numeric_types):
        return python_fn(left, right)
    raise TypeError('types (%s, %s) not supported' % (type(left), type(right)))


def pow(base, exp):  # pylint: disable=redefined-builtin
    """base ** exp elementwise; either side may be a number."""
    return _scalar_dispatch(base, exp, '_Power', '_PowerScalar', '_rpower_scalar',
                            lambda a, b: a ** b)


power = pow


def maximum(left, right):
    """Elementwise maximum; either side may be a number."""
    return _scalar_dispatch(left, right, '_Maximum', '_MaximumScalar', '_MaximumScalar',
                            lambda a, b: a if a > b else b)


def minimum(left, right):
    """Elementwise minimum; either side may be a number."""
    return _scalar_dispatch(left, right, '_Minimum', '_MinimumScalar', '_MinimumScalar',
                            lambda a, b: a if a < b else b)


def hypot(left, right):
    """sqrt(left**2 + right**2) elementwise; either side may be a number."""
    return _scalar_dispatch(left, right, '_Hypot', '_HypotScalar', '_HypotScalar',
                            lambda a, b: float(np.hypot(a, b)))


def zeros(shape, dtype=None, **kwargs):
    """A symbol of zeros of the given shape (float32 unless dtype is given)."""
    return _internal_op('_zeros')(shape=shape, dtype=np.float32 if dtype is None else dtype,
                                  **kwargs)


def ones(shape, dtype=None, **kwargs):
    """A symbol of ones of the given shape (float32 unless dtype is given)."""
    return _internal_op('_ones')(shape=shape, dtype=np.float32 if dtype is None else dtype,
                                 **kwargs)


def full(shape, val, dtype=None, **kwargs):
    """A symbol filled with `val` (float32 unless dtype is given)."""
    return _internal_op('_full')(shape=shape, value=val,
                                 dtype=np.float32 if dtype is None else dtype, **kwargs)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=False, name=None, dtype=None):
    """Evenly spaced values in [start, stop)."""
    return _internal_op('_arange')(start=start, stop=stop, step=step, repeat=repeat,
                                   infer_range=infer_range, name=name,
                                   dtype=np.float32 if dtype is None else dtype)
