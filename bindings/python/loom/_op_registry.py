"""The engine's operator registry as mx.nd and mx.sym read it to generate their operator
functions: each operator (and alias) described by MXSymbolGetAtomicSymbolInfo, whose arguments
typed "NDArray-or-Symbol" are the inputs and the rest parameters.

The two front ends differ only in the function they make for an operator; looking operators up,
caching the functions and placing them in op / _internal / contrib / linalg is done here once.
"""
import numpy as np

from .base import _LIB, MXNetError

_INPUT_TYPE = 'NDArray-or-Symbol'



def param_string(key, value):
    """How MXNet's frontend writes a parameter value into the node's attribute dict."""
    if key == 'dtype':
        return np.dtype(value).name  # MXNet's rule, so dtype=None is written as float64
    return str(value)


def bind_positional(func_name, signature, args, kwargs):
    """Adds positional `args` to `kwargs` under the names of `signature` (inputs, then
    parameters), refusing too many or a name given twice, as Python's own calls do."""
    if len(args) > len(signature):
        raise TypeError('%s() takes at most %d positional arguments (%d given)'
                        % (func_name, len(signature), len(args)))
    for key, value in zip(signature, args):
        if key in kwargs:
            raise TypeError("%s() got multiple values for argument '%s'" % (func_name, key))
        kwargs[key] = value


class OpInfo:
    """What the registry says about one operator, split into inputs and parameters."""

    def __init__(self, creator):
        (self.name, self.description, arg_names, arg_types, arg_descs, self.key_var_num_args,
         _) = _LIB.MXSymbolGetAtomicSymbolInfo(creator)
        self.creator = creator
        self.inputs, self.params = [], []
        self.variadic = False
        self._args = list(zip(arg_names, arg_types, arg_descs))
        for name, typ, _ in self._args:
            if typ.startswith(_INPUT_TYPE):
                self.inputs.append(name)
                self.variadic = self.variadic or typ.endswith('[]')
            else:
                self.params.append(name)

    def doc_lines(self, input_type=_INPUT_TYPE):
        """One 'name : type\\n    description' entry per argument, inputs typed `input_type`."""
        lines = []
        for name, typ, desc in self._args:
            if typ.startswith(_INPUT_TYPE):
                typ = input_type + typ[len(_INPUT_TYPE):]
            lines.append('%s : %s\n    %s' % (name, typ, desc))
        return lines


_INFOS = {}  # canonical operator name -> OpInfo (the registry is immutable once loaded)


def _load():
    if not _INFOS:
        for creator in _LIB.MXSymbolListAtomicSymbolCreators():
            info = OpInfo(creator)
            _INFOS[info.name] = info


def info_for(name):
    """The OpInfo of a registered operator name or alias; None if the registry lacks it."""
    _load()
    if name in _INFOS:
        return _INFOS[name]
    try:
        canonical = _LIB.MXSymbolGetAtomicSymbolName(_LIB.NNGetOpHandle(name))
    except MXNetError:
        return None
    return _INFOS.get(canonical)


def _install(module, func_name, function):
    setattr(module, func_name, function)
    if not func_name.startswith('_') and func_name not in module.__all__:
        module.__all__.append(func_name)


class OpFunctions:
    """One front end's generated operator functions; `make_function(info, func_name)` makes
    the function of operator `info` under the name `func_name`."""

    def __init__(self, make_function):
        self._make_function = make_function
        self._functions = {}  # (function name, canonical operator name) -> function
        self._resolved = {}   # op_function's answers, by its arguments

    def function_for(self, info, func_name):
        key = (func_name, info.name)
        function = self._functions.get(key)
        if function is None:
            function = self._functions[key] = self._make_function(info, func_name)
        return function

    def op_function(self, func_name, fallback=None):
        """The generated function of `func_name` (a registered name or alias). When this build
        does not register `func_name` itself, the operator `fallback` is used under that
        function name, so names derived from it still follow MXNet's."""
        function = self._resolved.get((func_name, fallback))
        if function is not None:
            return function
        info = info_for(func_name)
        if info is None and fallback is not None:
            info = info_for(fallback)
        if info is None:
            raise MXNetError('Operator %s is not registered in this build of Loom'
                             % (fallback or func_name))
        function = self._resolved[(func_name, fallback)] = self.function_for(info, func_name)
        return function

    def install_all(self, op, internal, contrib, linalg):
        """Fills the modules op, _internal, contrib and linalg with a function per registered
        operator and alias. Names with the prefix `_contrib_` or `_linalg_` go to that
        submodule under the rest of the name (`_contrib_boolean_mask` -> contrib.boolean_mask),
        other names starting with `_` to _internal, the rest to op, as in MXNet."""
        prefixes = (('_contrib_', contrib), ('_linalg_', linalg))
        _load()
        # Aliases (`_Plus`, `Softmax`, ...) get functions of their own, under their own name.
        functions = list(_INFOS.items())
        for name in _LIB.MXListAllOpNames():
            if name not in _INFOS:
                info = info_for(name)
                if info is not None:
                    functions.append((name, info))
        for name, info in functions:
            for prefix, submodule in prefixes:
                if name.startswith(prefix):
                    short = name[len(prefix):]
                    _install(submodule, short, self.function_for(info, short))
                    break
            else:
                target = internal if name.startswith('_') else op
                _install(target, name, self.op_function(name))
