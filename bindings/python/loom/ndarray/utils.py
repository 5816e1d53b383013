"""mx.nd.save / mx.nd.load: MXNet's binary NDArray list format (.params files)."""
from ..base import _LIB, MXNetError, string_types
from .ndarray import NDArray

__all__ = ['save', 'load', 'load_frombuffer']


def save(fname, data):
    """Saves an NDArray, a list of NDArrays (no names) or a dict str -> NDArray (names in dict
    order) to `fname`, byte-identical to MXNet 1.9.1."""
    if isinstance(data, NDArray):
        data = [data]
    if isinstance(data, dict):
        keys, arrays = [], []
        for k, v in data.items():
            if not isinstance(k, string_types) or not isinstance(v, NDArray):
                raise TypeError('save only accepts dict str->NDArray or a list of NDArrays')
            keys.append(k)
            arrays.append(v)
    elif isinstance(data, (list, tuple)):
        if not all(isinstance(v, NDArray) for v in data):
            raise TypeError('save only accepts dict str->NDArray or a list of NDArrays')
        keys, arrays = None, list(data)
    else:
        raise ValueError('data needs to either be a NDArray, dict of str, NDArray pairs '
                         'or a list of NDarrays.')
    _LIB.MXNDArraySave(str(fname), [a.handle for a in arrays], keys)


def _result(handles, names):
    arrays = [NDArray(h) for h in handles]  # owned first, so an error below frees them
    if not names:
        return arrays
    keys = []
    for i, name in enumerate(names):
        try:
            keys.append(name.decode('utf-8'))
        except UnicodeDecodeError:
            raise MXNetError('Invalid NDArray file format: the name of array %d is not valid '
                             'UTF-8 (%r)' % (i, name[:40])) from None
    return dict(zip(keys, arrays))


def load(fname):
    """Loads a file written by save (or MXNet): a list, or a dict when names were saved."""
    if not isinstance(fname, string_types):
        raise TypeError('fname required to be a string')
    return _result(*_LIB.MXNDArrayLoad(fname))


def load_frombuffer(buf):
    """As load, from bytes in memory."""
    if not isinstance(buf, (bytes, bytearray, memoryview)):
        raise TypeError('buf required to be a bytes-like object')
    return _result(*_LIB.MXNDArrayLoadFromBuffer(bytes(buf)))
