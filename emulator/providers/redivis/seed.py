"""Checking seeded records and filling what Redivis generates (ids, timestamps, versions)."""

from __future__ import annotations

import base64

from emulator import context
from emulator.providers.base import Record

from .. import rules
from ..base import SeedError
from . import lookup, model, service, settings, table_records, variables, versions
from .names import ID_RE, RELEASED_TAG_RE, USER_NAME_RE, escaped
from .schemas import PUBLIC_ACCESS_LEVELS

_MILLIS = rules.whole(0, 2**53)
_TEXT = rules.text(nullable=True)
_TAG = (lambda v: isinstance(v, str) and RELEASED_TAG_RE.fullmatch(v) is not None, "a tag like v1.0")
VERSION_FIELDS: dict[str, rules.Rule] = {
    "index": rules.whole(0, 10**6), "tag": (lambda v: v is None or _TAG[0](v), "null or " + _TAG[1]),
    "label": _TEXT, "releaseNotes": _TEXT, "isReleased": rules.boolean(), "isDeleted": rules.boolean(),
    "createdAt": _MILLIS, "releasedAt": (lambda v: v is None or _MILLIS[0](v), "null or " + _MILLIS[1]),
}
_VERSION = (lambda v: isinstance(v, dict) and set(VERSION_FIELDS) <= set(v)
            and rules.field_problem(VERSION_FIELDS, v) is None
            and (not v["isReleased"] or v["tag"] is not None),
            f"an object with {sorted(VERSION_FIELDS)} (a released one with its tag)")
#: What the stored fields of a seeded dataset may hold (the rest are checked below or pass through as JSON).
DATASET_FIELDS: dict[str, rules.Rule] = {
    "createdAt": _MILLIS, "updatedAt": _MILLIS,
    **dict.fromkeys(("description", "doi", "methodologyMarkdown", "usageMarkdown"), _TEXT),
    **dict.fromkeys(("tableCount", "numBytes", "totalNumBytes", "totalActiveTabularBytes",
                     "totalInactiveTabularBytes", "totalRawFileBytes"), rules.whole(0, 2**63)),
    "labels": rules.listed(rules.text()), "tags": rules.listed(rules.text()),
    "links": rules.listed(rules.mapping()), "customDocumentationSections": rules.listed(rules.mapping()),
    "versions": (lambda v: isinstance(v, list) and bool(v) and all(_VERSION[0](i) for i in v),
                 "a non-empty list of versions, each " + _VERSION[1]),
}


def _name(record: Record, what: str) -> str:
    name = record.get("name")
    if not isinstance(name, str) or not USER_NAME_RE.fullmatch(name):
        raise SeedError(f"a {what} needs a name of letters, digits and underscores")
    return name


def user(record: Record) -> Record:
    _name(record, "user")
    if not isinstance(record.get("token"), str) or not record["token"]:
        raise SeedError("a user needs a token (string)")
    scopes = record.get("scopes", ["public"])
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise SeedError("scopes must be a list of strings, e.g. [\"public\", \"data.edit\"]")
    return {"fullName": None, "contactEmail": None, "orcid": None, **record, "scopes": scopes}


def organization(record: Record) -> Record:
    name = _name(record, "organization")
    admins = record.get("admins", [])
    if not isinstance(admins, list) or not all(isinstance(s, str) for s in admins):
        raise SeedError("admins must be a list of user names")
    return {"fullName": name, "ror": None, **record, "admins": admins}


def dataset(record: Record) -> Record:
    if not isinstance(record.get("name"), str) or not escaped(record["name"]):
        raise SeedError("a dataset needs a name with at least one letter or digit")
    problem = rules.field_problem(DATASET_FIELDS, record)
    if problem:
        raise SeedError(problem)
    owner_name = record.get("ownerName")
    if not isinstance(owner_name, str):
        raise SeedError("a dataset needs ownerName (a user or organization name)")
    kind = record.get("ownerKind")
    if kind is None:
        found = lookup.any_owner(owner_name)
        if found is None:
            raise SeedError(f"owner {owner_name!r} is neither a seeded user nor an organization")
        kind = found[0]
    if kind not in (lookup.USER, lookup.ORGANIZATION):
        raise SeedError("ownerKind must be \"user\" or \"organization\"")
    owner = lookup.owner(kind, owner_name)
    if owner is None:
        raise SeedError(f"no {kind} named {owner_name!r} is seeded")
    owner_name = owner["name"]  # stored in the owner's own spelling: look-ups by owner are index hits
    level = record.get("publicAccessLevel", "none")
    if level not in PUBLIC_ACCESS_LEVELS:
        raise SeedError(f"publicAccessLevel must be one of {', '.join(PUBLIC_ACCESS_LEVELS)}")
    if "id" in record and not (isinstance(record["id"], str) and ID_RE.fullmatch(record["id"])):
        raise SeedError("id must look like xxxx-yyyyyyyyy over 0-9 and a-z without i, l, o, u")
    clash = next((d for d in lookup.datasets_named(kind, owner_name, record["name"])
                  if d["id"] != record.get("id")), None)
    if clash is not None:
        raise SeedError(f"{owner_name} already has a dataset named like {record['name']!r} (id {clash['id']})")
    now = model.millis(context.now())
    filled = {"id": record.get("id") or service.new_id(kind, owner_name), "ownerKind": kind,
              "createdAt": now, "updatedAt": now, **model.DATASET_DEFAULTS,
              "versions": [versions.new_version(0, now)], **record, "ownerName": owner_name,
              "publicAccessLevel": level}
    if filled.get("released") is True:  # seed shorthand: a dataset whose first version is out (v1.0)
        first = {**filled["versions"][0], "tag": versions.release_tag({"versions": []}), "isReleased": True,
                 "releasedAt": now}
        filled["versions"] = [first, *filled["versions"][1:]]
    filled.pop("released", None)
    # Seeds and exports may lack the derived fields (or carry stale ones): always recomputed here.
    return lookup.with_derived_fields(filled)


