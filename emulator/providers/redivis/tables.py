"""Tables of a dataset: references, create, read, update, delete, list, variables, and freezing on release."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import request

from emulator import context
from emulator.providers.base import Record

from . import errors, model, schemas, service, settings, table_records, variables, versions
from .names import REFERENCE_ID_RE, escaped

CREATE_TABLE_SCHEMA = schemas.CreateTableSchema()
UPDATE_TABLE_SCHEMA = schemas.UpdateTableSchema()


@dataclass(frozen=True)
class ResolvedTable:
    owner: service.Resolved
    table: Record
    state: Record  # the table as the referenced version shows it

    @property
    def uri(self) -> str:
        return resource(self.owner.dataset, self.owner.version, self.table, self.state)["uri"]


def state_in(table: Record, version: versions.Version) -> Record | None:
    """The table as ``version`` shows it: frozen in a released version, live in the next one."""
    if version["isReleased"]:
        frozen = table.get("frozen", {}).get(str(version["index"]))
        return {**table, **frozen} if frozen is not None else None
    return None if table.get("removed") else table


def in_version(resolved: service.Resolved) -> list[tuple[Record, Record]]:
    shown = [(t, state_in(t, resolved.version)) for t in table_records.of_dataset(resolved.dataset["id"])]
    return [(t, s) for t, s in shown if s is not None]


def _require_write(owner: service.Resolved) -> None:
    if not owner.editor:
        raise errors.forbidden()
    if owner.version["isReleased"]:
        raise errors.invalid(settings.MSG_NOT_NEXT)


def _parse(part: str) -> tuple[str, str | None]:
    name, colon, reference_id = part.partition(":")
    if colon and REFERENCE_ID_RE.fullmatch(reference_id.lower()):
        return name, reference_id.lower()
    return part, None


def resolve(text: str, viewer: Record | None, *, write: bool = False) -> ResolvedTable:
    """``<dataset reference>.<table name>[:<referenceId>]`` -> the table, else 404 (hidden is absent)."""
    missing = errors.not_found(settings.MSG_TABLE_NOT_FOUND.format(reference=text))
    dataset_reference, dot, part = text.rpartition(".")
    if not dot or "." not in dataset_reference or not part:
        raise missing
    try:
        owner = service.resolve(dataset_reference, viewer)
    except errors.RedivisError:
        raise missing from None
    name, reference_id = _parse(part)
    wanted = escaped(name)
    for table, state in in_version(owner):
        if (reference_id is not None and table["id"][:4] == reference_id) or (
                reference_id is None and escaped(state["name"]) == wanted):
            if write:
                _require_write(owner)
            return ResolvedTable(owner, table, state)
    raise missing


def resource(dataset: Record, version: versions.Version, table: Record, state: Record) -> Record:
    """The recorded table resource, keys in the recorded order."""
    scoped = f"{escaped(state['name'])}:{table['id'][:4]}"
    qualified = f"{model.qualified_reference(dataset, version)}.{scoped}"
    site = model.site_url(dataset, version).replace("?", f"/tables/{table['id']}?", 1)
    # A digest of the table's content (ASSUMPTION: what the recorded 32-hex "hash" stands for).
    content = f"{state['name']}:{state['numRows']}:{state['numBytes']}:{state['variables']}"
    digest = hashlib.md5(content.encode(), usedforsecurity=False).hexdigest()
    return {"kind": "table", "id": table["id"], "qualifiedReference": qualified, "scopedReference": scoped,
            "referenceId": table["id"][:4], "uri": "/tables/" + qualified, "url": site, "name": state["name"],
            "isSample": False, "hash": digest, "isFileIndex": table["isFileIndex"],
            "createdAt": table["createdAt"], "updatedAt": state["updatedAt"], "description": state["description"],
            "numRows": state["numRows"], "numBytes": state["numBytes"], "variableCount": len(state["variables"]),
            "uploadMergeStrategy": state["uploadMergeStrategy"]}


def render(found: ResolvedTable) -> Record:
    return resource(found.owner.dataset, found.owner.version, found.table, found.state)


def _new_id(dataset_id: str) -> str:
    taken = {t["id"][:4] for t in table_records.of_dataset(dataset_id)}
    while True:
        candidate = model.random_id()
        if candidate[:4] not in taken and context.table("tables").get(candidate) is None:
            return candidate


def _check_unique(owner: service.Resolved, name: str, except_id: str | None = None) -> None:
    if any(escaped(state["name"]) == escaped(name) and table["id"] != except_id
           for table, state in in_version(owner)):
        raise errors.invalid(settings.MSG_TABLE_DUPLICATE.format(name=name))


def _count_tables(dataset_id: str) -> None:
    """Keep the dataset's tableCount in step with its live tables."""
    dataset = context.table("datasets").get(dataset_id)
    if dataset is not None:
        live = sum(1 for t in table_records.of_dataset(dataset_id) if not t.get("removed"))
        context.table("datasets").put({**dataset, "tableCount": live})


