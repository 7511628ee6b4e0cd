"""The provider request being answered: what the pipeline, ``@operation`` and the framing module share.

A module of its own, importing nothing of the platform's, so that ``providers.base`` can reach it.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .platform import Platform
    from .providers.base import Provider


class Call:
    """What the platform notes about one provider request: for faults, framing and its journal entry."""

    __slots__ = ("platform", "provider", "namespace", "operation", "started", "fault", "body_unread")

    def __init__(self, platform: Platform, provider: Provider, namespace: str, started: float) -> None:
        self.platform, self.provider, self.namespace, self.started = platform, provider, namespace, started
        #: Named by ``@operation`` when the view is reached; a request no view takes keeps this name.
        self.operation = f"{provider.name}.unmatched"
        self.fault: str | None = None
        self.body_unread = False


# Per thread, like Flask's own request context; the pipeline clears it when the request ends.
_call: ContextVar[Call | None] = ContextVar("emulator_call", default=None)


def current() -> Call | None:
    """The provider request being answered, if the current request is one."""
    return _call.get()


def begin(call: Call | None) -> None:
    _call.set(call)
