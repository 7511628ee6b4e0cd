"""Errors of the platform itself (not of an emulated provider)."""


class ControlError(ValueError):
    """A bad control request or seed; answered as 400 with this message."""
