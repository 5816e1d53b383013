"""Symbol: a graph of operators with named inputs (MXNet's mx.sym.Symbol) and the module-level
helpers var/Variable, Group, load, load_json/fromjson, pow/power, maximum, minimum, hypot,
zeros, ones, full, arange, linspace, eye, histogram and split_v2.

A Symbol owns one SymbolHandle. Composition, inference, serialisation, differentiation and
binding are C calls; this file adds Python's operator overloading, MXNet's argument
conventions and the messages and warnings a Python user of MXNet 1.9.1 expects. Operator
functions and the fluent methods (`sym.reshape`, `sym.sum`, ...) are generated from the
registry by register.py.
"""
import json
import warnings

import numpy as np

from ..attribute import AttrScope
from ..base import _LIB, NotImplementedForSymbol, MXNetError, numeric_types
from ..context import Context, current_context
from ..ndarray import NDArray, array as nd_array
from ..ndarray.ndarray import dtype_np_to_mx, dtype_mx_to_np

__all__ = ['Symbol', 'var', 'Variable', 'Group', 'load', 'load_json', 'fromjson', 'pow',
           'power', 'maximum', 'minimum', 'hypot', 'zeros', 'ones', 'full', 'arange',
           'linspace', 'eye', 'histogram', 'split_v2']

_GRAD_REQ_MAP = {'null': 0, 'write': 1, 'add': 3}
_STORAGE_TYPE_STR_TO_ID = {'undefined': -1, 'default': 0, 'row_sparse': 1, 'csr': 2}

# Operators whose output shape depends on input values (has_dynamic_shape_op).
_DYNAMIC_SHAPE_OPS = ('_contrib_boolean_mask', 'boolean_mask', '_npi_boolean_mask',
                      '_npx_nonzero', '_npi_unique')


def _op(func_name, fallback=None):
    """The generated function `func_name` (falling back to operator `fallback` under that
    name); imported here lazily because register.py needs this module first."""
    from .register import op_function
    return op_function(func_name, fallback)


