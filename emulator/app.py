"""create_app(settings) — the Flask application factory."""

from __future__ import annotations

import io
import json
import logging
from functools import cached_property
from typing import IO

from flask import Flask, Request, Response, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

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


class LazyBuilderRule(Rule):
    """A URL rule whose url_for builders are compiled on first use.

    Compiling them for every rule is most of create_app's cost, which the pytest fixture pays at every
    session start; the emulator itself rarely builds URLs.
    """

    def _compile_builder(self, append_unknown: bool = True):
        def build(rule: Rule, *args, **kwargs):
            real = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, "_build_unknown" if append_unknown else "_build", real)
            return real(*args, **kwargs)

        return build


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, keys in insertion order, with the response encoder built once rather than per call.

    ``request.get_json`` reads through ``loads``: NaN, Infinity and lone surrogates are invalid JSON there.
    """

    sort_keys = False

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        self._compact = json.JSONEncoder(default=self.default, ensure_ascii=self.ensure_ascii,
                                         separators=(",", ":"))

    def loads(self, s: str | bytes, **kwargs) -> object:
        return jsontext.loads(s)  # Flask's get_json passes no options

    def response(self, *args, **kwargs) -> Response:
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)
        body = self._compact.encode(self._prepare_response_obj(args, kwargs))
        return self._app.response_class(f"{body}\n", mimetype=self.mimetype)


class EmulatorRequest(Request):
    """A request whose body, when its length is declared and allowed, is read straight from the input.

    werkzeug wraps the input in a pure-Python ``LimitedStream`` once a maximum length is set, which costs
    15-50 us a request here; a declared length already says where the body ends.
    """

    @cached_property
    def stream(self) -> IO[bytes]:
        length, limit = self.content_length, self.max_content_length
        if self.shallow or length is None or (limit is not None and length > limit):
            return super().stream  # werkzeug's own checks and errors (413, chunked bodies)
        return io.BytesIO(self.environ["wsgi.input"].read(length) if length else b"")


class EmulatorFlask(Flask):
    url_rule_class = LazyBuilderRule
    json_provider_class = JSONProvider
    request_class = EmulatorRequest

    def ensure_sync(self, func):
        # Flask asks inspect whether every hook and view is a coroutine function on every request;
        # all of ours are plain functions, so answer once per function.
        sync = self._sync_functions.get(func)
        if sync is None:
            sync = self._sync_functions[func] = super().ensure_sync(func)
        return sync

    @cached_property
    def _sync_functions(self) -> dict:
        return {}


def create_app(settings: Settings | None = None, providers: list[Provider] | None = None) -> Flask:
    settings = settings or Settings(state=None)
    app = EmulatorFlask("emulator")
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
    if settings.seed_files:  # a bad seed file stops the start; the default world alone is prepared on first use
        with app.test_request_context():  # providers prepare seed records inside a request
            platform.prepare_world()

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        provider = provider_of_request(platform)
        if provider is not None:
            return provider.error_response(exc.code or 500, exc.description)
        return control_error(exc.code or 500, exc.description or exc.name)

    def bad_request(message: str) -> Response:
        provider = provider_of_request(platform)
        if provider is not None:
            return provider.error_response(400, message[:1].upper() + message[1:])
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
        provider = provider_of_request(platform)
        if provider is not None:
            return provider.error_response(500)
        return control_error(500, f"internal error: {exc!r}")

    return app
