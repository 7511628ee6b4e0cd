"""`serve`'s access log: one line per request on stdout (time, namespace, operation, method, path, status, ms).

Installed only when asked for (``serve`` without ``--quiet``), so the pytest fixture and benchmarks pay nothing.
"""

from __future__ import annotations

import logging
import sys
import time
from datetime import UTC, datetime
from urllib.parse import quote

from flask import Flask, Response, request

from . import calls

STARTED_ENVIRON_KEY = "emulator.started"


def _field(value: str) -> str:
    """One space-free, single-line field: a request cannot forge log lines with newlines or spaces in its path."""
    return quote(value, safe="/:@!$&'()*+,;=-._~") or "-"


def _logger() -> logging.Logger:
    log = logging.getLogger("emulator.access")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stdout)  # flushed after every line: readable while it runs
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def install(app: Flask) -> None:
    log = _logger()

    @app.before_request
    def stamp() -> None:
        request.environ[STARTED_ENVIRON_KEY] = time.perf_counter()

    @app.after_request
    def write(response: Response) -> Response:
        started = request.environ.get(STARTED_ENVIRON_KEY)
        elapsed = (time.perf_counter() - started) * 1000 if started else 0.0
        call = calls.current()
        if call is not None:
            namespace, operation = call.namespace, call.operation
        else:  # a control or dashboard call
            namespace, operation = request.args.get("namespace", "-"), "control"
        now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        log.info("%s %s %s %s %s %d %.1fms", now, _field(namespace), operation, _field(request.method),
                 _field(request.path), response.status_code, elapsed)
        return response
