"""How every Apify response is framed: UTF-8 JSON with Apify's headers."""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring
from typing import Any

from flask import Response
from werkzeug.datastructures import Headers

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


# Absolute http(s) URLs that werkzeug's iri_to_uri returns unchanged: a lower-case scheme, a lower-case
# DNS host (labels of 1-63 characters), a port without a leading zero, and a path of characters it never
# quotes; no user info, query or fragment. tests/apify/test_apify_wire.py holds iri_to_uri to this.
_PLAIN_URI = re.compile(r"https?://[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*(?::[1-9][0-9]{0,3})?(?:/[A-Za-z0-9._~/-]*)?")


class ApifyResponse(Response):
    """A response framed by this module (it carries ``X-RateLimit-Limit`` from the start)."""

    def get_wsgi_headers(self, environ: dict[str, Any]) -> Headers:
        # werkzeug copies the headers, re-encodes Location and Content-Location as URIs and fills in a
        # missing Content-Length. Our Locations are built from the base URL and ids: when one is plainly
        # a URI already and Content-Length is set, that copy is the whole answer, and its URI parsing was a
        # tenth of a create's cost.
        status = self.status_code
        if 200 <= status and status not in (204, 304) and not self.autocorrect_location_header:
            content_length = location = None
            for key, value in self.headers:
                lowered = key.lower()
                if lowered == "location":
                    if key != "Location" or location is not None:
                        break  # werkzeug renames the key, or keeps one of several
                    location = value
                elif lowered == "content-length":
                    content_length = value
                elif lowered == "content-location":
                    break
            else:
                if content_length is not None and (location is None or _PLAIN_URI.fullmatch(location)):
                    return Headers(self.headers)
        return super().get_wsgi_headers(environ)


def common_headers(response: Response) -> Response:
    response.headers[RATE_LIMIT_HEADER] = str(config()["rateLimitPerSecond"])
    return response


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    settings = config()
    indent = settings["jsonIndent"] or None
    if type(indent) is int:  # called here, not through a helper: see _OWN_LEVELS
        body = _indented(payload, indent, "", 0)
    else:
        body = json.dumps(payload, ensure_ascii=False, indent=indent)
    data = body.encode("utf-8")
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
