"""What a request may reach: its user, that user's app, and only that app's datasets and connections."""

from __future__ import annotations

from typing import Any

from flask import request

from emulator import context, jsontext
from emulator.providers.base import Record

from .errors import missing_route, not_found

_NOT_JSON = object()
# Literal path segments that API Gateway routes as their own resources, never as an id.
RESERVED_IDS = frozenset({"all", "datasource", "clone"})


def user(user_id: str) -> Record:
    if user_id in RESERVED_IDS:
        raise missing_route()
    record = context.table("users").get(user_id)
    if record is None:
        raise not_found("User")
    return record


def require_app(user_id: str, app_id: str) -> None:
    """Unknown parents answer 404 before the body is looked at."""
    if context.table("users").get(user_id) is None:
        raise not_found("User")
    app = context.table("apps").get(app_id)
    if app is None or app.get("userId") != user_id:
        raise not_found("App")


def _owned(record: Record | None, user_id: str, app_id: str) -> bool:
    return record is not None and record.get("userId") == user_id and record.get("appId") == app_id


def dataset(user_id: str, app_id: str, dataset_id: str) -> Record:
    if dataset_id in RESERVED_IDS:
        raise missing_route()
    require_app(user_id, app_id)
    record = context.table("datasets").get(dataset_id)
    if not _owned(record, user_id, app_id):
        raise not_found("Dataset")
    return record


def connection(user_id: str, app_id: str, connection_id: str) -> Record:
    """A connection named in the path."""
    if connection_id in RESERVED_IDS:
        raise missing_route()
    return app_connection(user_id, app_id, connection_id)


def app_connection(user_id: str, app_id: str, connection_id: str) -> Record:
    """A connection of this app, wherever its id came from."""
    require_app(user_id, app_id)
    record = context.table("connections").get(connection_id)
    if not _owned(record, user_id, app_id):
        raise not_found("Connection")
    return record


def app_records(collection: str, user_id: str, app_id: str) -> list[Record]:
    return [r for r in context.table(collection).all() if _owned(r, user_id, app_id)]


def json_body(*, empty: Any = None) -> Any:
    """The body parsed as JSON whatever its Content-Type (the Lambda behind the gateway does the same).

    An empty body gives ``empty``; unparsable JSON gives a value no schema accepts as an object.
    """
    raw = request.get_data(cache=True)
    if not raw.strip():
        return empty
    try:
        return jsontext.loads(raw)
    except ValueError:
        return _NOT_JSON

