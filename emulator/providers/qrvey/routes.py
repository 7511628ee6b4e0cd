"""The devapi v4 routes: auth first (``keyed``), then parents, then the body, then the service."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response

from emulator import framing
from emulator.providers.base import operation

from . import lookup, service
from .auth import check_api_key
from .errors import GatewayError, QrveyError
from .schemas import ConnectionSchema, DatasetFromConnectionSchema, DatasetSchema, ListSchema, PushSchema, check
from .settings import API_PREFIX, DATA_ROUTER_PREFIX

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


# API Gateway checks the key of every call it routes, after the platform names it (and injects its fault).
keyed = partial(operation, check=check_api_key)


def _ok(body: dict) -> Response:
    return framing.json(body)  # Qrvey answers 200 to creates as well (ASSUMPTION, from the Rails fixtures)


def build_blueprint() -> Blueprint:
    bp = Blueprint("qrvey", __name__)

    @bp.errorhandler(QrveyError)
    @bp.errorhandler(GatewayError)
    def provider_error(exc: QrveyError | GatewayError) -> Response:
        return exc.response()

    @bp.post(DATASETS)
    @keyed("datasets.create")
    def create_dataset(user_id: str, app_id: str) -> Response:
        lookup.require_app(user_id, app_id)
        return _ok(service.create_dataset(user_id, app_id, check(DATASET_SCHEMA, lookup.json_body())))

    @bp.post(f"{DATASETS}/datasource")
    @keyed("datasets.createFromConnection")
    def create_dataset_from_connection(user_id: str, app_id: str) -> Response:
        lookup.require_app(user_id, app_id)
        body = check(DATASET_FROM_CONNECTION_SCHEMA, lookup.json_body())
        return _ok(service.create_dataset_from_connection(user_id, app_id, body))

    @bp.post(f"{DATASETS}/all")
    @keyed("datasets.list")
    def list_datasets(user_id: str, app_id: str) -> Response:
        lookup.require_app(user_id, app_id)
        return _ok(service.list_datasets(user_id, app_id, check(LIST_SCHEMA, lookup.json_body(empty={}))))

    @bp.get(f"{DATASETS}/<dataset_id>")
    @keyed("datasets.get")
    def get_dataset(user_id: str, app_id: str, dataset_id: str) -> Response:
        return _ok(service.get_dataset(user_id, app_id, dataset_id))

    @bp.delete(f"{DATASETS}/<dataset_id>")
    @keyed("datasets.delete")
    def delete_dataset(user_id: str, app_id: str, dataset_id: str) -> Response:
        return _ok(service.delete_dataset(user_id, app_id, dataset_id))

    @bp.post(f"{DATASETS}/<dataset_id>/load")
    @keyed("datasets.load")
    def load_dataset(user_id: str, app_id: str, dataset_id: str) -> Response:
        return _ok(service.load_dataset(user_id, app_id, dataset_id))

    @bp.post(f"{DATASETS}/<dataset_id>/pushapi/data/post")
    @keyed("datasets.push")
    def push_data(user_id: str, app_id: str, dataset_id: str) -> Response:
        lookup.dataset(user_id, app_id, dataset_id)  # parents and the dataset answer 404 before the body
        return _ok(service.push_rows(user_id, app_id, dataset_id, check(PUSH_SCHEMA, lookup.json_body())))

    @bp.post(f"{DATA_ROUTER_PREFIX}/postdata")
    @keyed("dataRouter.postdata")
    def post_data() -> Response:
        return _ok(service.post_data(check(PUSH_SCHEMA, lookup.json_body())))

    @bp.get(f"{DATA_ROUTER_PREFIX}/<job_id>/status")
    @keyed("dataRouter.status")
    def job_status(job_id: str) -> Response:
        return _ok(service.job_status(job_id))

    @bp.post(f"{USERS}/all")
    @keyed("users.list")
    def list_users() -> Response:
        return _ok(service.list_users(check(LIST_SCHEMA, lookup.json_body(empty={}))))

    @bp.get(f"{USERS}/<user_id>")
    @keyed("users.get")
    def get_user(user_id: str) -> Response:
        return _ok(service.get_user(user_id))

    @bp.get(APP)
    @keyed("apps.get")
    def get_app(user_id: str, app_id: str) -> Response:
        return _ok(service.get_app(user_id, app_id))

    @bp.post(CONNECTIONS)
    @keyed("connections.create")
    def create_connection(user_id: str, app_id: str) -> Response:
        lookup.require_app(user_id, app_id)
        return _ok(service.create_connection(user_id, app_id, check(CONNECTION_SCHEMA, lookup.json_body())))

    @bp.post(f"{CONNECTIONS}/all")
    @keyed("connections.list")
    def list_connections(user_id: str, app_id: str) -> Response:
        lookup.require_app(user_id, app_id)
        return _ok(service.list_connections(user_id, app_id, check(LIST_SCHEMA, lookup.json_body(empty={}))))

    @bp.get(f"{CONNECTIONS}/<connection_id>")
    @keyed("connections.get")
    def get_connection(user_id: str, app_id: str, connection_id: str) -> Response:
        return _ok(service.get_connection(user_id, app_id, connection_id))

    @bp.delete(f"{CONNECTIONS}/<connection_id>")
    @keyed("connections.delete")
    def delete_connection(user_id: str, app_id: str, connection_id: str) -> Response:
        return _ok(service.delete_connection(user_id, app_id, connection_id))

    return bp
