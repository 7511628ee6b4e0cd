"""Qrvey Composer devapi v4: datasets (from scratch and from a connection), their load, connections, pushed rows;
and the Data Router's Post Data API (postdata, job status)."""

from __future__ import annotations

from apispec import APISpec
from flask import Blueprint, Response

from ...errors import PlatformError
from ..base import Provider, Record, Wire
from .auth import API_KEY_HEADER, unknown_route
from .errors import for_platform
from .openapi import add_paths
from .routes import build_blueprint
from .seed import prepare
from .settings import CONFIG_DEFAULTS, CONFIG_RULES


class QrveyProvider(Provider):
    name = "qrvey"
    client_path = "/devapi/v4"
    title = "Qrvey Composer devapi v4 (datasets)"
    collections = {
        "apiKeys": ("key",),
        "users": ("userId",),
        "apps": ("appId",),
        "connections": ("connectionId",),
        "datasets": ("datasetId",),
        "pushJobs": ("jobId",),
        "config": (),
    }
    config_defaults = CONFIG_DEFAULTS
    config_rules = CONFIG_RULES
    secret_headers = (API_KEY_HEADER,)
    wire = Wire(separators=(",", ":"), trailing_newline=True)  # what Flask's jsonify writes (ASSUMPTION)

    def blueprint(self) -> Blueprint:
        return build_blueprint()

    def error_body(self, error: PlatformError) -> Response:
        return for_platform(error, unknown_route)

    def openapi(self, spec: APISpec) -> None:
        add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
        return prepare(collection, record)


def create() -> Provider:
    return QrveyProvider()
