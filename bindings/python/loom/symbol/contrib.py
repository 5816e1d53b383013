"""mx.sym.contrib: functions for `_contrib_<name>` operators under `<name>`, generated at import
by register.py."""
__all__ = []
