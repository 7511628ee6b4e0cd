"""create_app(settings) — the Flask application factory."""

from __future__ import annotations

import logging

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from .config import Settings
from .control import control_blueprint, control_error
from .platform import DEFAULT_NAMESPACE, ControlError, Platform, load_seed_file
from .providers import all_providers
from .providers.base import Provider

log = logging.getLogger("emulator")
NS_ENVIRON_KEY = "emulator.namespace"


class NamespaceMiddleware:
    """Serves ``/_ns/<namespace>/<provider>/...`` as ``/<provider>/...`` inside that namespace.

    Real clients only let you set a base URL, so the namespace has to travel in the path.
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
        return self.wsgi_app(environ, start_response)


def create_app(settings: Settings | None = None, providers: list[Provider] | None = None) -> Flask:
    settings = settings or Settings(state=None)
    app = Flask("emulator")
    app.json.sort_keys = False
    app.config["MAX_CONTENT_LENGTH"] = None
    platform = Platform(settings, providers if providers is not None else all_providers())
    app.extensions["emulator"] = platform
    for provider in platform.providers.values():
        app.register_blueprint(provider.blueprint(), url_prefix=f"/{provider.name}")
    app.register_blueprint(control_blueprint(), url_prefix="/_emulator")
    app.wsgi_app = NamespaceMiddleware(app.wsgi_app)
    with app.test_request_context():  # providers prepare seed records inside a request
        for path in settings.seed_files:
            platform.seed(DEFAULT_NAMESPACE, load_seed_file(path))

    def provider_of_request() -> Provider | None:
        return platform.providers.get(request.path.split("/", 2)[1])

    @app.before_request
    def bind_namespace():
        g.emulator_namespace = namespace = request.environ.get(NS_ENVIRON_KEY, DEFAULT_NAMESPACE)
        provider = provider_of_request()
        g.emulator_provider = provider.name if provider else None
        if provider is None:
            return None
        try:
            platform.check_namespace(namespace)
        except ControlError as exc:
            return provider.error_response(404, str(exc))
        platform.ensure_namespace(namespace)
        return None

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        provider = provider_of_request()
        if provider is not None:
            return provider.error_response(exc.code or 500, exc.description)
        return control_error(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        provider = provider_of_request()
        if provider is not None:
            return provider.error_response(500)
        return control_error(500, f"internal error: {exc!r}")

    return app
