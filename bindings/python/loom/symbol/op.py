"""mx.sym.op: one function per public registered operator (and alias), generated at import by
register.py; mx.sym re-exports them all."""
__all__ = []
