"""mx.nd._internal: operator functions generated at import by register.py."""
__all__ = []
