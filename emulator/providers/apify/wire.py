"""How every Apify response is framed: UTF-8 JSON with Apify's headers."""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from werkzeug.datastructures import Headers

from .settings import config

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
RATE_LIMIT_HEADER = "X-RateLimit-Limit"


class ApifyResponse(Response):
    """A response framed by this module (it carries ``X-RateLimit-Limit`` from the start)."""


def common_headers(response: Response) -> Response:
    response.headers[RATE_LIMIT_HEADER] = str(config()["rateLimitPerSecond"])
    return response


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    settings = config()
    data = json.dumps(payload, ensure_ascii=False, indent=settings["jsonIndent"] or None).encode("utf-8")
    # The order werkzeug and common_headers would give: the caller's, Content-Type, Content-Length, ours.
    framed = [*headers.items()] if headers else []
    framed += [("Content-Type", JSON_CONTENT_TYPE), ("Content-Length", str(len(data))),
               (RATE_LIMIT_HEADER, str(settings["rateLimitPerSecond"]))]
    return ApifyResponse([data], status, Headers(framed))


def empty_response(status: int, headers: dict[str, str] | None = None) -> Response:
    """Apify's bodiless answers (204 on delete, 201 on push) carry no Content-Type."""
    response = ApifyResponse(b"", status=status, headers=headers or {})
    del response.headers["Content-Type"]
    return common_headers(response)
