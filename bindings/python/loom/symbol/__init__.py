"""mx.sym / mx.symbol: symbolic graphs. Operator functions (mx.sym.FullyConnected, ...) and the
Symbol fluent methods are generated from the engine's registry when this package is imported."""
from . import _internal, contrib, linalg, op
from .register import _init_symbol_module

_init_symbol_module()

from .op import *  # noqa: E402,F401,F403  (one function per registered operator)
from .symbol import *  # noqa: E402,F401,F403  (helpers win over same-named operators)
from .symbol import (Symbol, var, Variable, Group, load, load_json, fromjson,  # noqa: E402
                     pow, power, maximum, minimum, hypot, zeros, ones, full, arange,
                     linspace, eye, histogram, split_v2)
