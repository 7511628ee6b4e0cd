"""What happens around every provider request: namespace binding, faults, and the journal."""

from __future__ import annotations

import math
import time

from flask import Flask, Request, Response, current_app, request
from waitress.channel import ClientDisconnected
from werkzeug.exceptions import RequestEntityTooLarge

from . import calls, context, framing
from .control import guard
from .errors import NamespaceLimitError, PlatformError
from .faults import MAX_RETRY_AFTER
from .journal import Raw, kept
from .platform import DEFAULT_NAMESPACE, ControlError, Platform
from .providers.base import Provider

NS_ENVIRON_KEY = "emulator.namespace"
HEADER_KEYS = ("CONTENT_TYPE", "CONTENT_LENGTH")  # the request headers WSGI keeps without an HTTP_ prefix
MALFORMED_JSON = b'{"data": {"id": "'
FLASK_DEFAULT_TYPE = "text/html; charset=utf-8"  # what Flask gives a body nobody typed (an ``empty`` fault)


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
            call = calls.current()
            calls.begin(None)
            context.enter(None)
        if call is not None and call.fault == "drop":
            if hasattr(result, "close"):
                result.close()
            raise ClientDisconnected("connection dropped by an injected fault")
        return result


def provider_of_request(platform: Platform) -> Provider | None:
    return platform.providers.get(request.path.split("/", 2)[1])


def platform_error(status: int, message: str | None = None, allowed_methods: tuple[str, ...] = (),
                   operation: str | None = None) -> Response:
    """The current provider's answer to an error the platform produced, with what the platform knows of it."""
    call = calls.current()
    provider = call.provider if call is not None else provider_of_request(current_app.extensions["emulator"])
    return provider.error_body(PlatformError(status, message, allowed_methods, request.endpoint,
                                             request.view_args or {}, operation))


def reach(name: str) -> Response | None:
    """A view named ``name`` is reached (see ``providers.base.operation``): name the call, apply its fault."""
    call = calls.current()
    if call is None:  # a view called outside a provider request
        return None
    call.operation = f"{call.provider.name}.{name}"
    return inject_fault(call)


def install(app: Flask, platform: Platform, allowed_hosts: set[str]) -> None:
    app.request_class = EmulatorRequest
    app.wsgi_app = NamespaceMiddleware(app.wsgi_app, frozenset(platform.providers))

    @app.before_request
    def before():
        provider = provider_of_request(platform)
        if provider is None:
            return None
        namespace = request.environ.get(NS_ENVIRON_KEY, DEFAULT_NAMESPACE)
        call = calls.Call(platform, provider, namespace, time.perf_counter())
        calls.begin(call)
        # No provider route: the provider answers 404/405 as a new namespace would, and none is made for it.
        preview = request.url_rule is None and not platform.has_namespace(namespace)
        context.enter(context.Scope(platform, namespace, provider.name, preview))
        refusal = guard.host_refusal(allowed_hosts)  # before anything is read or made
        if refusal:
            call.body_unread = True
            return platform_error(403, refusal)
        try:
            request.get_data(cache=True)  # the journal needs the body even if the provider streams it
        except RequestEntityTooLarge:
            call.body_unread = True
            return platform_error(413, f"Request body exceeds {request.max_content_length} bytes")
        try:
            platform.check_namespace(namespace)
        except ControlError as exc:
            return platform_error(404, str(exc))
        if preview:
            return None
        try:
            platform.ensure_namespace(namespace)
        except NamespaceLimitError as exc:
            # 403: a client retries a 429 or a 5xx for minutes, never a 403; the message says what to do.
            return platform_error(403, str(exc))
        return None  # faults apply where the view is reached (``reach``)

    @app.after_request
    def journal(response: Response) -> Response:
        call = calls.current()
        if call is None or response.direct_passthrough or not platform.has_namespace(call.namespace):
            return response  # a journal per namespace that exists: requests cannot make up new ones
        environ = request.environ
        entry = {
            "id": 0,  # the journal numbers it
            "time": platform.runtime(call.namespace).clock.now(),
            "namespace": call.namespace,
            "provider": call.provider.name,
            "operation": call.operation,
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "latencyMs": round((time.perf_counter() - call.started) * 1000, 3),
        }
        if call.fault:
            entry["fault"] = call.fault
        raw = Raw(environ.get("QUERY_STRING", ""),
                  [(k, v) for k, v in environ.items() if k[:5] == "HTTP_" or k in HEADER_KEYS],
                  *kept(None if call.body_unread else request.get_data(cache=True)), environ.get("CONTENT_TYPE"),
                  response.headers.to_wsgi_list(), *kept(response.get_data()))
        platform.journal.record(call.namespace, entry, raw)
        return response


def inject_fault(call: calls.Call) -> Response | None:
    """The answer of a fault injected for this call's operation, or None (none, or only a delay)."""
    platform = call.platform
    picked = platform.faults.pick(call.namespace, call.provider.name, call.operation)
    if picked is None:
        return None
    action, seconds = picked
    kind = call.fault = action["type"]
    if kind == "latency":
        platform.stopping.wait(seconds)  # a server that stops does not wait for its faults
        return None
    if kind in ("drop", "empty"):  # a drop's answer is never sent, only journalled
        return framing.body(b"", 200, FLASK_DEFAULT_TYPE)
    if kind == "malformed":
        return framing.body(MALFORMED_JSON, 200, call.provider.wire.content_type)
    status = 429 if kind == "rate-limit" else action["status"]
    response = platform_error(status, action.get("message"), operation=call.operation)
    if status == 429:
        retry_after = seconds if kind == "rate-limit" else action.get("retryAfter", 1)
        response.headers["Retry-After"] = str(min(max(1, math.ceil(retry_after)), MAX_RETRY_AFTER))
    return response
