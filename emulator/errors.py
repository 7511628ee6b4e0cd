"""Errors of the platform itself (not of an emulated provider)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class ControlError(ValueError):
    """A bad control request or seed; answered as 400 with this message."""


class UnknownNamespace(ControlError):
    """A control call names a namespace nobody created; answered as 404."""

    def __init__(self, namespace: str) -> None:
        super().__init__(f"unknown namespace {namespace!r}")


class NamespaceLimitError(ControlError):
    """A namespace would be created beyond ``max_namespaces``; providers answer it as their own 403."""


@dataclass(frozen=True)
class PlatformError:
    """An answer the platform makes on a provider's behalf, with what it knew when it made it.

    The provider turns it into its own error body (``Provider.error_body``); nothing needs to be looked up
    again: the allowed methods come from werkzeug's ``MethodNotAllowed``, the endpoint and view arguments
    from the route that matched (none for an unknown route), the operation from the view that was reached.
    """

    status: int
    #: The platform's own reason (a refused Host, a namespace limit, an unreadable body, a fault's message);
    #: None where the provider's stock wording applies (unknown route, wrong method, injected status).
    message: str | None = None
    #: For a 405: the methods the requested path answers, as werkzeug matched them.
    allowed_methods: tuple[str, ...] = ()
    #: The matched route's endpoint (``"ckan.action"``) and arguments; None and {} when no route matched.
    endpoint: str | None = None
    view_args: Mapping[str, Any] = field(default_factory=dict)
    #: ``<provider>.<operation>`` of the view that was reached (injected faults), else None.
    operation: str | None = None
