"""What provider code may use while handling a request: its namespace's tables, clock, ids and URLs.

Every function works on the current request's namespace and provider, so a provider never names either.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, request

from .platform import SCOPE, Platform, Scope, Table
from .runtime import Ids


def current() -> Scope:
    scope = SCOPE.get()
    if scope is None:
        raise RuntimeError("no provider scope: call inside a provider request or Platform.bound()")
    return scope


def enter(scope: Scope | None) -> None:
    """Make ``scope`` current for the rest of this request (the pipeline calls this)."""
    SCOPE.set(scope)


def platform() -> Platform:
    scope = SCOPE.get()
    return scope.platform if scope is not None else current_app.extensions["emulator"]


def namespace() -> str:
    return current().namespace


def provider_name() -> str:
    return current().provider


def table(collection: str) -> Table:
    return current().table(collection)


def config() -> dict[str, Any]:
    """The provider's settings in this namespace (defaults overridden by its ``config`` record)."""
    return current().config


def request_memo() -> dict[Any, Any]:
    """A dict that lives as long as the current request: for what a provider derives once per request."""
    return current().memo


def now() -> datetime:
    """Aware UTC time from the namespace's clock (frozen or moved on request)."""
    return current().runtime.clock.now()


def ids() -> Ids:
    return current().runtime.ids


def transaction():
    """Hold the store lock across check-then-write sequences (uniqueness, get-or-create)."""
    return platform().store.transaction()


def base_url() -> str:
    """External URL of this provider's mount in this namespace, e.g. ``http://127.0.0.1:8080/ckan``."""
    return current().base_url


def provider_path() -> str:
    """The request path relative to the provider's mount (namespace and prefix stripped)."""
    return request.path[len(provider_name()) + 1:] or "/"
