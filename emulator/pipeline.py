"""What happens around every provider request: namespace binding, faults, and the journal."""

from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, g, request
from waitress.channel import ClientDisconnected
from werkzeug.exceptions import RequestEntityTooLarge

from .control.journal import Raw
from .platform import DEFAULT_NAMESPACE, ControlError, Platform
from .providers.base import Provider

NS_ENVIRON_KEY = "emulator.namespace"
DROP_ENVIRON_KEY = "emulator.drop"
MALFORMED_JSON = b'{"data": {"id": "'


class NamespaceMiddleware:
    """Serves ``/_ns/<namespace>/<provider>/...`` as ``/<provider>/...`` inside that namespace.

    Real clients only let you set a base URL, so the namespace has to travel in the path. It also ends a
    connection without an answer when a ``drop`` fault asked for it (waitress closes the socket on
    ``ClientDisconnected``).
    """

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_ns/"):
            namespace, _, rest = path[len("/_ns/"):].partition("/")
            environ[NS_ENVIRON_KEY] = namespace
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/_ns/" + namespace
            environ["PATH_INFO"] = "/" + rest
        result = self.wsgi_app(environ, start_response)
        if environ.get(DROP_ENVIRON_KEY):
            if hasattr(result, "close"):
                result.close()
            raise ClientDisconnected("connection dropped by an injected fault")
        return result


def provider_of_request(platform: Platform) -> Provider | None:
    return platform.providers.get(request.path.split("/", 2)[1])


def operation_name(provider: Provider) -> str:
    """``<provider>.<operation>`` as the view declared it (see ``providers.base.operation``)."""
    view = current_app.view_functions.get(request.endpoint or "")
    declared = getattr(view, "operation", None)
    if callable(declared):
        declared = declared(request.view_args or {})
    if declared is None:
        declared = (request.endpoint or "unmatched").split(".")[-1]
    return f"{provider.name}.{declared}"


def install(app: Flask, platform: Platform) -> None:
    app.wsgi_app = NamespaceMiddleware(app.wsgi_app)

    @app.before_request
    def before():
        g.emulator_started = time.perf_counter()
        g.emulator_namespace = namespace = request.environ.get(NS_ENVIRON_KEY, DEFAULT_NAMESPACE)
        provider = provider_of_request(platform)
        g.emulator_provider = provider.name if provider else None
        if provider is None:
            return None
        g.emulator_operation = operation_name(provider)
        try:
            request.get_data(cache=True)  # the journal needs the body even if the provider streams it
        except RequestEntityTooLarge:
            g.emulator_body_unread = True
            return provider.error_response(413, f"Request body exceeds {platform.settings.max_body} bytes")
        try:
            platform.check_namespace(namespace)
        except ControlError as exc:
            return provider.error_response(404, str(exc))
        platform.ensure_namespace(namespace)
        return apply_fault(platform, provider, namespace)

    @app.after_request
    def journal(response: Response) -> Response:
        provider = g.get("emulator_provider")
        if provider is None or response.direct_passthrough:
            return response
        started = g.get("emulator_started", time.perf_counter())
        clock = platform.runtime(g.emulator_namespace).clock
        entry = {
            "time": clock.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "provider": provider,
            "operation": g.get("emulator_operation", f"{provider}.unmatched"),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "latencyMs": round((time.perf_counter() - started) * 1000, 3),
        }
        if "emulator_errors" in g:
            entry["errors"] = g.emulator_errors
        if request.environ.get(DROP_ENVIRON_KEY):
            entry["fault"] = "drop"
        elif g.get("emulator_fault"):
            entry["fault"] = g.emulator_fault
        raw = Raw(request.query_string, list(request.headers.items()),
                  None if g.get("emulator_body_unread") else request.get_data(cache=True), request.content_type,
                  list(response.headers.items()), response.get_data(), response.content_type)
        platform.journal.record(g.emulator_namespace, entry, raw)
        return response


def apply_fault(platform: Platform, provider: Provider, namespace: str) -> Response | None:
    picked = platform.faults.pick(namespace, provider.name, g.emulator_operation)
    if picked is None:
        return None
    action, seconds = picked
    kind = action["type"]
    g.emulator_fault = kind
    if kind == "latency":
        time.sleep(seconds)
        return None
    if kind == "drop":
        request.environ[DROP_ENVIRON_KEY] = True
        return Response(b"", 200)
    if kind == "empty":
        return Response(b"", 200)
    if kind == "malformed":
        return Response(MALFORMED_JSON, 200, content_type="application/json")
    status = 429 if kind == "rate-limit" else action["status"]
    response = provider.error_response(status, action.get("message"))
    if status == 429:
        retry_after = seconds if kind == "rate-limit" else action.get("retryAfter", 1)
        response.headers["Retry-After"] = str(max(1, math.ceil(retry_after)))
    return response
