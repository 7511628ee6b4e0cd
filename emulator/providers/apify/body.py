"""Request bodies as Apify reads them: size-limited, decompressed (gzip, br, deflate), then JSON."""

from __future__ import annotations

import zlib
from typing import Any

import brotli
from flask import request

from emulator import jsontext

from . import errors
from .settings import config

_MISSING = object()


class _TooLarge(Exception):
    """The decoded body outgrew the payload limit: decoding stopped there."""


def _zlib(data: bytes, limit: int, wbits: int, members: bool = False) -> bytes:
    """Inflate at most ``limit`` bytes, whatever the ratio (1 GiB of zeros is a 1 MB gzip, and gzip of that
    1 KB); ``members``: gzip's concatenated members."""
    out = bytearray()
    while True:
        stream = zlib.decompressobj(wbits)
        out += stream.decompress(data, limit + 1 - len(out))  # one byte more than allowed says: too large
        if len(out) > limit:
            raise _TooLarge
        if not stream.eof:
            raise zlib.error("truncated stream")
        data = stream.unused_data
        if not (members and data):
            return bytes(out)


def _gunzip(data: bytes, limit: int) -> bytes:
    return _zlib(data, limit, 16 + zlib.MAX_WBITS, members=True)


def _inflate(data: bytes, limit: int) -> bytes:
    # HTTP "deflate" is zlib-wrapped, but some senders emit raw deflate; accept both like Node's zlib does.
    try:
        return _zlib(data, limit, zlib.MAX_WBITS)
    except zlib.error:
        return _zlib(data, limit, -zlib.MAX_WBITS)


def _unbrotli(data: bytes, limit: int) -> bytes:
    stream = brotli.Decompressor()
    out = [stream.process(data, output_buffer_limit=limit + 1)]
    size = len(out[0])
    while size <= limit and not stream.can_accept_more_data():  # more output waits inside the decoder
        out.append(stream.process(b"", output_buffer_limit=limit + 1 - size))
        size += len(out[-1])
    if size > limit:
        raise _TooLarge
    if not stream.is_finished():
        raise brotli.error("truncated stream")
    return b"".join(out)


_DECODERS = {"gzip": _gunzip, "x-gzip": _gunzip, "br": _unbrotli, "deflate": _inflate,
             "identity": lambda data, limit: data}


def raw_body() -> bytes:
    """The decoded request body; 413 over the payload limit, 415 for an unknown Content-Encoding."""
    limit = config()["payloadLimitBytes"]
    declared = request.content_length
    if declared is not None and declared > limit:
        raise errors.payload_too_large(limit, declared)
    # The WSGI key of the Content-Encoding header, read directly: a missing header costs EnvironHeaders
    # a KeyError, and most requests send none.
    header = request.environ.get("HTTP_CONTENT_ENCODING")
    encodings = [e.strip().lower() for e in header.split(",") if e.strip()] if header else []
    for encoding in encodings:
        if encoding not in _DECODERS:
            raise errors.unsupported_encoding(encoding)
    data = request.get_data(cache=True)
    if len(data) > limit:
        raise errors.payload_too_large(limit, len(data))
    for encoding in reversed(encodings):  # the last encoding listed was applied last
        try:
            data = _DECODERS[encoding](data, limit)  # each layer stops at the limit: memory stays bounded
        except _TooLarge:
            raise errors.payload_too_large(limit, None) from None  # decoding stopped: the size is unknown
        except (zlib.error, brotli.error):
            # ASSUMPTION: a body that does not decode is treated like malformed JSON.
            raise errors.not_json_object() from None
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
