"""create_app(settings) — the Flask application factory."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from . import access_log, jsontext, pipeline
from .config import Settings
from .control import guard
from .control.routes import control_blueprint, control_error
from .dashboard import dashboard_blueprint
from .pipeline import provider_of_request
from .platform import Platform
from .providers import all_providers
from .providers.base import Provider

log = logging.getLogger("emulator")


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON with keys in insertion order. ``request.get_json`` reads through ``loads``: NaN,
    Infinity and lone surrogates are invalid JSON there."""

    sort_keys = False

    def loads(self, s: str | bytes, **kwargs) -> object:
        return jsontext.loads(s)  # Flask's get_json passes no options


def create_app(settings: Settings | None = None, providers: list[Provider] | None = None) -> Flask:
    settings = settings or Settings(state=None)
    app = Flask("emulator")
    app.json = JSONProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    platform = Platform(settings, providers if providers is not None else all_providers())
    app.extensions["emulator"] = platform
    for provider in platform.providers.values():
        app.register_blueprint(provider.blueprint(), url_prefix=f"/{provider.name}")
    app.register_blueprint(control_blueprint(), url_prefix="/_emulator")
    app.register_blueprint(dashboard_blueprint(), url_prefix="/_emulator/ui")
    if settings.access_log:  # first: its clock starts before any other hook can answer
        access_log.install(app)
    allowed_hosts = guard.allowed_hosts(settings)
    app.before_request(lambda: guard.check(platform, allowed_hosts))
    pipeline.install(app, platform, allowed_hosts)
    # A bad seed file stops the start, and namespaces loaded from a state file read the world again; the
    # default world alone is prepared on first use.
    if settings.seed_files or platform.namespaces():
        with app.test_request_context():  # providers prepare seed records inside a request
            platform.share_world()

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if provider_of_request(platform) is None:
            return control_error(exc.code or 500, exc.description or exc.name)
        # A routing failure has no reason of its own: the provider words it. Other HTTP errors keep theirs.
        message = None if exc is request.routing_exception else exc.description
        allowed = tuple(sorted(exc.valid_methods or ())) if isinstance(exc, MethodNotAllowed) else ()
        return pipeline.platform_error(exc.code or 500, message, allowed)

    def bad_request(message: str) -> Response:
        if provider_of_request(platform) is not None:
            return pipeline.platform_error(400, message[:1].upper() + message[1:])
        return control_error(400, message)

    @app.errorhandler(RecursionError)
    def too_deep(exc: RecursionError):
        # Deeply nested JSON exhausts Python's parser; for the client it is a bad body, not a server fault.
        return bad_request("request body is nested too deeply")

    @app.errorhandler(jsontext.Unportable)
    def unportable(exc: jsontext.Unportable):
        # Bodies are read with jsontext.loads, so this is the store refusing a value that came another way.
        return bad_request(str(exc))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if provider_of_request(platform) is not None:
            return pipeline.platform_error(500)
        return control_error(500, f"internal error: {exc!r}")

    return app
