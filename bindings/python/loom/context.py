"""Devices: `mx.cpu()`, `mx.gpu()`, `mx.Context` and the thread's default context.

A Context is just (device type, device id) as the C ABI numbers them (1 cpu, 2 gpu,
3 cpu_pinned, 5 cpu_shared). `with ctx:` makes it the default for arrays created in the block.
"""
import threading

from .base import _LIB

__all__ = ['Context', 'cpu', 'gpu', 'cpu_pinned', 'num_gpus', 'current_context']


class Context:
    """A device on which arrays live and executors run."""

    devtype2str = {1: 'cpu', 2: 'gpu', 3: 'cpu_pinned', 5: 'cpu_shared'}
    devstr2type = {'cpu': 1, 'gpu': 2, 'cpu_pinned': 3, 'cpu_shared': 5}
    _default_ctx = threading.local()

    def __init__(self, device_type, device_id=0):
        if isinstance(device_type, Context):
            self.device_typeid = device_type.device_typeid
            self.device_id = device_type.device_id
        else:
            if device_type not in Context.devstr2type:
                raise ValueError('Unknown device type %r; expected one of %s'
                                 % (device_type, sorted(Context.devstr2type)))
            self.device_typeid = Context.devstr2type[device_type]
            self.device_id = int(device_id)
        self._old_ctx = None

    @property
    def device_type(self):
        """'cpu', 'gpu', 'cpu_pinned' or 'cpu_shared'."""
        return Context.devtype2str[self.device_typeid]

    def __hash__(self):
        return hash((self.device_typeid, self.device_id))

    def __eq__(self, other):
        return (isinstance(other, Context) and self.device_typeid == other.device_typeid
                and self.device_id == other.device_id)

    def __ne__(self, other):
        return not self == other

    def __str__(self):
        return '%s(%d)' % (self.device_type, self.device_id)

    __repr__ = __str__

    def __enter__(self):
        self._old_ctx = current_context()
        Context._default_ctx.value = self
        return self

    def __exit__(self, ptype, value, trace):
        Context._default_ctx.value = self._old_ctx

    def empty_cache(self):
        """Accepted for compatibility; the engine releases pooled memory on its own."""


def cpu(device_id=0):
    """The CPU context (device_id is accepted for symmetry; there is one CPU)."""
    return Context('cpu', device_id)


def cpu_pinned(device_id=0):
    """Page-locked host memory, for fast copies to a GPU."""
    return Context('cpu_pinned', device_id)


def gpu(device_id=0):
    """The GPU context with the given id."""
    return Context('gpu', device_id)


def num_gpus():
    """Number of usable GPUs (0 without CUDA support or without a GPU/driver)."""
    return _LIB.MXGetGPUCount()


def current_context():
    """The thread's default context: cpu(0) unless changed with `with ctx:`."""
    if not hasattr(Context._default_ctx, 'value') or Context._default_ctx.value is None:
        Context._default_ctx.value = Context('cpu', 0)
    return Context._default_ctx.value
