"""How every Apify response is framed: UTF-8 JSON with Apify's headers."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from flask import Response

from .settings import config

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
RATE_LIMIT_HEADER = "X-RateLimit-Limit"

# Containers nested deeper are left to json.dumps, called from the frame of their parent: the levels above
# then cost one frame each, as in json's own encoder, and a deeply nested value (JSON data has string keys)
# meets the recursion limit at the depth it did before.
_OWN_LEVELS = 4


def _indented(value: Any, indent: int, pad: str, level: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)`` as it reads ``pad`` deep in a document.

    With ``indent`` set, json always takes its pure-Python encoder, which costs several times this walk
    over the dicts, lists, strings, ints and None that Apify's bodies are made of. The separators and
    the string escaper are json's; anything else (floats, subclasses, non-string keys) is json.dumps'
    own output with every newline moved ``pad`` right, which is what nesting does to it (JSON strings
    hold no raw newline).
    """
    kind = type(value)
    if kind is dict or kind is list:
        if not value:
            return "{}" if kind is dict else "[]"
        inner = pad + " " * indent
        parts = []
        for key, item in value.items() if kind is dict else enumerate(value):
            if kind is dict and type(key) is not str:
                break  # json.dumps converts such keys
            item_kind = type(item)
            if item_kind is str:
                text = encode_basestring(item)
            elif item is None:
                text = "null"
            elif item_kind is int:
                text = int.__repr__(item)
            elif item_kind is bool:
                text = "true" if item else "false"
            elif (item_kind is dict or item_kind is list) and level + 1 < _OWN_LEVELS:
                text = _indented(item, indent, inner, level + 1)
            else:
                text = json.dumps(item, ensure_ascii=False, indent=indent).replace("\n", "\n" + inner)
            parts.append(f"{encode_basestring(key)}: {text}" if kind is dict else text)
        else:
            opening, closing = ("{", "}") if kind is dict else ("[", "]")
            return opening + "\n" + inner + (",\n" + inner).join(parts) + "\n" + pad + closing
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return text.replace("\n", "\n" + pad) if pad else text


def common_headers(response: Response) -> Response:
    response.headers[RATE_LIMIT_HEADER] = str(config()["rateLimitPerSecond"])
    return response


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    indent = config()["jsonIndent"] or None
    if type(indent) is int:  # called here, not through a helper: see _OWN_LEVELS
        body = _indented(payload, indent, "", 0)
    else:
        body = json.dumps(payload, ensure_ascii=False, indent=indent)
    return common_headers(Response(body.encode("utf-8"), status, headers, content_type=JSON_CONTENT_TYPE))


def empty_response(status: int, headers: dict[str, str] | None = None) -> Response:
    """Apify's bodiless answers (204 on delete, 201 on push) carry no Content-Type."""
    response = Response(b"", status=status, headers=headers or {})
    del response.headers["Content-Type"]
    return common_headers(response)
