"""mx.nd.contrib: operator functions generated at import by register.py."""
__all__ = []
