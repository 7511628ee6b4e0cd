"""Stored records built from request bodies, and their wire representations.

A stored dataset is the wire object's fields plus `extra` (echoed body keys such as dataSync) and `load`
(progress of a running load; never sent). A stored connection keeps the body's extra keys in `extra`
and the emulator-only `failing` flag.
"""

from __future__ import annotations

from emulator.providers.base import Record

from .ids import dataset_id, short_id, timestamp, uuid
from .settings import CONNECTION_OWNED_KEYS, CONNECTION_SECRET_KEYS, DATASET_OWNED_KEYS, DRAFT

DATASET_BODY_KEYS = frozenset({"name", "datasources", "columns"})
FROM_CONNECTION_BODY_KEYS = frozenset({"name", "connectionId", "database", "tableName", "query", "columns"})


def complete_datasource(datasource: Record) -> Record:
    """As given; Qrvey's docs let the client choose datasourceId, so one is only made up when absent."""
    return datasource if datasource.get("datasourceId") else {**datasource, "datasourceId": uuid()}


def complete_column(column: Record, *, dataset: str, app: str, user: str, connection: str | None) -> Record:
    filled = {**column}
    defaults = {"columnId": short_id, "origColumnSourceName": lambda: column.get("columnName"),
                "datasetId": lambda: dataset, "appId": lambda: app, "userId": lambda: user,
                "connectionId": lambda: connection}
    for key, make in defaults.items():
        if key not in filled:
            filled[key] = make()
    return filled


def new_dataset(user: str, app: str, name: str, datasources: list[Record], columns: list[Record],
                extra: Record, ident: str | None = None) -> Record:
    ident = ident or dataset_id()
    datasources = [complete_datasource(d) for d in datasources]
    connection = datasources[0].get("connectionId") if datasources else None
    now = timestamp()
    return {
        "datasetId": ident, "appId": app, "userId": user, "name": name, "status": DRAFT,
        "connectionId": connection, "datasources": datasources,
        "columns": [complete_column(c, dataset=ident, app=app, user=user, connection=connection) for c in columns],
        "extra": extra, "createDate": now, "modifyDate": now, "load": None, "rows": [],
    }


def dataset_from_body(user: str, app: str, body: Record) -> Record:
    extra = {k: v for k, v in body.items() if k not in DATASET_BODY_KEYS | DATASET_OWNED_KEYS}
    return new_dataset(user, app, body["name"], body["datasources"], body["columns"], extra)


def dataset_from_connection(user: str, app: str, body: Record, connection: Record) -> Record:
    source: Record = {"name": connection.get("name"), "connectionId": body["connectionId"],
                      "database": body["database"]}
    if body.get("tableName"):
        source["tableName"] = body["tableName"]
    if body.get("query"):
        source["query"] = body["query"]
    extra = {k: v for k, v in body.items() if k not in FROM_CONNECTION_BODY_KEYS | DATASET_OWNED_KEYS}
    return new_dataset(user, app, body["name"], [source], body.get("columns") or [], extra)


def dataset_wire(record: Record) -> Record:
    wire = {key: record.get(key) for key in ("datasetId", "appId", "userId", "name", "status", "connectionId")}
    wire["datasources"] = record.get("datasources") or []
    wire["columns"] = record.get("columns") or []
    for key, value in (record.get("extra") or {}).items():
        wire.setdefault(key, value)
    for key in ("createDate", "modifyDate"):
        if record.get(key):
            wire[key] = record[key]
    return wire


def connection_from_body(user: str, app: str, body: Record) -> Record:
    extra = {k: v for k, v in body.items() if k not in {"name", "connectorType"} | CONNECTION_OWNED_KEYS}
    return {"connectionId": uuid(), "appId": app, "userId": user, "name": body["name"],
            "connectorType": body["connectorType"], "extra": extra, "failing": False}


def connection_wire(record: Record) -> Record:
    """Connections speak another casing than datasets: connectorid / appid / userid."""
    extra = {k: v for k, v in (record.get("extra") or {}).items() if k not in CONNECTION_SECRET_KEYS}
    wire = {"connectorid": record["connectionId"], "name": record.get("name"),
            "connectorType": record.get("connectorType")}
    for key in ("host", "user"):
        if key in extra:
            wire[key] = extra.pop(key)
    wire["appid"] = record.get("appId")
    wire["userid"] = record.get("userId")
    for key, value in extra.items():
        wire.setdefault(key, value)
    return wire


def connection_deleted(record: Record) -> Record:
    return {"connectorid": record["connectionId"], "appid": record.get("appId"), "userid": record.get("userId")}


def user_wire(record: Record) -> Record:
    """Users speak the lower-case id casing of Create User's answer ({"userid": ...}) [CODE]; the rest of the
    seeded profile (firstName, lastName, email, ...) as stored (ASSUMPTION)."""
    return {"userid": record["userId"], **{k: v for k, v in record.items() if k != "userId"}}


def app_wire(record: Record) -> Record:
    """{"appid", "name", "userid"} as Create App answers [CODE], then any other seeded key (ASSUMPTION)."""
    wire = {"appid": record["appId"], "name": record.get("name"), "userid": record.get("userId")}
    wire.update({k: v for k, v in record.items() if k not in ("appId", "name", "userId")})
    return wire
