"""The dummy's one error envelope: ``{"dummyError": {"status", "message"}}`` (405s add ``allowed``)."""

from __future__ import annotations

from typing import Any

from flask import Response

from emulator import framing
from emulator.errors import PlatformError


class DummyError(Exception):
    """Raised anywhere in the provider; the blueprint's error handler renders it."""

    def __init__(self, status: int, message: str | None, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra

    def response(self) -> Response:
        return framing.json({"dummyError": {"status": self.status, "message": self.message, **self.extra}},
                            self.status)


def no_such_thing() -> DummyError:
    return DummyError(404, "no such thing")


def invalid(message: str) -> DummyError:
    return DummyError(400, message)


def for_platform(error: PlatformError) -> DummyError:
    """The platform's errors keep its reason (None for unknown routes and injected statuses)."""
    if error.status == 405:
        return DummyError(405, error.message, allowed=list(error.allowed_methods))
    return DummyError(error.status, error.message)
