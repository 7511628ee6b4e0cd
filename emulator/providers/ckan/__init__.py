"""CKAN 2.11.5: ``package_create`` and the actions a client calls next (show, list, delete, patch)."""

from __future__ import annotations

from apispec import APISpec
from flask import Blueprint, Response

from emulator.errors import PlatformError
from emulator.providers.base import Provider, Record, Wire

from . import errors, routes, seed
from .model import help_url
from .openapi import add_paths
from .settings import CONFIG_DEFAULTS, CONFIG_RULES


class CkanProvider(Provider):
    name = "ckan"
    title = "CKAN 2.11 action API"
    collections = {
        "users": ("name",),
        "organizations": ("name",),
        "groups": ("name",),
        "packages": ("id",),
        "tags": ("name",),
        "uploads": ("id",),
        "config": (),
    }
    config_defaults = dict(CONFIG_DEFAULTS)
    config_rules = CONFIG_RULES
    secret_headers = ("X-CKAN-API-Key",)  # what ckanapi sends beside Authorization
    wire = Wire(content_type=errors.JSON_CONTENT_TYPE, json_headers=errors.JSON_HEADERS)

    def blueprint(self) -> Blueprint:
        return routes.blueprint()

    def error_body(self, error: PlatformError) -> Response:
        action = routes.called_action(error)
        return errors.for_platform(error, help_url(action) if action else None)

    def openapi(self, spec: APISpec) -> None:
        add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
        return seed.prepare(collection, record)


def create() -> Provider:
    return CkanProvider()
