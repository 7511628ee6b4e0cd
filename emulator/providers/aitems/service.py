"""What each call does to the namespace's state; returns wire bodies, raises AitemsError."""

from __future__ import annotations

from typing import Any

from emulator import context

from . import model, schemas, settings
from .errors import bad_request, not_found
from .lifecycle import WAITING, effective, observed

# Schemas are stateless: built once, not per request (building one deep-copies its fields).
DATASET_CREATE = schemas.DatasetCreate()
DATASET_EDIT = schemas.DatasetEdit()
DATASET_PAGE = schemas.Page()
SCHEMA_CREATE = schemas.SchemaCreate()
SCHEMA_PAGE = schemas.SchemaPage()
SCHEMA_DESCRIPTION = schemas.SchemaDescription()
DEFAULT_SCHEMA_QUERY = schemas.DefaultSchemaQuery()

DEFAULT_SCHEMA_NAME = "default"  # ASSUMPTION: the name the default-schema call reports
RESULT_OK = {"result": "ok"}  # documented body of both delete calls


def _schema_or_404(name: str) -> dict[str, Any]:
    record = context.table("schemas").get(name)
    if record is None:
        raise not_found(f"Schema not found: {name}")
    return record


def _dataset_or_404(dataset_id: str) -> dict[str, Any]:
    record = context.table("datasets").get(dataset_id)
    if record is None:
        raise not_found(f"Dataset not found: {dataset_id}")
    return record


def _check_dataset_refs(kind: str, schema_name: str, name: str, dataset_id: str | None) -> None:
    """The checks after field validation, in the documented order: schema exists, fits, name is free."""
    schema = _schema_or_404(schema_name)
    if schema["datasetType"] != kind:
        raise bad_request(f"Schema {schema_name} is not a {kind} schema.")
    clash = context.table("datasets").first(name=name)
    if clash is not None and clash["datasetId"] != dataset_id:
        raise bad_request(f"Dataset name already exists: {name}")


# ---- datasets ------------------------------------------------------------------------------------------

def create_dataset(body: Any) -> dict[str, Any]:
    values = schemas.load(DATASET_CREATE, body)
    with context.transaction():
        _check_dataset_refs(values["type"], values["schemaName"], values["name"], None)
        table = context.table("datasets")
        dataset_id = model.new_id()
        while table.get(dataset_id) is not None:
            dataset_id = model.new_id()
        now = model.now_date()
        record = table.put({"datasetId": dataset_id, **values, "status": WAITING, "connectedServices": [],
                            "createdDate": now, "updatedDate": now, "reads": 0})
    return model.dataset(record)


def edit_dataset(dataset_id: str, body: Any) -> dict[str, Any]:
    values = schemas.load(DATASET_EDIT, body)
    with context.transaction():
        current = _dataset_or_404(dataset_id)
        merged = {**current, **values}
        if values:
            _check_dataset_refs(merged["type"], merged["schemaName"], merged["name"], dataset_id)
            merged["updatedDate"] = model.now_date()
        record = context.table("datasets").put(merged)
    return model.dataset(record)


def read_dataset(dataset_id: str) -> dict[str, Any]:
    with context.transaction():
        current = _dataset_or_404(dataset_id)
        record = observed(current, settings.current(), context.now())
        if record is not current:
            context.table("datasets").put(record)
    return model.dataset(record)


def list_datasets(args: dict[str, str]) -> dict[str, Any]:
    paging = schemas.page_args(DATASET_PAGE, args)
    config, now = settings.current(), context.now()
    items = [model.dataset_item(r, effective(r, config, now)) for r in context.table("datasets").all()]
    return model.page("datasets", items, paging["offset"], paging["limit"])


def delete_dataset(dataset_id: str) -> dict[str, Any]:
    with context.transaction():
        record = _dataset_or_404(dataset_id)
        if record["connectedServices"]:  # ASSUMPTION: like a schema in use, a linked dataset cannot go
            service = record["connectedServices"][0]["name"]
            raise bad_request(f"Dataset {record['name']} is used by service {service}.")
        context.table("datasets").delete(dataset_id)
    return RESULT_OK


# ---- schemas -------------------------------------------------------------------------------------------

def create_schema(body: Any) -> dict[str, Any]:
    values = schemas.load(SCHEMA_CREATE, body)
    with context.transaction():
        table = context.table("schemas")
        if table.get(values["name"]) is not None:
            raise bad_request(f"Schema name already exists: {values['name']}")
        record = table.put({"name": values["name"], "datasetType": values["datasetType"],
                            "fields": values["field_list"], "description": values["description"],
                            "createdDate": model.now_date()})
    return model.schema(record)


def read_schema(name: str) -> dict[str, Any]:
    return model.schema(_schema_or_404(name))


def list_schemas(args: dict[str, str]) -> dict[str, Any]:
    query = schemas.page_args(SCHEMA_PAGE, args)
    records = context.table("schemas").all()
    if query.get("datasetType"):
        records = [r for r in records if r["datasetType"] == query["datasetType"]]
    return model.page("schemas", [model.schema_item(r) for r in records], query["offset"], query["limit"])


def default_schema(args: dict[str, str]) -> dict[str, Any]:
    kind = schemas.load(DEFAULT_SCHEMA_QUERY, args)["datasetType"]
    return {"datasetType": kind, "name": DEFAULT_SCHEMA_NAME,
            "fields": [{"name": n, "type": [t]} for n, t in schemas.REQUIRED_FIELDS[kind].items()],
            "description": ""}


def describe_schema(name: str, body: Any) -> dict[str, Any]:
    content = schemas.load(SCHEMA_DESCRIPTION, body)["content"]
    with context.transaction():
        record = context.table("schemas").put({**_schema_or_404(name), "description": content})
    return model.schema(record)


def delete_schema(name: str) -> dict[str, Any]:
    with context.transaction():
        _schema_or_404(name)
        user = context.table("datasets").first(schemaName=name)
        if user is not None:  # ASSUMPTION: a schema in use cannot go
            raise bad_request(f"Schema {name} is used by dataset {user['name']}.")
        context.table("schemas").delete(name)
    return RESULT_OK
