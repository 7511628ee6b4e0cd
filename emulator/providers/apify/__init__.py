"""Apify API v2 datasets: get-or-create by name, read/update/delete, push and list items, list datasets."""

from __future__ import annotations

from apispec import APISpec
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import MethodNotAllowed, NotFound

from ..base import Provider, Record
from . import errors, openapi
from .routes import allowed_methods, build_blueprint
from .seed import PREPARERS
from .settings import CONFIG_DEFAULTS, CONFIG_RULES, RATE_LIMIT, config


def _allowed_methods() -> list[str]:
    """The verbs the requested path answers to, for a 405 the platform produced."""
    try:
        rule, _ = current_app.url_map.bind_to_environ(request.environ).match(method="GET", return_rule=True)
    except (MethodNotAllowed, NotFound):
        return []
    return allowed_methods(rule.rule.removeprefix(f"/{ApifyProvider.name}"))


class ApifyProvider(Provider):
    name = "apify"
    title = "Apify API v2 (datasets)"
    collections = {"users": ("id",), "datasets": ("id",), "items": ("datasetId", "index"), "config": ()}
    config_defaults = CONFIG_DEFAULTS
    config_rules = CONFIG_RULES
    rate_limit = RATE_LIMIT
    secret_params = ("token",)  # besides the Authorization header

    def blueprint(self) -> Blueprint:
        return build_blueprint()

    def error_response(self, status: int, message: str | None = None) -> Response:
        if status == 404:
            error = errors.page_not_found()
        elif status == 405:
            error = errors.method_not_allowed(_allowed_methods())
        elif status == 413:
            error = errors.payload_too_large(config()["payloadLimitBytes"], request.content_length)
        elif status == 403:  # the platform refuses (a Host, a namespace beyond the cap) as Apify refuses access
            error = errors.ApifyError(403, "insufficient-permissions", message or "Insufficient permissions")
        elif status == 429:
            error = errors.rate_limited()
        elif status >= 500:
            error = errors.server_error(status)
        else:
            error = errors.ApifyError(status, "invalid-request", message or "Invalid request")
        return error.response()

    def openapi(self, spec: APISpec) -> None:
        openapi.add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
        preparer = PREPARERS.get(collection)
        return preparer(record) if preparer else record


def create() -> Provider:
    return ApifyProvider()
