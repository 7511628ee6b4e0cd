"""redivis provider (stub: the platform registers it; its routes come with its issue)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..base import Provider


class RedivisProvider(Provider):
    name = "redivis"
    collections = {"users": ("name",), "organizations": ("name",), "datasets": ("id",)}

    def blueprint(self) -> Blueprint:
        return Blueprint("redivis", __name__)

    def error_response(self, status: int, message: str | None = None) -> Response:
        response = jsonify({"error": message})
        response.status_code = status
        return response


def create() -> Provider:
    return RedivisProvider()
