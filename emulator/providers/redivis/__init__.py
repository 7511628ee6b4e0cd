"""Redivis REST API v1 datasets: create for users and organizations, read, update, delete, list, versions."""

from __future__ import annotations

from flask import Blueprint, Response

from ..base import Provider, Record
from . import errors, routes, seeds


class RedivisProvider(Provider):
    name = "redivis"
    collections = {"users": ("name",), "organizations": ("name",), "datasets": ("id",)}

    def blueprint(self) -> Blueprint:
        return routes.build()

    def error_response(self, status: int, message: str | None = None) -> Response:
        return errors.render(errors.for_status(status, routes.platform_message(status, message)))

    def prepare_seed(self, collection: str, record: Record) -> Record:
        return seeds.PREPARERS[collection](record)


def create() -> Provider:
    return RedivisProvider()
