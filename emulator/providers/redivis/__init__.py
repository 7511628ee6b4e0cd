"""Redivis REST API v1: datasets (create, read, update, delete, list, versions), tables, uploads, variables."""

from __future__ import annotations

from apispec import APISpec
from flask import Blueprint, Response

from ...errors import PlatformError
from ..base import Provider, Record, Wire
from . import errors, openapi, openapi_tables, routes, seed, settings


class RedivisProvider(Provider):
    name = "redivis"
    client_path = "/api/v1"
    collections = {"users": ("name",), "organizations": ("name",), "datasets": ("id",), "tables": ("id",),
                   "uploads": ("id",), "tempUploads": ("id",), "config": ()}
    config_defaults = settings.CONFIG_DEFAULTS
    config_rules = settings.CONFIG_RULES
    wire = Wire(content_type=errors.JSON_TYPE, separators=(",", ":"), ensure_ascii=False)  # compact, as Express

    def blueprint(self) -> Blueprint:
        return routes.build()

    def error_body(self, error: PlatformError) -> Response:
        return errors.render(errors.for_platform(error))

    def openapi(self, spec: APISpec) -> None:
        openapi.add_paths(spec)
        openapi_tables.add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
        return seed.PREPARERS[collection](record)


def create() -> Provider:
    return RedivisProvider()
