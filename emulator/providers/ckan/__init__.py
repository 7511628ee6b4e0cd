"""CKAN 2.11.5: ``package_create`` and the actions a client calls next (show, list, delete, patch)."""

from __future__ import annotations

import re

from apispec import APISpec
from flask import Blueprint, Response

from emulator import context
from emulator.providers.base import Provider, Record

from . import routes, seed
from .errors import BadRequest, InternalError, NotAuthorized, html_response, render
from .model import help_url
from .openapi import add_paths
from .settings import CONFIG_DEFAULTS, CONFIG_RULES

ACTION_PATH = re.compile(r"^/api/(?:3/)?action/([^/]+)$")


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

    def blueprint(self) -> Blueprint:
        return routes.blueprint()

    def error_response(self, status: int, message: str | None = None) -> Response:
        """A 500 inside an action keeps the JSON envelope; everything else is Flask's HTML page in CKAN."""
        match = ACTION_PATH.match(context.provider_path())
        if status == 500 and match:
            return render(InternalError(), help_url(match.group(1)))
        if status == 403 and match:  # a refusal inside an action is CKAN's Authorization Error, message kept
            return render(NotAuthorized(message or ""), help_url(match.group(1)))
        if status == 400:
            return render(BadRequest(message or "Bad Request"), None)
        return html_response(status)

    def openapi(self, spec: APISpec) -> None:
        add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
        return seed.prepare(collection, record)


def create() -> Provider:
    return CkanProvider()
