"""Redivis REST API v1 datasets: create for users and organizations, read, update, delete, list, versions."""

from __future__ import annotations

from apispec import APISpec
from flask import Blueprint, Response

from ..base import Provider, Record
from . import errors, openapi, routes, seeds


class RedivisProvider(Provider):
    name = "redivis"
    client_path = "/api/v1"
    collections = {"users": ("name",), "organizations": ("name",), "datasets": ("id",)}

    def blueprint(self) -> Blueprint:
        return routes.build()

    def error_response(self, status: int, message: str | None = None) -> Response:
        return errors.render(errors.for_status(status, routes.platform_message(status, message)))

    def openapi(self, spec: APISpec) -> None:
        openapi.add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
        return seeds.PREPARERS[collection](record)


def create() -> Provider:
    return RedivisProvider()
