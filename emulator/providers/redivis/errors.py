"""Redivis's error envelope: ``{"error", "error_description", "status"}``; on HEAD, the same JSON in a header."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import Response, request

from emulator import framing
from emulator.errors import PlatformError

from . import settings

JSON_TYPE = "application/json; charset=utf-8"
HEAD_ERROR_HEADER = "X-Redivis-Error-Payload"


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


def route_not_found() -> RedivisError:
    return not_found(settings.MSG_ROUTE_NOT_FOUND.format(method=request.method, path=_api_path()))


def method_not_allowed() -> RedivisError:
    return for_status(405, settings.MSG_METHOD_NOT_ALLOWED.format(method=request.method, path=_api_path()))


def _api_path() -> str:
    path = request.path
    return path[path.find("/api/v1"):] if "/api/v1" in path else path


def for_platform(error: PlatformError) -> RedivisError:
    """Redivis's error for an answer the platform makes: Express's wording for routing failures, the
    platform's reason where it has one, the stock message for a body too large, a rate limit or a fault."""
    if error.status == 404 and error.message is None:
        return route_not_found()
    if error.status == 405 and error.message is None:
        return method_not_allowed()
    stock = error.status in (413, 429) or error.status >= 500
    return for_status(error.status, None if stock else error.message)


def render(exc: RedivisError) -> Response:
    payload = exc.body()
    if request.method == "HEAD":
        # A HEAD answer has no body, so the client reads the error from this header.
        response = framing.body(b"", exc.status, JSON_TYPE)
        response.headers[HEAD_ERROR_HEADER] = quote(json.dumps(payload, separators=(",", ":")), safe="")
    else:
        response = framing.json(payload, exc.status)
    if exc.status == 429:
        response.headers["Retry-After"] = settings.RATE_LIMIT_RETRY_AFTER
    return response
