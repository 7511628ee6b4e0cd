"""How every Apify response is framed: UTF-8 JSON with Apify's headers."""

from __future__ import annotations

import json
from typing import Any

from flask import Response

from .settings import config

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def common_headers(response: Response) -> Response:
    response.headers["X-RateLimit-Limit"] = str(config()["rateLimitPerSecond"])
    return response


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    indent = config()["jsonIndent"] or None
    body = json.dumps(payload, ensure_ascii=False, indent=indent)
    response = Response(body.encode("utf-8"), status=status, headers=headers or {})
    response.headers["Content-Type"] = JSON_CONTENT_TYPE
    return common_headers(response)


def empty_response(status: int, headers: dict[str, str] | None = None) -> Response:
    """Apify's bodiless answers (204 on delete, 201 on push) carry no Content-Type."""
    response = Response(b"", status=status, headers=headers or {})
    del response.headers["Content-Type"]
    return common_headers(response)
