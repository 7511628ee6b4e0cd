"""JSON text every client can read back: no NaN or Infinity, no lone surrogate.

Python's ``json`` reads ``NaN``, ``Infinity``, ``-Infinity``, numbers like ``1e400`` (an infinity) and lone
surrogate escapes such as ``"\\ud800"``, and writes them back: the first as bare words that are not JSON, the
last as text UTF-8 cannot encode. Stored, either makes every later answer holding the record invalid or a
500. Request bodies are read with ``loads`` (the providers answer ``Unportable`` as their invalid-JSON error)
and the store writes only what ``dumps`` accepts, so no stored record can break an answer.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# A surrogate escape (paired or not); only then is the value checked for an unpaired one. Bytes are decoded
# strictly, so a surrogate encoded in them is already invalid UTF-8 (or UTF-16/32).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = "a string holds a lone UTF-16 surrogate (not encodable as UTF-8)"


class Unportable(ValueError):
    """A JSON value other parsers reject or UTF-8 cannot encode; the message says which."""


def _constant(word: str) -> Any:
    raise Unportable(f"{word} is not a JSON value")


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise Unportable(f"the number {text[:40]} is out of range")
    return value


# Built once: json.loads builds a decoder on every call that passes options.
_PORTABLE = json.JSONDecoder(parse_constant=_constant, parse_float=_float)
_PYTHON = json.JSONDecoder()


def loads(data: str | bytes | bytearray, nan: bool = False) -> Any:
    """``json.loads`` that raises ``Unportable`` (a ValueError) for what ``dumps`` would refuse.

    ``nan`` reads NaN and the infinities as floats, as Python back ends do; ``dumps`` still refuses them.
    """
    if isinstance(data, bytes | bytearray):
        data = bytes(data).decode(json.detect_encoding(data))
    elif not data.isascii():
        try:
            data.encode("utf-8")  # faster than searching for a surrogate
        except UnicodeEncodeError:
            raise Unportable(_LONE_SURROGATE) from None
    value = (_PYTHON if nan else _PORTABLE).decode(data)
    if _SURROGATE_ESCAPE.search(data):
        dumps(value)
    return value


def dumps(value: Any) -> str:
    """``json.dumps(value)``, or ``Unportable`` if it holds NaN, an infinity or a lone surrogate."""
    try:
        text = json.dumps(value, allow_nan=False)
        if _SURROGATE_ESCAPE.search(text):  # ASCII: every surrogate, paired or not, is escaped
            json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise Unportable(_LONE_SURROGATE) from None
    except ValueError:
        raise Unportable("NaN and Infinity are not JSON values") from None
    return text