def create(dataset_reference: str, viewer: Record) -> Record:
    owner = service.resolve(dataset_reference, viewer)
    _require_write(owner)
    body = schemas.load(CREATE_TABLE_SCHEMA, schemas.parse_json(request.get_data()))
    now = model.millis(context.now())
    with context.transaction():
        _check_unique(owner, body["name"])
        table = context.table("tables").put({
            "id": _new_id(owner.dataset["id"]), "datasetId": owner.dataset["id"], "name": body["name"],
            "description": body.get("description"), "uploadMergeStrategy": body.get("uploadMergeStrategy") or "append",
            "isFileIndex": bool(body.get("isFileIndex")), "createdAt": now, "updatedAt": now, "numRows": 0,
            "numBytes": 0, "variables": [], "frozen": {}})
        _count_tables(owner.dataset["id"])
    return resource(owner.dataset, owner.version, table, table)


def get(reference: str, viewer: Record | None) -> Record:
    return render(resolve(reference, viewer))


def update(reference: str, viewer: Record) -> Record:
    found = resolve(reference, viewer, write=True)
    body = schemas.load(UPDATE_TABLE_SCHEMA, schemas.parse_json(request.get_data(), empty_ok=True))
    with context.transaction():
        if "name" in body:
            _check_unique(found.owner, body["name"], except_id=found.table["id"])
        table = store({**fresh(found), **body})
    return resource(found.owner.dataset, found.owner.version, table, table)


def delete(reference: str, viewer: Record) -> None:
    found = resolve(reference, viewer, write=True)
    with context.transaction():
        table = fresh(found)
        if table.get("frozen"):  # released versions keep showing it
            context.table("tables").put({**table, "removed": True})
        else:
            context.table("tables").delete(table["id"])
            for upload in context.table("uploads").find(tableId=table["id"]):
                context.table("uploads").delete(upload["id"])
        _count_tables(table["datasetId"])


def fresh(found: ResolvedTable) -> Record:
    """The stored table, re-read inside a transaction (a concurrent delete is a 404)."""
    table = context.table("tables").get(found.table["id"])
    if table is None or table.get("removed"):
        raise errors.not_found(settings.MSG_TABLE_NOT_FOUND.format(reference=found.table["name"]))
    return table


def store(table: Record) -> Record:
    return context.table("tables").put({**table, "updatedAt": model.millis(context.now())})


def list_for(dataset_reference: str, viewer: Record | None) -> Record:
    owner = service.resolve(dataset_reference, viewer)
    shown = sorted(in_version(owner), key=lambda pair: pair[0]["id"])
    chunk, token = service.paginate([{"id": t["id"], "pair": (t, s)} for t, s in shown], "id")
    return model.page("tableList", [resource(owner.dataset, owner.version, *item["pair"]) for item in chunk], token)


def list_variables(reference: str, viewer: Record | None) -> Record:
    found = resolve(reference, viewer)
    table = render(found)
    listed = [{"key": f"{i:08d}", "index": i, "variable": v} for i, v in enumerate(found.state["variables"])]
    chunk, token = service.paginate(listed, "key")
    return model.page("variableList", [variables.resource(item["variable"], item["index"], table["uri"], table["url"])
                                       for item in chunk], token)


def get_variable(reference: str, name: str, viewer: Record | None) -> Record:
    found = resolve(reference, viewer)
    hit = variables.find(found.state["variables"], name)
    if hit is None:
        raise errors.not_found(settings.MSG_VARIABLE_NOT_FOUND.format(name=name))
    table = render(found)
    return variables.resource(hit[1], hit[0], table["uri"], table["url"], full=True)