class Symbol:
    """A symbolic graph: its outputs, and through them every node they depend on."""

    __slots__ = ['handle', '__weakref__']
    # numpy scalars on the left of an operator defer to our reflected methods
    __array_priority__ = 1000.0

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
        text = state['handle']
        self.handle = _LIB.MXSymbolCreateFromJSON(text) if text is not None else 0

    # ------------------------------------------------------------------ composition
    def __call__(self, *args, **kwargs):
        """A copy of this symbol composed with the given inputs: positionally for an operator
        with free inputs, by keyword (replacing the variables of those names) otherwise;
        `name=` renames the result."""
        result = self.__copy__()
        result._compose(*args, **kwargs)
        return result

    def _compose(self, *args, **kwargs):
        """Composes this symbol in place (x._compose(y, z) is x(y, z) without the copy)."""
        name = kwargs.pop('name', None) or None
        if args and kwargs:
            raise TypeError('compose only accept input Symbols either as positional or '
                            'keyword arguments, not both')
        for value in list(args) + list(kwargs.values()):
            if not isinstance(value, Symbol):
                raise TypeError('Compose expect `Symbol` as arguments')
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
        """Output `index` (an int, a list_outputs name, or a slice giving a Group)."""
        if isinstance(index, slice):
            return Group([self[i] for i in range(len(self))[index]])
        if isinstance(index, str):
            idx = None
            for i, name in enumerate(self.list_outputs()):
                if name == index:
                    if idx is not None:
                        raise ValueError('There are multiple outputs with name "%s"' % index)
                    idx = i
            if idx is None:
                raise ValueError('Cannot find output that matches name "%s"' % index)
            index = idx
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise TypeError('Symbol only support integer index to fetch i-th output')
        count = len(self)
        position = index + count if index < 0 else index
        if not 0 <= position < count:
            # IndexError also ends iteration for code that indexes until it fails
            raise IndexError('Symbol has %d outputs; index %d is out of range' % (count, index))
        return Symbol(_LIB.MXSymbolGetOutput(self.handle, int(position)))

    def __repr__(self):
        name = self.name
        if name is None:
            return '<%s group [%s]>' % (type(self).__name__, ', '.join(s.name for s in self))
        return '<%s %s>' % (type(self).__name__, name)

    def __bool__(self):
        raise NotImplementedForSymbol(self.__bool__, 'bool')

    __nonzero__ = __bool__
    __hash__ = object.__hash__

    # ------------------------------------------------------------------ arithmetic
    def _binary(self, other, symbol_op, scalar_op):
        """self <op> other: (function name, operator) pairs for a Symbol and a number."""
        if isinstance(other, Symbol):
            return _op(*symbol_op)(self, other)
        if isinstance(other, numeric_types):
            return _op(*scalar_op)(self, scalar=other)
        raise TypeError('type %s not supported' % str(type(other)))

    def _reflected(self, other, scalar_op):
        """other <op> self for a number `other`."""
        if isinstance(other, numeric_types):
            return _op(*scalar_op)(self, scalar=other)
        raise TypeError('type %s not supported' % str(type(other)))

    def __add__(self, other):
        return self._binary(other, ('_Plus', 'elemwise_add'), ('_PlusScalar', '_plus_scalar'))

    __radd__ = __add__

    def __sub__(self, other):
        return self._binary(other, ('_Minus', 'elemwise_sub'),
                            ('_MinusScalar', '_minus_scalar'))

    def __rsub__(self, other):
        return self._reflected(other, ('_RMinusScalar', '_rminus_scalar'))

    def __mul__(self, other):
        return self._binary(other, ('_Mul', 'elemwise_mul'), ('_MulScalar', '_mul_scalar'))

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self._binary(other, ('_Div', 'elemwise_div'), ('_DivScalar', '_div_scalar'))

    def __rtruediv__(self, other):
        return self._reflected(other, ('_RDivScalar', '_rdiv_scalar'))

    __div__ = __truediv__
    __rdiv__ = __rtruediv__

    def __mod__(self, other):
        return self._binary(other, ('_Mod', '_mod'), ('_ModScalar', '_mod_scalar'))

    def __rmod__(self, other):
        return self._reflected(other, ('_RModScalar', '_rmod_scalar'))

    def __pow__(self, other):
        return self._binary(other, ('_Power', '_power'), ('_PowerScalar', '_power_scalar'))

    def __rpow__(self, other):
        return self._reflected(other, ('_rpower_scalar', '_rpower_scalar'))

    def __neg__(self):
        return self.__mul__(-1.0)

    def __abs__(self):
        return self.abs()  # pylint: disable=no-member  (a generated fluent method)

    def __eq__(self, other):
        return self._binary(other, ('_equal', None), ('_equal_scalar', None))

    def __ne__(self, other):
        return self._binary(other, ('_not_equal', None), ('_not_equal_scalar', None))

    def __gt__(self, other):
        return self._binary(other, ('_greater', None), ('_greater_scalar', None))

    def __ge__(self, other):
        return self._binary(other, ('_greater_equal', None), ('_greater_equal_scalar', None))

    def __lt__(self, other):
        return self._binary(other, ('_lesser', None), ('_lesser_scalar', None))

    def __le__(self, other):
        return self._binary(other, ('_lesser_equal', None), ('_lesser_equal_scalar', None))

    # In-place forms raise as in MXNet (argument lists included); `%=` and `**=` are not
    # defined there either, so Python falls back to `x = x % y`.
    def __iadd__(self, other):
        raise NotImplementedForSymbol(self.__iadd__, '+=', other, 1)

    def __isub__(self, other):
        raise NotImplementedForSymbol(self.__isub__, '-=', other)

    def __imul__(self, other):
        raise NotImplementedForSymbol(self.__imul__, '*=', other)

    def __itruediv__(self, other):
        raise NotImplementedForSymbol(self.__itruediv__, '/=', other)

    def __idiv__(self, other):
        raise NotImplementedForSymbol(self.__idiv__, '/=', other)

    # ------------------------------------------------------------------ names and attributes
    @property
    def name(self):
        """The name of a single-output symbol; None for a group."""
        return _LIB.MXSymbolGetName(self.handle)

    def attr(self, key):
        """The attribute `key` of this (single-node) symbol, or None."""
        return _LIB.MXSymbolGetAttr(self.handle, key)

    def list_attr(self, recursive=False):
        """The attributes of the head node as a dict (hidden keys both as `__lr_mult__` and
        `lr_mult`). `recursive=True` is deprecated, as in MXNet: use attr_dict()."""
        if recursive:
            raise DeprecationWarning('Symbol.list_attr with recursive=True has been deprecated. '
                                     'Please use attr_dict instead.')
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
        """Sets string attributes on the head node (`name` renames it)."""
        for key, value in kwargs.items():
            if not isinstance(value, str):
                raise ValueError('Set Attr only accepts string values')
            _LIB.MXSymbolSetAttr(self.handle, key, value)

    def get_internals(self):
        """A group of every variable and every visible operator output of the graph."""
        return Symbol(_LIB.MXSymbolGetInternals(self.handle))

    def get_children(self):
        """A group of the inputs of the head node(s), or None when there are none."""
        children = Symbol(_LIB.MXSymbolGetChildren(self.handle))
        return children if children.list_outputs() else None

    def get_inputs(self):
        """A group of the graph's variables (arguments and auxiliary states), graph order."""
        inputs = [Symbol(h) for h in _LIB.MXSymbolGetInputSymbols(self.handle)]
        return Symbol(_LIB.MXSymbolCreateGroup([s.handle for s in inputs]))

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
        return _LIB.NNSymbolListInputNames(self.handle, 0)

    def has_dynamic_shape_op(self):
        """Whether the graph holds an operator whose output shape depends on input values
        (boolean_mask, nonzero, unique)."""
        from .register import _info_for
        dynamic = set()
        for name in _DYNAMIC_SHAPE_OPS:
            info = _info_for(name)
            dynamic.add(info.name if info is not None else name)
        nodes = json.loads(self.tojson())['nodes']
        return any(node['op'] in dynamic for node in nodes)

    # ------------------------------------------------------------------ inference
    def infer_shape(self, *args, **kwargs):
        """Infers (arg_shapes, out_shapes, aux_shapes) from known argument shapes given
        positionally (list_arguments order, None for unknown) or by name.

        Shapes are tuples; 0 marks an unknown dimension. Returns (None, None, None), with a
        warning naming the undecided arguments, when some shape stays unknown. On an
        inconsistency the engine's error names the operator and both shapes.
        """
        try:
            result = self._infer_shape_impl(False, *args, **kwargs)
            if result[1] is None:
                arg_shapes, _, _ = self._infer_shape_impl(True, *args, **kwargs)
                unknowns = []
                for name, shape in zip(self.list_arguments(), arg_shapes):
                    if not shape or 0 in shape:
                        if len(unknowns) >= 10:
                            unknowns.append('...')
                            break
                        unknowns.append('%s: %s' % (name, str(shape)))
                warnings.warn('Cannot decide shape for the following arguments (0s in shape '
                              'means unknown dimensions). Consider providing them as input:\n\t'
                              + '\n\t'.join(unknowns), stacklevel=2)
            return result
        except MXNetError:
            _print_failed_arguments('infer_shape', args, kwargs)
            raise

    def infer_shape_partial(self, *args, **kwargs):
        """As infer_shape, but returns what is known (unknown shapes as (), unknown dims 0)."""
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
        """Infers (arg_types, out_types, aux_types) as numpy types (np.float32, ...) from
        known argument types given positionally (None for unknown) or by name.

        Returns (None, None, None), with a warning naming the undecided arguments, when some
        type stays unknown.
        """
        try:
            result = self._infer_type_impl(False, *args, **kwargs)
            if result[1] is None:
                arg_types, _, _ = self._infer_type_impl(True, *args, **kwargs)
                unknowns = []
                for name, dtype in zip(self.list_arguments(), arg_types):
                    if not dtype:
                        if len(unknowns) >= 10:
                            unknowns.append('...')
                            break
                        unknowns.append('%s: %s' % (name, str(dtype)))
                warnings.warn('Cannot decide type for the following arguments. Consider '
                              'providing them as input:\n\t' + '\n\t'.join(unknowns),
                              stacklevel=2)
            return result
        except MXNetError:
            _print_failed_arguments('infer_type', args, kwargs)
            raise

    def infer_type_partial(self, *args, **kwargs):
        """As infer_type, but returns what is known (unknown types as None)."""
        return self._infer_type_impl(True, *args, **kwargs)

    def _infer_type_impl(self, partial, *args, **kwargs):
        if args and kwargs:
            raise ValueError('Can only specify known argument types either by positional or '
                             'kwargs way.')
        if args:
            keys = None
            types = [-1 if t is None else dtype_np_to_mx(t) for t in args]
        else:
            # As MXNet: a keyword value goes through numpy.dtype (so None means float64)
            # and keywords of types the engine lacks are left out.
            keys, types = [], []
            for key, value in kwargs.items():
                dtype = np.dtype(value)
                try:
                    flag = dtype_np_to_mx(dtype)
                except TypeError:
                    continue
                keys.append(key)
                types.append(flag)
        infer = _LIB.MXSymbolInferTypePartial if partial else _LIB.MXSymbolInferType
        arg_types, out_types, aux_types, complete = infer(self.handle, keys, types)
        if partial or complete:
            return ([dtype_mx_to_np(t) for t in arg_types],
                    [dtype_mx_to_np(t) for t in out_types],
                    [dtype_mx_to_np(t) for t in aux_types])
        return None, None, None

    # ------------------------------------------------------------------ differentiation
    def gradient(self, wrt):
        """The gradient graph of this symbol with respect to the arguments named in `wrt`.

        MXNet 1.9.1 declares this but never implemented it; Loom does. The result has one
        output per name in `wrt`: d(sum of this symbol's outputs)/d(argument), where a loss
        output (SoftmaxOutput, the regression outputs, MakeLoss) contributes its own gradient
        instead of a head gradient of ones. It has the same arguments as this symbol, can be
        bound, evaluated, saved, and differentiated again (`g.gradient(['x'])` is a second
        derivative).
        """
        if isinstance(wrt, str):
            wrt = [wrt]
        wrt = list(wrt)
        for name in wrt:
            if not isinstance(name, str):
                raise TypeError('gradient: wrt must be argument names (str), got %s'
                                % type(name).__name__)
        return Symbol(_LIB.MXSymbolGrad(self.handle, wrt))

    # ------------------------------------------------------------------ serialisation
    def debug_str(self):
        """A readable description of the graph (MXNet's Symbol::Print format)."""
        return _LIB.MXSymbolPrint(self.handle)

    def tojson(self, remove_amp_cast=True):
        """The graph as MXNet 1.9.1 JSON text (amp_cast nodes dropped unless told not to)."""
        if remove_amp_cast:
            return Symbol(_LIB.MXSymbolRemoveAmpCast(self.handle)).tojson(False)
        return _LIB.MXSymbolSaveToJSON(self.handle)

    def save(self, fname, remove_amp_cast=True):
        """Writes the graph's JSON (the same text as tojson) to `fname`."""
        if not isinstance(fname, str):
            raise TypeError('fname need to be string')
        if remove_amp_cast:
            Symbol(_LIB.MXSymbolRemoveAmpCast(self.handle)).save(fname, False)
        else:
            _LIB.MXSymbolSaveToFile(self.handle, fname)

    # ------------------------------------------------------------------ backends
    def optimize_for(self, backend, args=None, aux=None, ctx=None, shape_dict=None,
                     type_dict=None, stype_dict=None, skip_infer=False, **kwargs):
        """Partitioning for a subgraph backend: Loom registers no backends."""
        raise MXNetError('Cannot find subgraph backend %s: Loom registers no subgraph '
                         'backends' % backend)

    def get_backend_symbol(self, backend):
        """The symbol rewritten for a subgraph backend: Loom registers no backends."""
        raise MXNetError('Cannot find subgraph backend %s: Loom registers no subgraph '
                         'backends' % backend)

    def as_nd_ndarray(self):
        """Returns self (this is the classic, non-numpy Symbol)."""
        return self

    def as_np_ndarray(self):
        """NumPy-style symbols (mx.sym.np) are not part of Loom."""
        raise MXNetError('as_np_ndarray: numpy-compatible symbols are not supported by Loom')

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
        """bind(ctx, kwargs).forward(): the list of output NDArrays for the given arguments
        (every argument must be given)."""
        return self.bind(current_context() if ctx is None else ctx, kwargs).forward()

    # NDArray-only methods fail loudly rather than doing something else.
    def asnumpy(self):
        raise NotImplementedForSymbol(self.asnumpy, None)

    def asscalar(self):
        raise NotImplementedForSymbol(self.asscalar, None)

    def copy(self):
        raise NotImplementedForSymbol(self.copy, None)

    def wait_to_read(self):
        raise NotImplementedForSymbol(self.wait_to_read, None)

    def as_in_context(self):
        raise NotImplementedForSymbol(self.as_in_context, None)

    def detach(self):
        raise NotImplementedForSymbol(self.detach, None)

    def backward(self):
        raise NotImplementedForSymbol(self.backward, None)


