"""Redivis REST API v1: datasets (create, read, update, delete, list, versions), tables, uploads, variables."""

from __future__ import annotations

from apispec import APISpec
from flask import Blueprint, Response

from ..base import Provider, Record
from . import errors, openapi, openapi_tables, routes, seed, settings


class RedivisProvider(Provider):
    name = "redivis"
    client_path = "/api/v1"
    collections = {"users": ("name",), "organizations": ("name",), "datasets": ("id",), "tables": ("id",),
                   "uploads": ("id",), "tempUploads": ("id",), "config": ()}
    config_defaults = settings.CONFIG_DEFAULTS
    config_rules = settings.CONFIG_RULES

    def blueprint(self) -> Blueprint:
        return routes.build()

    def error_response(self, status: int, message: str | None = None) -> Response:
        return errors.render(errors.for_status(status, routes.platform_message(status, message)))

    def openapi(self, spec: APISpec) -> None:
        openapi.add_paths(spec)
        openapi_tables.add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
        return seed.PREPARERS[collection](record)


def create() -> Provider:
    return RedivisProvider()
