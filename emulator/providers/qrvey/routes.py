"""The devapi v4 routes: auth first, then parents, then the body, then the store."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from emulator import context
from emulator.providers.base import operation

from . import access, lifecycle, listing, model, push
from .auth import check_api_key
from .errors import GatewayError, QrveyError
from .schemas import ConnectionSchema, DatasetFromConnectionSchema, DatasetSchema, ListSchema, PushSchema, check
from .settings import API_PREFIX

# Schemas are stateless: built once, not per request (building one deep-copies its fields).
DATASET_SCHEMA = DatasetSchema()
DATASET_FROM_CONNECTION_SCHEMA = DatasetFromConnectionSchema()
LIST_SCHEMA = ListSchema()
CONNECTION_SCHEMA = ConnectionSchema()
PUSH_SCHEMA = PushSchema()

USERS = f"{API_PREFIX}/core/user"
APP = f"{API_PREFIX}/user/<user_id>/app/<app_id>"
DATASETS = f"{APP}/qollect/dataset"
CONNECTIONS = f"{APP}/connections"


def _ok(body: dict) -> Response:
    return jsonify(body)  # Qrvey answers 200 to creates as well (ASSUMPTION, from the Rails fixtures)


def build_blueprint() -> Blueprint:
    bp = Blueprint("qrvey", __name__)
    bp.before_request(check_api_key)

    @bp.errorhandler(QrveyError)
    @bp.errorhandler(GatewayError)
    def provider_error(exc: QrveyError | GatewayError) -> Response:
        return exc.response()

    @bp.post(DATASETS)
    @operation("datasets.create")
    def create_dataset(user_id: str, app_id: str) -> Response:
        access.require_app(user_id, app_id)
        body = check(DATASET_SCHEMA, access.json_body())
        with context.transaction():
            record = context.table("datasets").put(model.dataset_from_body(user_id, app_id, body))
        return _ok(model.dataset_wire(record))

    @bp.post(f"{DATASETS}/datasource")
    @operation("datasets.createFromConnection")
    def create_dataset_from_connection(user_id: str, app_id: str) -> Response:
        access.require_app(user_id, app_id)
        body = check(DATASET_FROM_CONNECTION_SCHEMA, access.json_body())
        with context.transaction():
            connection = access.app_connection(user_id, app_id, body["connectionId"])
            record = model.dataset_from_connection(user_id, app_id, body, connection)
            record = context.table("datasets").put(record)
        return _ok(model.dataset_wire(record))

    @bp.post(f"{DATASETS}/all")
    @operation("datasets.list")
    def list_datasets(user_id: str, app_id: str) -> Response:
        access.require_app(user_id, app_id)
        body = check(LIST_SCHEMA, access.json_body(empty={}))
        with context.transaction():
            current = [lifecycle.observed(r, read=False) for r in access.app_records("datasets", user_id, app_id)]
            by_id = {r["datasetId"]: r for r in current}
            chosen = listing.select([model.dataset_wire(r) for r in current], body)
            items = [model.dataset_wire(lifecycle.observed(by_id[w["datasetId"]], read=True)) for w in chosen]
        return _ok(listing.page(items))

    @bp.get(f"{DATASETS}/<dataset_id>")
    @operation("datasets.get")
    def get_dataset(user_id: str, app_id: str, dataset_id: str) -> Response:
        with context.transaction():
            record = lifecycle.observed(access.dataset(user_id, app_id, dataset_id), read=True)
        return _ok(model.dataset_wire(record))

    @bp.delete(f"{DATASETS}/<dataset_id>")
    @operation("datasets.delete")
    def delete_dataset(user_id: str, app_id: str, dataset_id: str) -> Response:
        with context.transaction():
            record = access.dataset(user_id, app_id, dataset_id)
            context.table("datasets").delete(record["datasetId"])
        return _ok({"datasetId": record["datasetId"]})

    @bp.post(f"{DATASETS}/<dataset_id>/load")
    @operation("datasets.load")
    def load_dataset(user_id: str, app_id: str, dataset_id: str) -> Response:
        with context.transaction():
            record = context.table("datasets").put(lifecycle.start(access.dataset(user_id, app_id, dataset_id)))
        return _ok(model.dataset_wire(record))

    @bp.post(f"{DATASETS}/<dataset_id>/pushapi/data/post")
    @operation("datasets.push")
    def push_data(user_id: str, app_id: str, dataset_id: str) -> Response:
        access.dataset(user_id, app_id, dataset_id)  # parents and the dataset answer 404 before the body
        body = check(PUSH_SCHEMA, access.json_body())
        with context.transaction():
            return _ok(push.push(access.dataset(user_id, app_id, dataset_id), body))

    @bp.post(f"{USERS}/all")
    @operation("users.list")
    def list_users() -> Response:
        body = check(LIST_SCHEMA, access.json_body(empty={}))
        return _ok(listing.page(listing.select([model.user_wire(r) for r in context.table("users").all()], body)))

    @bp.get(f"{USERS}/<user_id>")
    @operation("users.get")
    def get_user(user_id: str) -> Response:
        return _ok(model.user_wire(access.user(user_id)))

    @bp.get(APP)
    @operation("apps.get")
    def get_app(user_id: str, app_id: str) -> Response:
        access.require_app(user_id, app_id)
        return _ok(model.app_wire(context.table("apps").get(app_id)))

    @bp.post(CONNECTIONS)
    @operation("connections.create")
    def create_connection(user_id: str, app_id: str) -> Response:
        access.require_app(user_id, app_id)
        body = check(CONNECTION_SCHEMA, access.json_body())
        with context.transaction():
            record = context.table("connections").put(model.connection_from_body(user_id, app_id, body))
        return _ok(model.connection_wire(record))

    @bp.post(f"{CONNECTIONS}/all")
    @operation("connections.list")
    def list_connections(user_id: str, app_id: str) -> Response:
        access.require_app(user_id, app_id)
        body = check(LIST_SCHEMA, access.json_body(empty={}))
        items = [model.connection_wire(r) for r in access.app_records("connections", user_id, app_id)]
        return _ok(listing.page(listing.select(items, body)))

    @bp.get(f"{CONNECTIONS}/<connection_id>")
    @operation("connections.get")
    def get_connection(user_id: str, app_id: str, connection_id: str) -> Response:
        return _ok(model.connection_wire(access.connection(user_id, app_id, connection_id)))

    @bp.delete(f"{CONNECTIONS}/<connection_id>")
    @operation("connections.delete")
    def delete_connection(user_id: str, app_id: str, connection_id: str) -> Response:
        with context.transaction():
            record = access.connection(user_id, app_id, connection_id)
            context.table("connections").delete(record["connectionId"])
        return _ok(model.connection_deleted(record))

    return bp
