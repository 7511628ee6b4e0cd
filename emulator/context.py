"""What provider code may use while handling a request: its namespace's tables, clock, ids and URLs.

Every function works on the current request's namespace and provider, so a provider never names either.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import current_app, g, request

from .runtime import Ids

if TYPE_CHECKING:
    from .platform import Platform, Table


def platform() -> Platform:
    return current_app.extensions["emulator"]


def namespace() -> str:
    return g.emulator_namespace


def provider_name() -> str:
    return g.emulator_provider


@contextmanager
def bind(namespace_: str, provider: str) -> Iterator[None]:
    """Act as ``provider`` in ``namespace_`` (the control API uses this while seeding)."""
    saved = g.get("emulator_namespace"), g.get("emulator_provider")
    g.emulator_namespace, g.emulator_provider = namespace_, provider
    try:
        yield
    finally:
        g.emulator_namespace, g.emulator_provider = saved


def table(collection: str) -> Table:
    return platform().table(namespace(), provider_name(), collection)


def config() -> dict[str, Any]:
    """The provider's settings in this namespace (defaults overridden by its ``config`` record).

    Read once per request: settings change through other (control) requests.
    """
    key = (namespace(), provider_name())
    cache = g.setdefault("emulator_config", {})
    if key not in cache:
        cache[key] = platform().config(*key)
    return cache[key]


def now() -> datetime:
    """Aware UTC time from the namespace's clock (frozen or moved on request)."""
    return platform().runtime(namespace()).clock.now()


def ids() -> Ids:
    return platform().runtime(namespace()).ids


def transaction():
    """Hold the store lock across check-then-write sequences (uniqueness, get-or-create)."""
    return platform().store.transaction()


def base_url() -> str:
    """External URL of this provider's mount in this namespace, e.g. ``http://127.0.0.1:8080/ckan``."""
    ns = namespace()
    scope = "" if ns == "default" else f"/_ns/{ns}"
    return f"{platform().settings.base_url()}{scope}/{provider_name()}"


def provider_path() -> str:
    """The request path relative to the provider's mount (namespace and prefix stripped)."""
    return request.path[len(provider_name()) + 1:] or "/"