def _print_failed_arguments(what, args, kwargs):
    # MXNet prints the arguments of a failed inference before re-raising.
    print('%s error. Arguments:' % what)
    for i, arg in enumerate(args):
        print('  #%d: %s' % (i, arg))
    for key, value in kwargs.items():
        print('  %s: %s' % (key, value))


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
            raise ValueError('grad_req must be in %s (got %r for %s)'
                             % (str(_GRAD_REQ_MAP), req, name))
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

    Stored as MXNet stores them: shape -> `__shape__` (str(shape); 0 = unknown dim),
    lr_mult/wd_mult -> `__lr_mult__`/`__wd_mult__` (str), dtype -> `__dtype__` (type flag),
    init -> `__init__` (a string as given, or an initializer's dumps()), stype ->
    `__storage_type__`; `attr` entries and the current AttrScope are set as attributes
    (`ctx_group` becomes `__ctx_group__`); other keyword attributes must be `__x__`.
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


def Group(symbols, create_fn=None):
    """One symbol whose outputs are the outputs of `symbols` (a non-empty list), in order."""
    if (isinstance(symbols, Symbol) or not symbols
            or any(not isinstance(s, Symbol) for s in symbols)):
        raise TypeError('Expected a list of symbols as input')
    result = Symbol(_LIB.MXSymbolCreateGroup([s.handle for s in symbols]))
    return result if create_fn is None or create_fn is Symbol else create_fn(result)


def load(fname):
    """Loads a symbol from an MXNet JSON file (as written by Symbol.save)."""
    if not isinstance(fname, str):
        raise TypeError('fname need to be string')
    return Symbol(_LIB.MXSymbolCreateFromFile(fname))


def load_json(json_str):
    """Loads a symbol from MXNet JSON text (as written by Symbol.tojson)."""
    if not isinstance(json_str, str):
        raise TypeError('fname required to be string')
    return Symbol(_LIB.MXSymbolCreateFromJSON(json_str))


fromjson = load_json


def _scalar_dispatch(left, right, symbol_op, left_scalar_op, right_scalar_op, python_fn):
    """MXNet's symbol/number dispatch of the binary helpers: two Symbols use `symbol_op`, a
    Symbol and a number the scalar operator (the Symbol is always the data), two numbers
    `python_fn`. Each op is (function name, operator used if the alias is missing)."""
    if isinstance(left, Symbol) and isinstance(right, Symbol):
        return _op(*symbol_op)(left, right)
    if isinstance(left, Symbol) and isinstance(right, numeric_types):
        return _op(*left_scalar_op)(left, scalar=right)
    if isinstance(left, numeric_types) and isinstance(right, Symbol):
        return _op(*right_scalar_op)(right, scalar=left)
    if isinstance(left, numeric_types) and isinstance(right, numeric_types):
        return python_fn(left, right)
    raise TypeError('types (%s, %s) not supported' % (str(type(left)), str(type(right))))


def pow(base, exp):  # pylint: disable=redefined-builtin
    """base ** exp elementwise; either side may be a number (two numbers give a number).
    No broadcasting: use broadcast_power for that."""
    return _scalar_dispatch(base, exp, ('_Power', '_power'), ('_PowerScalar', '_power_scalar'),
                            ('_RPowerScalar', '_rpower_scalar'), lambda a, b: a ** b)


def power(base, exp):
    """base ** exp elementwise; either side may be a number (two numbers give a number)."""
    return pow(base, exp)


def maximum(left, right):
    """Elementwise maximum; either side may be a number (two numbers give a number)."""
    return _scalar_dispatch(left, right, ('_Maximum', '_maximum'),
                            ('_MaximumScalar', '_maximum_scalar'),
                            ('_MaximumScalar', '_maximum_scalar'),
                            lambda a, b: a if a > b else b)


def minimum(left, right):
    """Elementwise minimum; either side may be a number (two numbers give a number)."""
    return _scalar_dispatch(left, right, ('_Minimum', '_minimum'),
                            ('_MinimumScalar', '_minimum_scalar'),
                            ('_MinimumScalar', '_minimum_scalar'),
                            lambda a, b: a if a < b else b)


def hypot(left, right):
    """sqrt(left**2 + right**2) elementwise; either side may be a number."""
    return _scalar_dispatch(left, right, ('_Hypot', '_hypot'),
                            ('_HypotScalar', '_hypot_scalar'),
                            ('_HypotScalar', '_hypot_scalar'), np.hypot)


def zeros(shape, dtype=None, **kwargs):
    """A symbol of zeros of the given shape (float32 unless dtype is given)."""
    if dtype is None:
        dtype = np.float32
    return _op('_zeros')(shape=shape, dtype=dtype, **kwargs)


def ones(shape, dtype=None, **kwargs):
    """A symbol of ones of the given shape (float32 unless dtype is given)."""
    if dtype is None:
        dtype = np.float32
    return _op('_ones')(shape=shape, dtype=dtype, **kwargs)


def full(shape, val, dtype=None, **kwargs):
    """A symbol of the given shape filled with `val` (float32 unless dtype is given)."""
    if dtype is None:
        dtype = np.float32
    return _op('_full')(shape=shape, dtype=dtype, value=float(val), **kwargs)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=False, name=None, dtype=None):
    """Evenly spaced values in [start, stop), each repeated `repeat` times (float32 unless
    dtype is given). As in MXNet's symbol API, `start` is not moved to `stop` when `stop` is
    None."""
    if dtype is None:
        dtype = np.float32
    return _op('_arange')(start=start, stop=stop, step=step, repeat=repeat,
                          infer_range=infer_range, name=name, dtype=dtype)


