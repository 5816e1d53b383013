"""mx.nd.linalg: operator functions generated at import by register.py."""
__all__ = []
