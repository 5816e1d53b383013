"""mx.sym._internal: functions for operators whose names start with an underscore (`_plus`,
`_mul_scalar`, `_zeros`, ...), generated at import by register.py."""
__all__ = []
