"""The small contract every provider fulfils.

A provider is one package under ``emulator/providers/`` exposing a ``Provider`` instance, listed once in
``emulator/providers/__init__.py``. The platform mounts its blueprint at ``/<name>`` (and under
``/_ns/<namespace>/<name>``), stores its collections, seeds its part of the default world, and asks it
for its own error body whenever the platform itself must answer (unknown route, wrong method, an
injected fault). Provider code reaches the current namespace's state through ``emulator.context``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from apispec import APISpec
from flask import Blueprint, Response

from ..store.tables import Record
from .rules import Rule


class SeedError(ValueError):
    """A seed record is unusable; the message says why (answered as a 400 by the control API)."""


class Provider(ABC):
    #: Mount prefix and the key in seed/state documents, e.g. ``"ckan"``.
    name: str = ""
    #: Human name of the emulated API, e.g. ``"CKAN 2.11 action API"``.
    title: str = ""
    #: Where the real client's base URL points, below the mount prefix (``"/api/v1"`` when the SDK is given
    #: ``.../redivis/api/v1``); empty when the client takes the mount itself (CKAN, Apify).
    client_path: str = ""
    #: collection name -> the record fields that form its key (``()`` for a single-record collection).
    collections: dict[str, tuple[str, ...]] = {}
    #: Defaults of the provider's settings, overridable per namespace through its ``config`` record.
    config_defaults: dict[str, Any] = {}
    #: What each of those settings may hold (see ``rules``): the platform refuses a settings record
    #: with an unknown setting or an unusable value, so a request never meets one.
    config_rules: dict[str, Rule] = {}
    #: The provider's published rate limit as (requests per second, burst), enforced by a ``rate-limit`` fault.
    rate_limit: tuple[float, float] | None = None
    #: Request headers and query parameters that carry credentials (case-insensitive): the journal shows
    #: them as ``***``. ``Authorization`` and ``Cookie`` are masked for every provider without being declared.
    secret_headers: tuple[str, ...] = ()
    secret_params: tuple[str, ...] = ()

    @abstractmethod
    def blueprint(self) -> Blueprint:
        """Routes relative to the mount prefix."""

    @abstractmethod
    def error_response(self, status: int, message: str | None = None) -> Response:
        """The provider's own answer for a status the platform produces (404, 405, 413, 429, 5xx)."""

    def openapi(self, spec: APISpec) -> None:  # noqa: B027 (optional: a provider without one has no paths)
        """Add the provider's paths (with their error responses) and schemas to an apispec ``APISpec``.

        Request bodies should reuse the marshmallow schemas that validate them.
        """

    def prepare_seed(self, collection: str, record: Record) -> Record:
        """Check a seeded record and fill what the provider generates (ids, timestamps).

        Runs inside a request, so ``emulator.context`` is usable. Raise ``SeedError`` to reject it.
        The default world goes through it too. It must be idempotent: seeding an export reproduces it.
        """
        return record


def operation(name: str | Callable[[dict[str, Any]], str]) -> Callable:
    """Name a view's operation for the journal and fault matching, e.g. ``@operation("datasets.create")``.

    ``name`` may be a function of the view arguments (CKAN's one route serves every action).
    The platform prefixes it with the provider's name.
    """

    def decorate(view: Callable) -> Callable:
        view.operation = name
        return view

    return decorate


def takes_upload(view: Callable) -> Callable:
    """Let a view receive bodies up to the server's ``max_upload`` instead of ``max_body``.

    For the routes a client sends a whole file to (a temporary upload URL), never for JSON or form bodies.
    """
    view.takes_upload = True
    return view
