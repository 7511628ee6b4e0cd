"""The request journal: every provider request of a namespace, in a bounded ring."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qs

from werkzeug.datastructures import EnvironHeaders

from . import jsontext

# Headers that carry credentials whatever the API; providers declare their own (``Provider.secret_headers``).
SECRET_HEADERS = frozenset({"authorization", "cookie"})
MASK = "***"
MAX_BODY = 64 * 1024  # bytes of a request or response body kept per entry
ALL_NAMESPACES = "*"  # reads the journal of every namespace (not a valid namespace name)
#: JSON bodies nested deeper are shown as text: the journal's own answer must always encode.
MAX_DEPTH = 100


def mask_headers(headers: dict[str, str], secret: frozenset[str]) -> dict[str, str]:
    return {k: (MASK if k.lower() in secret else v) for k, v in headers.items()}


def mask_query(query: dict[str, list[str]], secret: frozenset[str]) -> dict[str, Any]:
    return {k: (MASK if k.lower() in secret else (v[0] if len(v) == 1 else v)) for k, v in query.items()}


def _depth(value: Any) -> int:
    """How deeply a decoded JSON value nests (iteratively: the value may be deeper than Python's stack)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            todo.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


def decode_body(raw: bytes, content_type: str | None, truncated: bool = False) -> Any:
    """JSON bodies as JSON, others (and cut ones) as text, so the journal reads like the wire."""
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    if content_type and "json" in content_type and not truncated:
        try:
            decoded = jsontext.loads(text)
        except (ValueError, RecursionError):
            return text
        return decoded if _depth(decoded) <= MAX_DEPTH else text
    return text


def kept(body: bytes | None) -> tuple[bytes | None, int]:
    """The part of a body the journal keeps, and the body's size: an entry never holds more than MAX_BODY."""
    return (None, 0) if body is None else (body[:MAX_BODY], len(body))


class Raw(NamedTuple):
    """What a request left, as it came: decoding and masking wait until someone reads the journal."""

    query: str  # the WSGI QUERY_STRING
    environ: list[tuple[str, str]]  # the request's header entries of the WSGI environ
    request: bytes | None  # at most MAX_BODY bytes; None: not read (refused as too large)
    request_size: int  # of the whole body
    request_type: str | None
    response_headers: list[tuple[str, str]]
    response: bytes  # at most MAX_BODY bytes
    response_size: int


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _materialise(entry: dict[str, Any], raw: Raw, journal: Journal) -> dict[str, Any]:
    request_cut = raw.request_size > MAX_BODY
    request_body = None if raw.request is None else decode_body(raw.request, raw.request_type, request_cut)
    response_type = next((v for k, v in raw.response_headers if k.lower() == "content-type"), None)
    response_cut = raw.response_size > MAX_BODY
    response_body = decode_body(raw.response, response_type, response_cut)
    entry = {**entry, "time": _iso(entry["time"]),
             "query": mask_query(parse_qs(raw.query, keep_blank_values=True), journal.secret_params),
             "headers": mask_headers(dict(EnvironHeaders(dict(raw.environ))), journal.secret_headers),
             "body": request_body,
             "responseHeaders": dict(raw.response_headers), "responseBody": response_body}
    if request_cut:  # the first MAX_BODY bytes, as text
        entry.update(bodyTruncated=True, bodySize=raw.request_size)
    if response_cut:
        entry.update(responseBodyTruncated=True, responseBodySize=raw.response_size)
    if entry["status"] >= 400:
        entry.setdefault("errors", response_body)
    return entry


class Journal:
    def __init__(self, size: int = 1000, secret_headers: Iterable[str] = (), secret_params: Iterable[str] = ()) -> None:
        """``secret_headers`` and ``secret_params``: what the providers declared (Provider.secret_headers)."""
        self.size = size
        self.secret_headers = SECRET_HEADERS | {name.lower() for name in secret_headers}
        self.secret_params = frozenset(name.lower() for name in secret_params)
        # Lists, not deques: a deque holds a 64-slot block from its first entry, ~0.8 KB for a namespace that
        # made one request.
        self._rings: dict[str, list[tuple[dict[str, Any], Raw]]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, namespace: str, entry: dict[str, Any], raw: Raw) -> None:
        """Keep an entry (its dict, starting with ``id``, and ``time`` a datetime); it stays raw until
        someone reads the journal, since recording is on the hot path."""
        with self._lock:
            ring = self._rings.setdefault(namespace, [])
            entry["id"] = next(self._ids)
            ring.append((entry, raw))
            if len(ring) > self.size:
                del ring[:len(ring) - self.size]

    def find(self, namespace: str, provider: str | None = None, operation: str | None = None,
             status: int | None = None, since: str | None = None, limit: int | None = None) -> list[dict]:
        """Entries oldest first; ``since`` is an entry id (exclusive) or an ISO time (inclusive); ``limit``
        keeps the newest ``limit`` of them (0: none).

        ``ALL_NAMESPACES`` reads every namespace's journal (each entry names its namespace).
        """
        with self._lock:
            if namespace == ALL_NAMESPACES:
                kept = sorted((item for ring in self._rings.values() for item in ring), key=lambda e: e[0]["id"])
            else:
                kept = list(self._rings.get(namespace, ()))

        def wanted(entry: dict[str, Any]) -> bool:
            if since and (entry["id"] <= int(since) if since.isascii() and since.isdigit()
                          else _iso(entry["time"]) < since):
                return False
            return (provider in (None, "", entry["provider"]) and operation in (None, "", entry["operation"])
                    and status in (None, entry["status"]))

        kept = [(entry, raw) for entry, raw in kept if wanted(entry)]
        return [_materialise(entry, raw, self) for entry, raw in (kept if limit is None else kept[len(kept) - limit:])]

    def count(self, namespace: str) -> int:
        with self._lock:
            return len(self._rings.get(namespace, ()))

    def clear(self, namespace: str | None = None) -> None:
        with self._lock:
            if namespace is None:
                self._rings.clear()
            else:
                self._rings.pop(namespace, None)
