"""The AiTEMS API under ``/api/v1``, behind the gateway: auth first, then routing, then the call."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, jsonify, request

from emulator import context
from emulator.providers.base import operation

from . import service
from .auth import authenticate
from .errors import AitemsError, error_body, status_error

API = "/api/v1"
CONTENT_TYPE = "application/json;charset=UTF-8"  # ASSUMPTION: what the service sends with its JSON
TRACE_HEADER = "x-ncp-trace-id"
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _json(body: dict, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response


def _body():
    return request.get_json(force=True, silent=True)


def add_trace_id(response: Response) -> Response:
    """Every gateway answer carries a trace id; JSON goes out with the service's content type."""
    if TRACE_HEADER not in response.headers:
        response.headers[TRACE_HEADER] = context.ids().string("0123456789abcdef", 16)  # ASSUMPTION: 16 hex
    if response.mimetype == "application/json":
        response.headers["Content-Type"] = CONTENT_TYPE
    return response


def build_blueprint(name: str) -> Blueprint:
    bp = Blueprint(name, __name__)

    def route(rule: str, method: str) -> Callable:
        # No automatic OPTIONS: the gateway only knows the documented method and path pairs.
        return bp.route(API + rule, methods=[method], provide_automatic_options=False)

    @bp.before_request
    def gateway_auth() -> None:
        authenticate()

    bp.after_request(add_trace_id)

    @bp.errorhandler(AitemsError)
    def aitems_error(exc: AitemsError) -> Response:
        return error_body(exc)

    @route("/datasets", "POST")
    @operation("datasets.create")
    def create_dataset() -> Response:
        return _json(service.create_dataset(_body()), 201)

    @route("/datasets", "GET")
    @operation("datasets.list")
    def list_datasets() -> Response:
        return _json(service.list_datasets(request.args.to_dict()))

    @route("/datasets/<dataset_id>", "GET")
    @operation("datasets.get")
    def read_dataset(dataset_id: str) -> Response:
        return _json(service.read_dataset(dataset_id))

    @route("/datasets/<dataset_id>", "POST")
    @operation("datasets.update")
    def edit_dataset(dataset_id: str) -> Response:
        return _json(service.edit_dataset(dataset_id, _body()))

    @route("/datasets/<dataset_id>", "DELETE")
    @operation("datasets.delete")
    def delete_dataset(dataset_id: str) -> Response:
        return _json(service.delete_dataset(dataset_id))

    @route("/schemas", "POST")
    @operation("schemas.create")
    def create_schema() -> Response:
        return _json(service.create_schema(_body()), 201)

    @route("/schemas", "GET")
    @operation("schemas.list")
    def list_schemas() -> Response:
        return _json(service.list_schemas(request.args.to_dict()))

    @route("/schemas/default", "GET")
    @operation("schemas.default")
    def default_schema() -> Response:
        return _json(service.default_schema(request.args.to_dict()))

    @route("/schemas/<schema_name>", "GET")
    @operation("schemas.get")
    def read_schema(schema_name: str) -> Response:
        return _json(service.read_schema(schema_name))

    @route("/schemas/<schema_name>", "PUT")
    @operation("schemas.update")
    def describe_schema(schema_name: str) -> Response:
        return _json(service.describe_schema(schema_name, _body()))

    @route("/schemas/<schema_name>", "DELETE")
    @operation("schemas.delete")
    def delete_schema(schema_name: str) -> Response:
        return _json(service.delete_schema(schema_name))

    # Everything else under the prefix still passes the gateway's auth before its 404, so it is routed here
    # instead of being left to the platform's unmatched-URL handler (which runs no blueprint hooks).
    @bp.route("", defaults={"rest": ""}, methods=ALL_METHODS, provide_automatic_options=False,
              strict_slashes=False)
    @bp.route("/<path:rest>", methods=ALL_METHODS, provide_automatic_options=False)
    @operation("gateway.not_found")
    def not_found(rest: str) -> Response:
        return error_body(status_error(404))

    return bp
