"""Request bodies as Apify reads them: size-limited, decompressed (gzip, br, deflate), then JSON."""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import brotli
from flask import request

from emulator import jsontext

from . import errors
from .settings import config

_MISSING = object()


def _inflate(data: bytes) -> bytes:
    # HTTP "deflate" is zlib-wrapped, but some senders emit raw deflate; accept both like Node's zlib does.
    try:
        return zlib.decompress(data)
    except zlib.error:
        return zlib.decompress(data, -zlib.MAX_WBITS)


_DECODERS = {"gzip": gzip.decompress, "x-gzip": gzip.decompress, "br": brotli.decompress, "deflate": _inflate,
             "identity": lambda data: data}


def raw_body() -> bytes:
    """The decoded request body; 413 over the payload limit, 415 for an unknown Content-Encoding."""
    req = request._get_current_object()
    limit = config()["payloadLimitBytes"]
    declared = req.content_length
    if declared is not None and declared > limit:
        raise errors.payload_too_large(limit, declared)
    # The WSGI key of the Content-Encoding header, read directly: a missing header costs EnvironHeaders
    # a KeyError, and most requests send none.
    header = req.environ.get("HTTP_CONTENT_ENCODING")
    encodings = [e.strip().lower() for e in header.split(",") if e.strip()] if header else []
    for encoding in encodings:
        if encoding not in _DECODERS:
            raise errors.unsupported_encoding(encoding)
    data = req.get_data(cache=True)
    if len(data) > limit:
        raise errors.payload_too_large(limit, len(data))
    for encoding in reversed(encodings):  # the last encoding listed was applied last
        try:
            data = _DECODERS[encoding](data)
        except (OSError, EOFError, zlib.error, brotli.error):
            # ASSUMPTION: a body that does not decode is treated like malformed JSON.
            raise errors.not_json_object() from None
        if len(data) > limit:
            raise errors.payload_too_large(limit, len(data))
    return data


def json_body(default: Any = _MISSING) -> Any:
    """The parsed JSON body; ``default`` when there is none (``_MISSING`` makes a body required)."""
    data = raw_body()
    if not data.strip():
        if default is _MISSING:
            raise errors.not_json_object()
        return default
    try:
        return jsontext.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise errors.not_json_object() from None


def json_object_body(default: dict[str, Any] | None = None) -> dict[str, Any]:
    """A body that must be a JSON object (or absent, giving ``default``)."""
    body = json_body({} if default is None else default)
    if not isinstance(body, dict):
        raise errors.not_json_object()
    return body