def linspace(start, stop, num, endpoint=True, name=None, dtype=None):
    """`num` evenly spaced values from start to stop (stop included if `endpoint`)."""
    if dtype is None:
        dtype = np.float32
    return _op('_linspace')(start=start, stop=stop, num=num, endpoint=endpoint, name=name,
                            dtype=dtype)


def eye(N, M=0, k=0, dtype=None, **kwargs):
    """An N x M (M=0: N x N) matrix with ones on diagonal k and zeros elsewhere."""
    if dtype is None:
        dtype = np.float32
    return _op('_eye')(N=N, M=M, k=k, dtype=dtype, **kwargs)


def histogram(a, bins=10, range=None, **kwargs):  # pylint: disable=redefined-builtin
    """Histogram of `a` (flattened): `bins` equal bins over `range` (required), or the bin
    edges given as a Symbol. Two outputs: the counts and the bin edges."""
    if isinstance(bins, Symbol):
        return _op('_histogram')(data=a, bins=bins, **kwargs)
    if isinstance(bins, int) and not isinstance(bins, bool):
        if range is None:
            raise ValueError('null range is not supported in symbol mode')
        return _op('_histogram')(data=a, bin_cnt=bins, range=range, **kwargs)
    raise ValueError('bins argument should be either an integer or an NDArray')


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """Splits `ary` along `axis` into N equal parts (an int) or at the given indices (a
    tuple), as numpy.split does; one output per part."""
    if isinstance(indices_or_sections, int) and not isinstance(indices_or_sections, bool):
        indices, sections = [], indices_or_sections
    elif isinstance(indices_or_sections, tuple):
        indices, sections = [0] + list(indices_or_sections), 0
    else:
        raise ValueError('indices_or_sections must either int or tuple of ints')
    return _op('_split_v2')(ary, indices=indices, axis=axis, squeeze_axis=squeeze_axis,
                            sections=sections)
