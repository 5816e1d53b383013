"""mx.init / mx.initializer: weight initializers as descriptions.

An initializer here is what MXNet writes into a graph: its class name and keyword arguments,
`dumps()` giving `["normal", {"sigma": 0.01}]`, the form `mx.sym.var(init=...)` stores in
`__init__`. Filling arrays from these descriptions belongs to the engine (shared with the
Scala binding), not to this module.
"""
import json

__all__ = ['Initializer', 'Uniform', 'Normal', 'Xavier', 'Zero', 'One', 'Constant']


class Initializer:
    """Base class: keeps the keyword arguments that describe the initializer."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs

    def dumps(self):
        """`[lower-case class name, kwargs]` as JSON, e.g. '["uniform", {"scale": 0.07}]'."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__,
                           ', '.join('%s=%r' % kv for kv in self._kwargs.items()))

    def __eq__(self, other):
        return type(self) is type(other) and self._kwargs == other._kwargs

    __hash__ = None


class Uniform(Initializer):
    """Values drawn uniformly from [-scale, scale]."""

    def __init__(self, scale=0.07):
        super().__init__(scale=scale)
        self.scale = scale


class Normal(Initializer):
    """Values drawn from a normal distribution with mean 0 and deviation `sigma`."""

    def __init__(self, sigma=0.01):
        super().__init__(sigma=sigma)
        self.sigma = sigma


class Xavier(Initializer):
    """Xavier/Glorot initialisation: scale sqrt(magnitude / fan), fan by `factor_type`
    ('avg', 'in' or 'out'), drawn 'uniform' or 'gaussian'."""

    def __init__(self, rnd_type='uniform', factor_type='avg', magnitude=3):
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)


class Zero(Initializer):
    """All zeros."""

    def __init__(self):
        super().__init__()


class One(Initializer):
    """All ones."""

    def __init__(self):
        super().__init__()


class Constant(Initializer):
    """Every element equal to `value`."""

    def __init__(self, value):
        super().__init__(value=value)
        self.value = value
