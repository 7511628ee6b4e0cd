"""create_app(settings) — the Flask application factory."""

from __future__ import annotations

import logging

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from . import pipeline
from .config import Settings
from .control import guard
from .control.routes import control_blueprint, control_error
from .dashboard import dashboard_blueprint
from .pipeline import provider_of_request
from .platform import DEFAULT_NAMESPACE, Platform, load_seed_file
from .providers import all_providers
from .providers.base import Provider

log = logging.getLogger("emulator")


def create_app(settings: Settings | None = None, providers: list[Provider] | None = None) -> Flask:
    settings = settings or Settings(state=None)
    app = Flask("emulator")
    app.json.sort_keys = False  # JSON keys in the order the providers wrote them
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    platform = Platform(settings, providers if providers is not None else all_providers())
    app.extensions["emulator"] = platform
    for provider in platform.providers.values():
        app.register_blueprint(provider.blueprint(), url_prefix=f"/{provider.name}")
    app.register_blueprint(control_blueprint(), url_prefix="/_emulator")
    app.register_blueprint(dashboard_blueprint(), url_prefix="/_emulator/ui")
    allowed_hosts = guard.allowed_hosts(settings)
    app.before_request(lambda: guard.check(platform, allowed_hosts))
    pipeline.install(app, platform, allowed_hosts)
    with app.test_request_context():  # providers prepare seed records inside a request
        for path in settings.seed_files:
            platform.seed(DEFAULT_NAMESPACE, load_seed_file(path))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        provider = provider_of_request(platform)
        if provider is not None:
            return provider.error_response(exc.code or 500, exc.description)
        return control_error(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(RecursionError)
    def too_deep(exc: RecursionError):
        # Deeply nested JSON exhausts Python's parser; for the client it is a bad body, not a server fault.
        provider = provider_of_request(platform)
        if provider is not None:
            return provider.error_response(400, "Request body is nested too deeply")
        return control_error(400, "request body is nested too deeply")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        provider = provider_of_request(platform)
        if provider is not None:
            return provider.error_response(500)
        return control_error(500, f"internal error: {exc!r}")

    return app
