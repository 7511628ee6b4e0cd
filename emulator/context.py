"""What provider code may use while handling a request: its namespace's tables, clock, ids and URLs.

Every function works on the current request's namespace and provider, so a provider never names either.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import current_app, request

from .runtime import Ids, Runtime

if TYPE_CHECKING:
    from .platform import Platform, Table


class Scope:
    """The namespace and provider a request (or a seed) acts in, with what it looked up once."""

    __slots__ = ("platform", "namespace", "provider", "preview", "_runtime", "_config", "_tables", "_base_url",
                 "memo")

    def __init__(self, platform: Platform, namespace: str, provider: str, preview: bool = False) -> None:
        """``preview``: the namespace does not exist (and must not be created); read the world it would start
        with, on a clock of its own that nothing keeps."""
        self.platform, self.namespace, self.provider, self.preview = platform, namespace, provider, preview
        self._runtime: Runtime | None = None
        self._config: dict[str, Any] | None = None
        self._tables: dict[str, Table] = {}
        self._base_url: str | None = None
        self.memo: dict[Any, Any] = {}

    def table(self, collection: str) -> Table:
        table = self._tables.get(collection)
        if table is None:
            table = self._tables[collection] = (
                self.platform.world_table(self.provider, collection) if self.preview
                else self.platform.table(self.namespace, self.provider, collection))
        return table

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            prefix = "" if self.namespace == "default" else f"/_ns/{self.namespace}"
            self._base_url = f"{self.platform.settings.base_url()}{prefix}/{self.provider}"
        return self._base_url

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            self._runtime = (self.platform.fresh_runtime() if self.preview
                             else self.platform.runtime(self.namespace))
        return self._runtime

    @property
    def config(self) -> dict[str, Any]:
        # Read once per request: settings change through other (control) requests.
        if self._config is None:
            self._config = self.platform.config(self.namespace, self.provider)
        return self._config


# A context variable rather than flask.g: providers call these functions dozens of times a request,
# and a LocalProxy look-up costs several times a ContextVar read.
_scope: ContextVar[Scope | None] = ContextVar("emulator_scope", default=None)


def current() -> Scope:
    scope = _scope.get()
    if scope is None:
        raise RuntimeError("no provider scope: call inside a provider request or context.bind()")
    return scope


def enter(scope: Scope | None) -> None:
    """Make ``scope`` current for the rest of this request (the pipeline calls this)."""
    _scope.set(scope)


@contextmanager
def bind(platform_: Platform, namespace_: str, provider: str) -> Iterator[None]:
    """Act as ``provider`` in ``namespace_`` (the platform uses this while seeding)."""
    token = _scope.set(Scope(platform_, namespace_, provider))
    try:
        yield
    finally:
        _scope.reset(token)


def platform() -> Platform:
    scope = _scope.get()
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
