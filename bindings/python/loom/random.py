"""mx.random: seeding the engine's random generators, and random arrays (mx.nd.random)."""
from .base import _LIB
from .ndarray.random import uniform, normal, randn

__all__ = ['seed', 'uniform', 'normal', 'randn']


def seed(seed_state, ctx='all'):
    """Seeds every random generator of the engine (all devices), so that random operators,
    Dropout and initializers repeat their results."""
    if not isinstance(seed_state, int):
        raise ValueError('seed_state must be int')
    _LIB.MXRandomSeed(seed_state)
