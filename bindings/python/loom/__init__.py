"""Loom: Apache MXNet 1.9.1's Symbol / Executor API on the Loom engine.

Ported code keeps working after `import loom as mx`: mx.sym, mx.nd, mx.executor, mx.name,
mx.AttrScope, mx.init, mx.viz, mx.cpu(), mx.gpu() and mx.base.MXNetError behave as MXNet's.
"""
__version__ = '0.1.0'

from . import base
from .base import MXNetError
from . import context
from .context import Context, cpu, gpu, cpu_pinned, current_context, num_gpus
from . import name
from . import attribute
from .attribute import AttrScope
from . import ndarray
from . import ndarray as nd
from . import symbol
from . import symbol as sym
from .ndarray.ndarray import _add_fluent_methods
_add_fluent_methods()
from . import executor
from .executor import Executor
from . import initializer
from . import random
from . import initializer as init
from . import visualization
from . import visualization as viz

__all__ = ['MXNetError', 'Context', 'cpu', 'gpu', 'cpu_pinned', 'current_context', 'num_gpus',
           'AttrScope', 'Executor', 'base', 'context', 'name', 'attribute', 'ndarray', 'nd',
           'symbol', 'sym', 'executor', 'initializer', 'init', 'random', 'visualization', 'viz']
