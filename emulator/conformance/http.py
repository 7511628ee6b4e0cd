"""Sending one scenario step over HTTP with the standard library, exactly as written (no retries, no redirects)."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def build(method: str, base: str, path: str, headers: dict[str, str], json_body: Any = None,
          has_json: bool = False, body: str | None = None, form: dict[str, Any] | None = None) -> Request:
    headers = dict(headers)
    data: bytes | None = None
    if has_json:
        data = json.dumps(json_body).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    elif form is not None:
        data = urlencode(form, doseq=True).encode("ascii")
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif body is not None:
        data = body.encode("utf-8")
    return Request(method, base.rstrip("/") + path, headers, data)


def target(url: str) -> str:
    """The request target sent for a URL: its path and query, exactly as written."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def send(request: Request) -> Answer:
    parts = urlsplit(request.url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.netloc, timeout=TIMEOUT_SECONDS)
    try:
        connection.request(request.method, target(request.url), body=request.body, headers=request.headers)
        response = connection.getresponse()
        return Answer(response.status, response.getheader("Content-Type", ""), response.read())
    finally:
        connection.close()
