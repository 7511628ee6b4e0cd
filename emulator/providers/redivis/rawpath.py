"""The undecoded request path: a dataset name may hold an encoded "/" (``%2F``) that decoding would split."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import request

DATASETS_PREFIX = "/api/v1/datasets/"
TABLES_PREFIX = "/api/v1/tables/"


def dataset_segments() -> list[str]:
    return segments_after(DATASETS_PREFIX)


def table_segments() -> list[str]:
    return segments_after(TABLES_PREFIX)


def segments_after(prefix: str) -> list[str]:
    """The decoded segments after ``prefix``, split on the slashes the client really sent.

    waitress and werkzeug's test client both put the raw request target in RAW_URI/REQUEST_URI (a proxy may
    send an absolute URI); without either, fall back to the decoded path.
    """
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        path = urlsplit(raw).path if "://" in raw.split("?", 1)[0] else raw.split("?", 1)[0]
        # The first occurrence is ours: a namespace cannot contain "/" and the mount prefix is fixed.
        _, found, tail = path.partition(prefix)
        if found:
            return [unquote(segment) for segment in tail.split("/")]
    _, _, tail = request.path.partition(prefix)
    return tail.split("/")
