"""NAVER Cloud AiTEMS behind the NCP API Gateway: schemas, datasets and services, signature v2 auth."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from flask import Blueprint, Response

from ...errors import PlatformError
from ..base import Provider, SeedError, Wire
from . import openapi
from .auth import SIGNATURE_HEADER
from .errors import error_body, for_platform
from .routes import build_blueprint
from .seed import prepare
from .settings import CONFIG_DEFAULTS, CONFIG_RULES, JSON_CONTENT_TYPE, trace_id_header


class AitemsProvider(Provider):
    name = "aitems"
    client_path = "/api/v1"
    collections = {"credentials": ("accessKey",), "schemas": ("name",), "datasets": ("datasetId",),
                   "services": ("serviceId",), "config": ()}
    config_defaults = CONFIG_DEFAULTS
    config_rules = CONFIG_RULES
    secret_headers = (SIGNATURE_HEADER,)
    # Compact JSON with a newline, ASCII-escaped, as the Java back end writes it.
    wire = Wire(content_type=JSON_CONTENT_TYPE, separators=(",", ":"), trailing_newline=True,
                headers=trace_id_header)

    def blueprint(self) -> Blueprint:
        return build_blueprint(self.name)

    def error_body(self, error: PlatformError) -> Response:
        return error_body(for_platform(error))

    def openapi(self, spec: APISpec) -> None:
        openapi.add_paths(spec)

    def prepare_seed(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        try:
            return prepare(collection, record)
        except ValueError as exc:
            raise SeedError(str(exc)) from None


def create() -> Provider:
    return AitemsProvider()
