"""Apify API v2 datasets: get-or-create by name, read/update/delete, push and list items, list datasets."""

from __future__ import annotations

from apispec import APISpec
from flask import Blueprint, Response

from ...errors import PlatformError
from ..base import Provider, Record, Wire
from . import errors, openapi
from .routes import build_blueprint
from .seed import PREPARERS
from .settings import CONFIG_DEFAULTS, CONFIG_RULES, RATE_LIMIT, rate_limit_header


class ApifyProvider(Provider):
    name = "apify"
    title = "Apify API v2 (datasets)"
    collections = {"users": ("id",), "datasets": ("id",), "items": ("datasetId", "index"), "config": ()}
    config_defaults = CONFIG_DEFAULTS
    config_rules = CONFIG_RULES
    rate_limit = RATE_LIMIT
    secret_params = ("token",)  # besides the Authorization header
    wire = Wire(content_type="application/json; charset=utf-8", ensure_ascii=False, indent_setting="jsonIndent",
                headers=rate_limit_header)

    def blueprint(self) -> Blueprint:
        return build_blueprint()

    def error_body(self, error: PlatformError) -> Response:
        return errors.for_platform(error).response()

    def openapi(self, spec: APISpec) -> None:
        openapi.add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
        preparer = PREPARERS.get(collection)
        return preparer(record) if preparer else record


def create() -> Provider:
    return ApifyProvider()
