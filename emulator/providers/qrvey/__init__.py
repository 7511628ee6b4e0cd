"""Qrvey Composer devapi v4: datasets (from scratch and from a connection), their load, connections, pushed rows;
and the Data Router's Post Data API (postdata, job status)."""

from __future__ import annotations

from apispec import APISpec
from flask import Blueprint, Response

from emulator import context
from emulator.platform import ControlError

from ..base import Provider, Record
from .auth import API_KEY_HEADER, auth_failure, key_is_valid
from .errors import GatewayError, QrveyError, envelope, gateway, missing_route
from .openapi import add_paths
from .routes import build_blueprint
from .seed import prepare
from .settings import CONFIG_DEFAULTS, CONFIG_RULES

# API Gateway's own answers for what never reaches Qrvey's Lambda.
_GATEWAY_ANSWERS = {
    413: ("Request Too Long", "RequestTooLargeException"),
    429: ("Too Many Requests", "TooManyRequestsException"),
    502: ("Internal server error", "BadGatewayException"),
    503: ("Service Unavailable", "ServiceUnavailableException"),
    504: ("Endpoint request timed out", "IntegrationTimeout"),
}


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

    def blueprint(self) -> Blueprint:
        return build_blueprint()

    def error_response(self, status: int, message: str | None = None) -> Response:
        if status in (404, 405):
            try:
                context.platform().check_namespace(context.namespace())
            except ControlError as exc:
                return envelope(404, str(exc))
            # The gateway checks the key first, then answers an unknown resource or method itself.
            failure: GatewayError | QrveyError = missing_route() if key_is_valid() else auth_failure()
            return failure.response()
        if status in _GATEWAY_ANSWERS:
            return gateway(status, *_GATEWAY_ANSWERS[status])
        return envelope(status, message or ("Internal Server Error" if status >= 500 else "Bad Request"))

    def openapi(self, spec: APISpec) -> None:
        add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
        return prepare(collection, record)


def create() -> Provider:
    return QrveyProvider()
