"""The suite's example provider, built from docs/writing-a-provider.md alone: things with a name.

It tests the platform without any real provider's rules: a ``Wire``, a secret header, an OpenAPI document,
and errors in an envelope of its own (``{"dummyError": {"status", "message"}}``).
"""

from __future__ import annotations

from apispec import APISpec
from flask import Blueprint, Response

from emulator.errors import PlatformError
from emulator.providers.base import Provider, Record, Wire

from . import errors, openapi, routes, seed, settings


class DummyProvider(Provider):
    name = "dummy"
    title = "Dummy things API"
    collections = {"things": ("id",), "config": ()}
    config_defaults = settings.CONFIG_DEFAULTS
    config_rules = settings.CONFIG_RULES
    secret_headers = (settings.KEY_HEADER,)
    secret_params = ("token",)
    wire = Wire(content_type=settings.JSON_CONTENT_TYPE, separators=(",", ":"), trailing_newline=True,
                headers=settings.greeting_header)

    def blueprint(self) -> Blueprint:
        return routes.blueprint()

    def error_body(self, error: PlatformError) -> Response:
        return errors.for_platform(error).response()

    def openapi(self, spec: APISpec) -> None:
        openapi.add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
        return seed.prepare(collection, record)
