"""What each devapi call does to the namespace's state: parents first, then the store; returns wire bodies."""

from __future__ import annotations

from typing import Any

from emulator import context
from emulator.providers.base import Record

from . import jobs, lifecycle, listing, lookup, model, push
from .errors import not_found


def create_dataset(user_id: str, app_id: str, body: Record) -> Record:
    with context.transaction():
        record = context.table("datasets").put(model.dataset_from_body(user_id, app_id, body))
    return model.dataset_wire(record)


def create_dataset_from_connection(user_id: str, app_id: str, body: Record) -> Record:
    with context.transaction():
        connection = lookup.app_connection(user_id, app_id, body["connectionId"])
        record = context.table("datasets").put(model.dataset_from_connection(user_id, app_id, body, connection))
    return model.dataset_wire(record)


def list_datasets(user_id: str, app_id: str, body: Record) -> Record:
    with context.transaction():
        current = [lifecycle.observed(r, read=False) for r in lookup.app_records("datasets", user_id, app_id)]
        by_id = {r["datasetId"]: r for r in current}
        chosen = listing.select([model.dataset_wire(r) for r in current], body)
        # Only the datasets a page shows count as read (a read moves a load along).
        items = [model.dataset_wire(lifecycle.observed(by_id[w["datasetId"]], read=True)) for w in chosen]
    return listing.page(items)


def get_dataset(user_id: str, app_id: str, dataset_id: str) -> Record:
    with context.transaction():
        record = lifecycle.observed(lookup.dataset(user_id, app_id, dataset_id), read=True)
    return model.dataset_wire(record)


def delete_dataset(user_id: str, app_id: str, dataset_id: str) -> Record:
    with context.transaction():
        record = lookup.dataset(user_id, app_id, dataset_id)
        context.table("datasets").delete(record["datasetId"])
    return {"datasetId": record["datasetId"]}


def load_dataset(user_id: str, app_id: str, dataset_id: str) -> Record:
    with context.transaction():
        record = context.table("datasets").put(lifecycle.start(lookup.dataset(user_id, app_id, dataset_id)))
    return model.dataset_wire(record)


def push_rows(user_id: str, app_id: str, dataset_id: str, body: Record) -> Record:
    with context.transaction():
        return push.push(lookup.dataset(user_id, app_id, dataset_id), body)


def post_data(body: Record) -> Record:
    """The Data Router's postdata: the dataset named in the body, whoever owns it."""
    with context.transaction():
        record = context.table("datasets").get(body["datasetId"])
        if record is None:
            raise not_found("Dataset")
        return push.push(record, body)


def job_status(job_id: str) -> Record:
    return jobs.status(job_id)


def list_users(body: Record) -> Record:
    return listing.page(listing.select([model.user_wire(r) for r in context.table("users").all()], body))


def get_user(user_id: str) -> Record:
    return model.user_wire(lookup.user(user_id))


def get_app(user_id: str, app_id: str) -> Record:
    lookup.require_app(user_id, app_id)
    return model.app_wire(context.table("apps").get(app_id))


def create_connection(user_id: str, app_id: str, body: Record) -> Record:
    with context.transaction():
        record = context.table("connections").put(model.connection_from_body(user_id, app_id, body))
    return model.connection_wire(record)


def list_connections(user_id: str, app_id: str, body: Record) -> Record:
    items = [model.connection_wire(r) for r in lookup.app_records("connections", user_id, app_id)]
    return listing.page(listing.select(items, body))


def get_connection(user_id: str, app_id: str, connection_id: str) -> Record:
    return model.connection_wire(lookup.connection(user_id, app_id, connection_id))


def delete_connection(user_id: str, app_id: str, connection_id: str) -> dict[str, Any]:
    with context.transaction():
        record = lookup.connection(user_id, app_id, connection_id)
        context.table("connections").delete(record["connectionId"])
    return model.connection_deleted(record)
