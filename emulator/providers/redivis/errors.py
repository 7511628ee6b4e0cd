"""Redivis's error envelope: ``{"error", "error_description", "status"}``; on HEAD, the same JSON in a header."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import Response, request

from . import settings

JSON_TYPE = "application/json; charset=utf-8"
HEAD_ERROR_HEADER = "X-Redivis-Error-Payload"
# Stateless: built once rather than by every json.dumps call with these options.
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


class RedivisError(Exception):
    """Raised anywhere in the provider; the blueprint's error handler renders it."""

    def __init__(self, status: int, error: str, description: str, **extra: Any) -> None:
        super().__init__(description)
        self.status, self.error, self.description, self.extra = status, error, description, extra

    def body(self) -> dict[str, Any]:
        # ``scope`` sits before ``status`` as in the documented insufficient_scope body.
        return {"error": self.error, "error_description": self.description, **self.extra, "status": self.status}


def invalid(description: str) -> RedivisError:
    return RedivisError(400, settings.CODE_INVALID_REQUEST, description)


def unauthenticated() -> RedivisError:
    return RedivisError(401, settings.CODE_INVALID_TOKEN, settings.MSG_INVALID_TOKEN)


def insufficient_scope(scope: str) -> RedivisError:
    return RedivisError(403, settings.CODE_INSUFFICIENT_SCOPE, settings.MSG_INSUFFICIENT_SCOPE.format(scope=scope),
                        scope=scope)


def forbidden() -> RedivisError:
    return RedivisError(403, settings.CODE_FORBIDDEN, settings.MSG_FORBIDDEN)


def not_found(description: str) -> RedivisError:
    return RedivisError(404, settings.CODE_NOT_FOUND, description)


def for_status(status: int, message: str | None = None) -> RedivisError:
    """An error for a status the platform produces (unknown route, wrong method, injected fault)."""
    fallback = settings.CODE_INTERNAL if status >= 500 else settings.CODE_INVALID_REQUEST
    code = settings.CODE_BY_STATUS.get(status, fallback)
    return RedivisError(status, code, message or settings.MSG_BY_STATUS.get(status, "Error"))


def json_response(payload: Any, status: int = 200) -> Response:
    """Compact JSON as Express sends it, with the charset the real API names."""
    text = _COMPACT_JSON.encode(payload)
    return Response(text.encode("utf-8"), status=status, content_type=JSON_TYPE)


def render(exc: RedivisError) -> Response:
    payload = exc.body()
    if request.method == "HEAD":
        # A HEAD answer has no body, so the client reads the error from this header.
        response = Response(b"", status=exc.status, content_type=JSON_TYPE)
        response.headers[HEAD_ERROR_HEADER] = quote(json.dumps(payload, separators=(",", ":")), safe="")
    else:
        response = json_response(payload, exc.status)
    if exc.status == 429:
        response.headers["Retry-After"] = settings.RATE_LIMIT_RETRY_AFTER
    return response
