"""Automatic names for operator nodes: NameManager and Prefix (MXNet's mx.name).

Generated operator functions ask the current manager for a name with a hint (the function name
in lower case); an explicit name is returned as given (Prefix still prepends to it). Counters
are per manager, so `with NameManager():` restarts them and restores the old ones on exit.
"""
import threading

__all__ = ['NameManager', 'Prefix']


class _CurrentManager(type):
    """Gives NameManager a class-level `current` as in MXNet (`NameManager.current.get(...)`)."""

    @property
    def current(cls):
        if not hasattr(NameManager._current, 'value'):
            NameManager._current.value = NameManager()
        return NameManager._current.value


class NameManager(metaclass=_CurrentManager):
    """Hands out unique names `<hint><n>` per hint."""

    _current = threading.local()

    def __init__(self):
        self._counter = {}
        self._old_manager = None

    def get(self, name, hint):
        """Returns `name` if given, else the next `<hint><n>`."""
        if name:
            return name
        count = self._counter.get(hint, 0)
        self._counter[hint] = count + 1
        return '%s%d' % (hint, count)

    def __enter__(self):
        self._old_manager = NameManager.current
        NameManager._current.value = self
        return self

    def __exit__(self, ptype, value, trace):
        NameManager._current.value = self._old_manager


class Prefix(NameManager):
    """A NameManager that prepends `prefix` to every name it returns, explicit ones included."""

    def __init__(self, prefix):
        super().__init__()
        self._prefix = prefix

    def get(self, name, hint):
        return self._prefix + super().get(name, hint)