_VARIABLE = (lambda v: isinstance(v, dict) and isinstance(v.get("name"), str) and variables.variable_name(
    v["name"], 0) == v["name"] and v.get("type") in settings.VARIABLE_TYPES,
    f"an object with a name (letters, digits, underscores) and a type ({', '.join(settings.VARIABLE_TYPES)})")
TABLE_FIELDS: dict[str, rules.Rule] = {
    "name": rules.text(empty=False), "description": _TEXT,
    "uploadMergeStrategy": rules.one_of(*settings.MERGE_STRATEGIES),
    "isFileIndex": rules.boolean(), "createdAt": _MILLIS, "updatedAt": _MILLIS,
    "numRows": rules.whole(0, 2**63), "numBytes": rules.whole(0, 2**63), "variables": rules.listed(_VARIABLE),
    "frozen": rules.mapping(), "removed": rules.boolean(),
}
UPLOAD_FIELDS: dict[str, rules.Rule] = {
    "name": rules.text(empty=False), "type": rules.text(), "errorMessage": _TEXT,
    "status": rules.one_of(settings.UPLOAD_INGESTING, settings.UPLOAD_COMPLETED, settings.UPLOAD_FAILED),
    "createdAt": _MILLIS, "updatedAt": _MILLIS, "numRows": rules.whole(0, 2**63),
    "numBytes": rules.whole(0, 2**63), "variables": rules.listed(_VARIABLE), "readsLeft": rules.whole(0, 10**9),
}


def _id(record: Record, what: str) -> None:
    if "id" in record and not (isinstance(record["id"], str) and ID_RE.fullmatch(record["id"])):
        raise SeedError(f"{what} ids must look like xxxx-yyyyyyyyy over 0-9 and a-z without i, l, o, u")


def table(record: Record) -> Record:
    """A table of a seeded dataset: ``datasetId`` and ``name``; rows and variables as given."""
    problem = rules.field_problem(TABLE_FIELDS, record)
    if problem or not isinstance(record.get("name"), str) or not escaped(record["name"]):
        raise SeedError(problem or "a table needs a name with at least one letter or digit")
    _id(record, "table")
    if not isinstance(record.get("datasetId"), str) or context.table("datasets").get(record["datasetId"]) is None:
        raise SeedError("a table needs datasetId, the id of a seeded dataset")
    now = model.millis(context.now())
    filled = {"id": record.get("id") or model.random_id(),
              "description": None, "uploadMergeStrategy": "append", "isFileIndex": False, "createdAt": now,
              "updatedAt": now, "numRows": 0, "numBytes": 0, "variables": [], **record}
    frozen_fields = {k: TABLE_FIELDS[k] for k in table_records.FROZEN_FIELDS}
    for index, state in record.get("frozen", {}).items():
        problem = rules.field_problem(frozen_fields, state) if isinstance(state, dict) else "not an object"
        if not index.isdigit() or problem:
            raise SeedError(f"frozen[{index!r}]: {problem or 'keys are version indexes'}")
    if "frozen" not in record:  # a seeded table is part of its dataset's released versions too
        dataset = context.table("datasets").get(record["datasetId"])
        snapshot = {k: filled[k] for k in table_records.FROZEN_FIELDS}
        filled["frozen"] = {str(v["index"]): snapshot for v in dataset["versions"] if v["isReleased"]}
    return filled


def upload(record: Record) -> Record:
    """An upload of a seeded table: ``tableId`` and ``name``; a finished one unless ``status`` says otherwise."""
    problem = rules.field_problem(UPLOAD_FIELDS, record)
    if problem or not isinstance(record.get("name"), str):
        raise SeedError(problem or "an upload needs a name")
    _id(record, "upload")
    if not isinstance(record.get("tableId"), str) or context.table("tables").get(record["tableId"]) is None:
        raise SeedError("an upload needs tableId, the id of a seeded table")
    now = model.millis(context.now())
    status = record.get("status", settings.UPLOAD_COMPLETED)
    return {"id": record.get("id") or model.random_id(),
            "type": "delimited", "errorMessage": None, "createdAt": now, "updatedAt": now, "numRows": 0,
            "numBytes": 0, "variables": [], "parsedError": None,
            # a seeded ingesting upload completes at its next read
            "outcome": settings.UPLOAD_COMPLETED if status == settings.UPLOAD_INGESTING else status,
            **record, "status": status, "readsLeft": record.get("readsLeft", int(status == settings.UPLOAD_INGESTING))}


def temp_upload(record: Record) -> Record:
    """A temporary upload (made by the API; seedable so that an exported state loads back)."""
    if not isinstance(record.get("id"), str) or not isinstance(record.get("tableId"), str):
        raise SeedError("a temporary upload needs an id and a tableId")
    data = record.get("data")
    if data is not None:
        if not isinstance(data, str):
            raise SeedError("data must be base64 text or null")
        base64.b64decode(data, validate=True)
    if not isinstance(record.get("complete", False), bool):
        raise SeedError("complete must be a boolean")
    # complete: every byte arrived (a resumable session may hold part of its file)
    return {"name": "", "size": 0, "resumable": False, "data": None, "complete": data is not None, **record}


PREPARERS = {"users": user, "organizations": organization, "datasets": dataset, "tables": table,
             "uploads": upload, "tempUploads": temp_upload, "config": dict}
