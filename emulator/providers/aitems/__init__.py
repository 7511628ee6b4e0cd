"""NAVER Cloud AiTEMS behind the NCP API Gateway: schemas, datasets and services, signature v2 auth."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from flask import Blueprint, Response

from ..base import Provider, SeedError
from . import openapi
from .auth import SIGNATURE_HEADER
from .errors import error_body, status_error
from .routes import build_blueprint
from .seed import prepare
from .settings import CONFIG_DEFAULTS, CONFIG_RULES
from .wire import add_trace_id


class AitemsProvider(Provider):
    name = "aitems"
    client_path = "/api/v1"
    collections = {"credentials": ("accessKey",), "schemas": ("name",), "datasets": ("datasetId",),
                   "services": ("serviceId",), "config": ()}
    config_defaults = CONFIG_DEFAULTS
    config_rules = CONFIG_RULES
    secret_headers = (SIGNATURE_HEADER,)

    def blueprint(self) -> Blueprint:
        return build_blueprint(self.name)

    def error_response(self, status: int, message: str | None = None) -> Response:
        return add_trace_id(error_body(status_error(status)))

    def openapi(self, spec: APISpec) -> None:
        openapi.add_paths(spec)

    def prepare_seed(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        try:
            return prepare(collection, record)
        except ValueError as exc:
            raise SeedError(str(exc)) from None


def create() -> Provider:
    return AitemsProvider()
