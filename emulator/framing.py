"""Every provider answer's bytes: the one place JSON is encoded and content types and headers are set.

A provider declares its conventions once (``providers.base.Wire``); its code hands this module a payload
(``json``), raw bytes (``body``) or nothing (``empty``), and the platform's own answers on its behalf
(unknown routes, faults) come out the same way. Headers go out in one order everywhere: the caller's,
``Content-Type``, ``Content-Length``, the wire's JSON headers (JSON answers only), then its per-answer headers.
"""

from __future__ import annotations

import json as _json
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response

from . import context
from .platform import SCOPE
from .providers.base import Wire

Headers = Mapping[str, str] | Iterable[tuple[str, str]] | None
PLAIN = Wire()  # outside a provider's scope (never on the wire: every provider request has one)


def _wire() -> Wire:
    scope = SCOPE.get()
    return scope.platform.providers[scope.provider].wire if scope is not None else PLAIN


def json(payload: Any, status: int = 200, headers: Headers = None) -> Response:
    """``payload`` as JSON in the provider's declared encoding and content type."""
    wire = _wire()
    indent = (context.config()[wire.indent_setting] or None) if wire.indent_setting else wire.indent
    text = _encoder(wire, indent).encode(payload)
    if wire.trailing_newline:
        text += "\n"
    response = Response(text.encode("utf-8"), status, headers, content_type=wire.content_type)
    response.headers.extend(wire.json_headers)
    return _finish(wire, response)


def body(data: bytes | str, status: int, content_type: str, headers: Headers = None) -> Response:
    """Bytes (or text, sent as UTF-8) that are not the provider's JSON: CSV, HTML pages, JSONP."""
    wire = _wire()
    return _finish(wire, Response(data, status, headers, content_type=content_type))


def empty(status: int, headers: Headers = None) -> Response:
    """A bodiless answer (a 204, a 201 without a body): no ``Content-Type``."""
    wire = _wire()
    response = Response(b"", status, headers)
    del response.headers["Content-Type"]
    return _finish(wire, response)


def _finish(wire: Wire, response: Response) -> Response:
    if wire.headers is not None:
        response.headers.extend(wire.headers())
    return response


def _encoder(wire: Wire, indent: int | None) -> _json.JSONEncoder:
    # JSONEncoder is stateless once built, and building one per answer is most of json.dumps's own cost.
    key = (wire, indent)
    encoder = _ENCODERS.get(key)
    if encoder is None:
        encoder = _ENCODERS[key] = _json.JSONEncoder(
            ensure_ascii=wire.ensure_ascii, indent=indent, separators=wire.separators)
    return encoder


_ENCODERS: dict[tuple[Wire, int | None], _json.JSONEncoder] = {}
