"""Errors of the platform itself (not of an emulated provider)."""


class ControlError(ValueError):
    """A bad control request or seed; answered as 400 with this message."""


class NamespaceLimitError(ControlError):
    """A namespace would be created beyond ``max_namespaces``; providers answer it as their own 403."""
