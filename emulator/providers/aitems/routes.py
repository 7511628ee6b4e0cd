"""The AiTEMS API under ``/api/v1``, behind the gateway: routing, then its auth (``gateway``), then the call."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Blueprint, Response, request

from emulator import framing, jsontext
from emulator.providers.base import operation

from . import recommendation_services, service
from .auth import authenticate
from .errors import AitemsError, error_body, status_error

API = "/api/v1"
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _body() -> Any:
    """The body as JSON whatever its content type, None if it is not JSON: ``get_json(force, silent)``
    without its two proxies and the app's JSON provider in between."""
    try:
        return jsontext.loads(request.get_data())
    except ValueError:
        return None


# The gateway authenticates every call it routes, after the platform names it (and injects its fault).
gateway = partial(operation, check=authenticate)


def build_blueprint(name: str) -> Blueprint:
    bp = Blueprint(name, __name__)

    def route(rule: str, method: str) -> Callable:
        # No automatic OPTIONS: the gateway only knows the documented method and path pairs.
        return bp.route(API + rule, methods=[method], provide_automatic_options=False)

    @bp.errorhandler(AitemsError)
    def aitems_error(exc: AitemsError) -> Response:
        return error_body(exc)

    @route("/datasets", "POST")
    @gateway("datasets.create")
    def create_dataset() -> Response:
        return framing.json(service.create_dataset(_body()), 201)

    @route("/datasets", "GET")
    @gateway("datasets.list")
    def list_datasets() -> Response:
        return framing.json(service.list_datasets(request.args.to_dict()))

    @route("/datasets/<dataset_id>", "GET")
    @gateway("datasets.get")
    def read_dataset(dataset_id: str) -> Response:
        return framing.json(service.read_dataset(dataset_id))

    @route("/datasets/<dataset_id>", "POST")
    @gateway("datasets.update")
    def edit_dataset(dataset_id: str) -> Response:
        return framing.json(service.edit_dataset(dataset_id, _body()))

    @route("/datasets/<dataset_id>", "DELETE")
    @gateway("datasets.delete")
    def delete_dataset(dataset_id: str) -> Response:
        return framing.json(service.delete_dataset(dataset_id))

    @route("/schemas", "POST")
    @gateway("schemas.create")
    def create_schema() -> Response:
        return framing.json(service.create_schema(_body()), 201)

    @route("/schemas", "GET")
    @gateway("schemas.list")
    def list_schemas() -> Response:
        return framing.json(service.list_schemas(request.args.to_dict()))

    @route("/schemas/default", "GET")
    @gateway("schemas.default")
    def default_schema() -> Response:
        return framing.json(service.default_schema(request.args.to_dict()))

    @route("/schemas/<schema_name>", "GET")
    @gateway("schemas.get")
    def read_schema(schema_name: str) -> Response:
        return framing.json(service.read_schema(schema_name))

    @route("/schemas/<schema_name>", "PUT")
    @gateway("schemas.update")
    def describe_schema(schema_name: str) -> Response:
        return framing.json(service.describe_schema(schema_name, _body()))

    @route("/schemas/<schema_name>", "DELETE")
    @gateway("schemas.delete")
    def delete_schema(schema_name: str) -> Response:
        return framing.json(service.delete_schema(schema_name))

    @route("/services", "POST")
    @gateway("services.create")
    def create_service() -> Response:
        return framing.json(recommendation_services.create_service(_body()), 201)

    @route("/services", "GET")
    @gateway("services.list")
    def list_services() -> Response:
        return framing.json(recommendation_services.list_services(request.args.to_dict()))

    @route("/services/<service_id>", "GET")
    @gateway("services.get")
    def read_service(service_id: str) -> Response:
        return framing.json(recommendation_services.read_service(service_id))

    @route("/services/<service_id>", "DELETE")
    @gateway("services.delete")
    def delete_service(service_id: str) -> Response:
        return framing.json(recommendation_services.delete_service(service_id))

    @route("/services/<service_id>/datasets", "POST")
    @gateway("services.datasets")
    def link_datasets(service_id: str) -> Response:
        return framing.json(recommendation_services.link_datasets(service_id, _body()))

    # Everything else under the prefix still passes the gateway's auth before its 404, so it is routed here
    # instead of being left to the platform's unmatched-URL handler (which runs no blueprint hooks).
    @bp.route("", defaults={"rest": ""}, methods=ALL_METHODS, provide_automatic_options=False,
              strict_slashes=False)
    @bp.route("/<path:rest>", methods=ALL_METHODS, provide_automatic_options=False)
    @gateway("gateway.not_found")
    def not_found(rest: str) -> Response:
        return error_body(status_error(404))

    return bp
