"""The undecoded request path: a dataset name may hold an encoded "/" (``%2F``) that decoding would split."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import request

DATASETS_PREFIX = "/api/v1/datasets/"


def dataset_segments() -> list[str]:
    """The decoded segments after ``/api/v1/datasets/``, split on the slashes the client really sent.

    waitress and werkzeug's test client both put the raw request target in RAW_URI/REQUEST_URI (a proxy may
    send an absolute URI); without either, fall back to the decoded path.
    """
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        path = urlsplit(raw).path if "://" in raw.split("?", 1)[0] else raw.split("?", 1)[0]
        # The first occurrence is ours: a namespace cannot contain "/" and the mount prefix is fixed.
        _, found, tail = path.partition(DATASETS_PREFIX)
        if found:
            return [unquote(segment) for segment in tail.split("/")]
    _, _, tail = request.path.partition(DATASETS_PREFIX)
    return tail.split("/")
