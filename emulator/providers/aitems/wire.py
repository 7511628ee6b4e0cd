"""How every AiTEMS answer goes out: compact JSON in the service's content type, with a gateway trace id."""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from flask.json.provider import DefaultJSONProvider

from emulator import context

CONTENT_TYPE = "application/json;charset=UTF-8"  # ASSUMPTION: what the service sends with its JSON
TRACE_HEADER = "x-ncp-trace-id"
TRACE_ALPHABET, TRACE_LENGTH = "0123456789abcdef", 16  # ASSUMPTION: 16 hex

# The bytes jsonify writes (ASCII-escaped, compact, keys in insertion order), with the content type set
# at once rather than as application/json first and rewritten by add_trace_id.
_ENCODER = json.JSONEncoder(default=DefaultJSONProvider.default, separators=(",", ":"))


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(f"{_ENCODER.encode(payload)}\n".encode(), status, content_type=CONTENT_TYPE)


def add_trace_id(response: Response) -> Response:
    """Every gateway answer carries a trace id; JSON goes out with the service's content type."""
    headers = response.headers
    # not ``TRACE_HEADER in headers``: that raises and catches a KeyError when absent, the usual case
    if not any(key.lower() == TRACE_HEADER for key, _ in headers):
        headers.add(TRACE_HEADER, context.ids().string(TRACE_ALPHABET, TRACE_LENGTH))
    if headers.get("Content-Type") != CONTENT_TYPE and response.mimetype == "application/json":
        headers["Content-Type"] = CONTENT_TYPE
    return response
