"""The small contract every provider fulfils.

A provider is one package under ``emulator/providers/`` exposing a ``Provider`` instance, listed once in
``emulator/providers/__init__.py``. The platform mounts its blueprint at ``/<name>`` (and under
``/_ns/<namespace>/<name>``), stores its collections, seeds its part of the default world, frames its
answers by its ``Wire``, and asks it for its own error body whenever the platform itself must answer
(unknown route, wrong method, an injected fault). Provider code reaches the current namespace's state
through ``emulator.context`` and writes its answers through ``emulator.framing``.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from apispec import APISpec
from flask import Blueprint, Response

from ..errors import PlatformError
from ..store.tables import Record
from .rules import Rule


class SeedError(ValueError):
    """A seed record is unusable; the message says why (answered as a 400 by the control API)."""


@dataclass(frozen=True)
class Wire:
    """How a provider's answers look on the wire, declared once; ``emulator.framing`` applies it."""

    #: The ``Content-Type`` of JSON answers, exactly as the real API sends it.
    content_type: str = "application/json"
    #: ``json.dumps`` options: indentation, separators (None: its defaults), ASCII escapes.
    indent: int | None = None
    separators: tuple[str, str] | None = None
    ensure_ascii: bool = True
    #: A newline after the JSON text (Flask's ``jsonify`` writes one).
    trailing_newline: bool = False
    #: The provider setting (``config_defaults``) that gives the indentation per namespace (0: none), if any.
    indent_setting: str | None = None
    #: Fixed headers on every JSON answer, after ``Content-Length``.
    json_headers: tuple[tuple[str, str], ...] = ()
    #: Headers made for each answer, JSON or not, error or fault alike (a rate-limit header from the
    #: namespace's settings, a trace id): called inside the request, so ``emulator.context`` is usable.
    headers: Callable[[], Iterable[tuple[str, str]]] | None = None


class Provider(ABC):
    #: Mount prefix and the key in seed/state documents, e.g. ``"ckan"``.
    name: str = ""
    #: Human name of the emulated API, e.g. ``"CKAN 2.11 action API"``.
    title: str = ""
    #: Where the real client's base URL points, below the mount prefix (``"/api/v1"`` when the SDK is given
    #: ``.../redivis/api/v1``); empty when the client takes the mount itself (CKAN, Apify).
    client_path: str = ""
    #: How its answers are framed (content type, JSON encoding, headers).
    wire: Wire = Wire()
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
    def error_body(self, error: PlatformError) -> Response:
        """The provider's own answer (made with ``emulator.framing``) to an error the platform produced: an
        unknown route (404), a wrong method (405), a body too large (413), an unreadable body (400), a
        refusal (403), an injected status (429, 5xx) or an unexpected exception (500)."""

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


def operation(name: str | Callable[[dict[str, Any]], str], check: Callable[[], object] | None = None) -> Callable:
    """Name the operation a view (or a handler a view dispatches to) performs: ``@operation("datasets.create")``.

    When the wrapped function is reached, the platform names the request's operation for the journal
    (prefixed with the provider's name) and applies any fault injected for it; a request that reaches no
    operation is journalled as ``<provider>.unmatched``. ``name`` may be a function of the view's keyword
    arguments (CKAN's one route serves every action). ``check`` runs next, before the view: a gateway's
    authentication, which raises the provider's error (bind it once: ``partial(operation, check=...)``).
    """

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        from emulator import pipeline  # here, not above: the platform's own modules import this one

        @functools.wraps(view)
        def reached(*args: Any, **kwargs: Any) -> Response:
            injected = pipeline.reach(name if isinstance(name, str) else name(kwargs))
            if injected is not None:
                return injected
            if check is not None:
                check()
            return view(*args, **kwargs)

        return reached

    return decorate


def takes_upload(view: Callable) -> Callable:
    """Let a view receive bodies up to the server's ``max_upload`` instead of ``max_body``.

    For the routes a client sends a whole file to (a temporary upload URL), never for JSON or form bodies.
    """
    view.takes_upload = True
    return view
