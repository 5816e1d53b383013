"""mx.sym.linalg: functions for `_linalg_<name>` operators under `<name>`, generated at import
by register.py."""
__all__ = []
