"""Attribute scopes (MXNet's mx.AttrScope): string attributes given to every symbol created
inside `with mx.AttrScope(ctx_group='dev1'):`. Nested scopes merge, the inner one winning; an
explicit `attr=` dict at the call wins over both.
"""
import threading

__all__ = ['AttrScope']


class _CurrentScope(type):
    @property
    def current(cls):
        if not hasattr(AttrScope._current, 'value'):
            AttrScope._current.value = AttrScope()
        return AttrScope._current.value


class AttrScope(metaclass=_CurrentScope):
    """Holds attributes to attach to symbols created in its `with` block."""

    _current = threading.local()

    def __init__(self, **kwargs):
        for key, value in kwargs.items():
            if not isinstance(value, str):
                raise ValueError('Attributes need to be string; %s=%r is not' % (key, value))
        self._attr = kwargs
        self._old_scope = None

    def get(self, attr):
        """The scope's attributes updated with `attr` (a new dict; {} when both are empty)."""
        merged = dict(self._attr)
        if attr:
            merged.update(attr)
        return merged

    def __enter__(self):
        self._old_scope = AttrScope.current
        merged = dict(self._old_scope._attr)
        merged.update(self._attr)
        self._attr = merged
        AttrScope._current.value = self
        return self

    def __exit__(self, ptype, value, trace):
        AttrScope._current.value = self._old_scope
