"""What happens around every provider request: namespace binding, faults, and the journal."""

from __future__ import annotations

import math
import time
from contextvars import ContextVar

from flask import Flask, Request, Response, current_app, request
from waitress.channel import ClientDisconnected
from werkzeug.exceptions import RequestEntityTooLarge

from . import context
from .control import guard
from .errors import NamespaceLimitError
from .faults import MAX_RETRY_AFTER
from .journal import Raw, kept
from .platform import DEFAULT_NAMESPACE, ControlError, Platform
from .providers.base import Provider

NS_ENVIRON_KEY = "emulator.namespace"
DROP_ENVIRON_KEY = "emulator.drop"
HEADER_KEYS = ("CONTENT_TYPE", "CONTENT_LENGTH")  # the request headers WSGI keeps without an HTTP_ prefix
MALFORMED_JSON = b'{"data": {"id": "'


class EmulatorRequest(Request):
    """Flask's request, with a larger body limit (``max_upload``) for views marked ``takes_upload``.

    Werkzeug applies ``max_content_length`` to every read of the body (``get_data``, ``stream``, forms).
    """

    @property
    def max_content_length(self) -> int | None:
        view = current_app.view_functions.get(self.endpoint or "")
        if getattr(view, "takes_upload", False):
            return current_app.extensions["emulator"].settings.max_upload
        return super().max_content_length


class Call:
    """What the pipeline notes about one provider request, for its journal entry."""

    __slots__ = ("provider", "namespace", "operation", "started", "fault", "body_unread")

    def __init__(self, provider: Provider, namespace: str, started: float) -> None:
        self.provider, self.namespace, self.started = provider, namespace, started
        self.operation = f"{provider.name}.unmatched"
        self.fault: str | None = None
        self.body_unread = False


# Per thread, like Flask's own request context; cleared when the request ends.
_call: ContextVar[Call | None] = ContextVar("emulator_call", default=None)


def current_call() -> Call | None:
    """The provider request being answered, if the current request is one."""
    return _call.get()


class NamespaceMiddleware:
    """Serves ``/_ns/<namespace>/<provider>/...`` as ``/<provider>/...`` inside that namespace.

    Real clients only let you set a base URL, so the namespace has to travel in the path. Only provider
    mounts live under it: anything else there (the control API, the dashboard) stays unrouted, a 404.
    It also ends a connection without an answer when a ``drop`` fault asked for it (waitress closes the
    socket on ``ClientDisconnected``).
    """

    def __init__(self, wsgi_app, providers: frozenset[str]) -> None:
        self.wsgi_app, self.providers = wsgi_app, providers

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_ns/"):
            namespace, _, rest = path[len("/_ns/"):].partition("/")
            if rest.partition("/")[0] in self.providers:
                environ[NS_ENVIRON_KEY] = namespace
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/_ns/" + namespace
                environ["PATH_INFO"] = "/" + rest
        try:
            result = self.wsgi_app(environ, start_response)
        finally:
            _call.set(None)
            context.enter(None)
        if environ.get(DROP_ENVIRON_KEY):
            if hasattr(result, "close"):
                result.close()
            raise ClientDisconnected("connection dropped by an injected fault")
        return result


def provider_of_request(platform: Platform) -> Provider | None:
    return platform.providers.get(request.path.split("/", 2)[1])


def operation_name(app: Flask, provider: Provider, req: Request) -> str:
    """``<provider>.<operation>`` as the view declared it (see ``providers.base.operation``)."""
    view = app.view_functions.get(req.endpoint or "")
    declared = getattr(view, "operation", None)
    if callable(declared):
        declared = declared(req.view_args or {})
    if declared is None:
        declared = (req.endpoint or "unmatched").split(".")[-1]
    return f"{provider.name}.{declared}"


def install(app: Flask, platform: Platform, allowed_hosts: set[str]) -> None:
    app.request_class = EmulatorRequest
    app.wsgi_app = NamespaceMiddleware(app.wsgi_app, frozenset(platform.providers))

    @app.before_request
    def before():
        provider = provider_of_request(platform)
        if provider is None:
            return None
        req = request._get_current_object()
        namespace = req.environ.get(NS_ENVIRON_KEY, DEFAULT_NAMESPACE)
        call = Call(provider, namespace, time.perf_counter())
        _call.set(call)
        # No provider route: the provider answers 404/405 as a new namespace would, and none is made for it.
        preview = req.url_rule is None and not platform.has_namespace(namespace)
        context.enter(context.Scope(platform, namespace, provider.name, preview))
        call.operation = operation_name(app, provider, req)
        refusal = guard.host_refusal(allowed_hosts)  # before anything is read or made
        if refusal:
            call.body_unread = True
            return provider.error_response(403, refusal)
        try:
            req.get_data(cache=True)  # the journal needs the body even if the provider streams it
        except RequestEntityTooLarge:
            call.body_unread = True
            return provider.error_response(413, f"Request body exceeds {req.max_content_length} bytes")
        try:
            platform.check_namespace(namespace)
        except ControlError as exc:
            return provider.error_response(404, str(exc))
        if preview:
            return None
        try:
            platform.ensure_namespace(namespace)
        except NamespaceLimitError as exc:
            # 403: a client retries a 429 or a 5xx for minutes, never a 403; the message says what to do.
            return provider.error_response(403, str(exc))
        return apply_fault(platform, call)

    @app.after_request
    def journal(response: Response) -> Response:
        call = _call.get()
        if call is None or response.direct_passthrough or not platform.has_namespace(call.namespace):
            return response  # a journal per namespace that exists: requests cannot make up new ones
        req = request._get_current_object()
        environ = req.environ
        entry = {
            "id": 0,  # the journal numbers it
            "time": platform.runtime(call.namespace).clock.now(),
            "namespace": call.namespace,
            "provider": call.provider.name,
            "operation": call.operation,
            "method": req.method,
            "path": req.path,
            "status": response.status_code,
            "latencyMs": round((time.perf_counter() - call.started) * 1000, 3),
        }
        if environ.get(DROP_ENVIRON_KEY):
            entry["fault"] = "drop"
        elif call.fault:
            entry["fault"] = call.fault
        raw = Raw(environ.get("QUERY_STRING", ""),
                  [(k, v) for k, v in environ.items() if k[:5] == "HTTP_" or k in HEADER_KEYS],
                  *kept(None if call.body_unread else req.get_data(cache=True)), environ.get("CONTENT_TYPE"),
                  response.headers.to_wsgi_list(), *kept(response.get_data()))
        platform.journal.record(call.namespace, entry, raw)
        return response


def apply_fault(platform: Platform, call: Call) -> Response | None:
    picked = platform.faults.pick(call.namespace, call.provider.name, call.operation)
    if picked is None:
        return None
    provider = call.provider
    action, seconds = picked
    kind = action["type"]
    call.fault = kind
    if kind == "latency":
        platform.stopping.wait(seconds)  # a server that stops does not wait for its faults
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
        response.headers["Retry-After"] = str(min(max(1, math.ceil(retry_after)), MAX_RETRY_AFTER))
    return response
