"""Shared plumbing of the loom package: the compiled C-ABI wrapper, errors and small helpers.

Every engine call goes through `_LIB`, the `_loom` extension, which wraps the C functions of
loom/c_api.h one to one. A call that fails raises MXNetError with the engine's message; when the
message starts with an error kind ("ValueError: ...") the exception is a subclass that is also
that builtin, as in MXNet 1.9.1, so ported `except ValueError:` blocks keep working.
"""
import numbers

import numpy as np

try:
    from . import _loom as _LIB
except ImportError:  # in-tree use: PYTHONPATH=bindings/python:build/bindings/python
    import _loom as _LIB

__all__ = ['MXNetError', 'NotImplementedForSymbol', 'string_types', 'numeric_types',
           'integer_types', 'mx_real_t']

string_types = (str,)
numeric_types = (numbers.Number, np.generic)
integer_types = (int, np.integer)
mx_real_t = np.float32


class MXNetError(RuntimeError):
    """Error raised by the engine (named and based as in MXNet so ported handlers match)."""


class InternalError(MXNetError):
    """The engine reached a state it considers a bug of its own."""


class MXNetValueError(MXNetError, ValueError):
    """An engine error of kind ValueError."""


class MXNetTypeError(MXNetError, TypeError):
    """An engine error of kind TypeError."""


class MXNetIndexError(MXNetError, IndexError):
    """An engine error of kind IndexError."""


class MXNetAttributeError(MXNetError, AttributeError):
    """An engine error of kind AttributeError."""


class MXNetKeyError(MXNetError, KeyError):
    """An engine error of kind KeyError."""

    def __str__(self):  # KeyError would repr() the message, quoting it
        return Exception.__str__(self)


class MXNetNotImplementedError(MXNetError, NotImplementedError):
    """An engine error of kind NotImplementedError."""


_ERROR_KINDS = {
    'ValueError': MXNetValueError,
    'TypeError': MXNetTypeError,
    'IndexError': MXNetIndexError,
    'AttributeError': MXNetAttributeError,
    'KeyError': MXNetKeyError,
    'NotImplementedError': MXNetNotImplementedError,
    'InternalError': InternalError,
}


def _error_from_message(message):
    """Builds the exception for an engine message; the kind prefix becomes the class."""
    kind, sep, rest = message.partition(': ')
    cls = _ERROR_KINDS.get(kind) if sep else None
    if cls is None:
        return MXNetError(message)
    return cls(rest)


_LIB._set_error_factory(_error_from_message)


class NotImplementedForSymbol(MXNetError):
    """An NDArray-only operation was used on a Symbol."""

    def __init__(self, function, alias, *args):
        super().__init__()
        self.function = function.__name__
        self.alias = alias
        self.arg_types = [str(type(a)) for a in args]

    def __str__(self):
        msg = 'Function {}'.format(self.function)
        if self.alias:
            msg += ' (namely operator "{}")'.format(self.alias)
        if self.arg_types:
            msg += ' with arguments ({})'.format(', '.join(self.arg_types))
        msg += ' is not implemented for Symbol and only available in NDArray.'
        return msg


class _NullType:
    """Marks a parameter the caller did not give (so it is not sent to the engine)."""

    def __repr__(self):
        return '_Null'

    def __bool__(self):
        return False


_Null = _NullType()


def py_str(s):
    """MXNet helper kept for ported code: C strings already arrive as str."""
    return s.decode('utf-8') if isinstance(s, bytes) else s


def _as_list(obj):
    """A list as is, anything else wrapped in one."""
    return obj if isinstance(obj, list) else [obj]
