"""Errors of the platform itself (not of an emulated provider)."""


class ControlError(ValueError):
    """A bad control request or seed; answered as 400 with this message."""


class UnknownNamespace(ControlError):
    """A control call names a namespace nobody created; answered as 404."""

    def __init__(self, namespace: str) -> None:
        super().__init__(f"unknown namespace {namespace!r}")


class NamespaceLimitError(ControlError):
    """A namespace would be created beyond ``max_namespaces``; providers answer it as their own 403."""
