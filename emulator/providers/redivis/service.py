"""Dataset operations: resolve a reference, create, update, delete, list, and the version workflow."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

from emulator import context
from emulator.providers.base import Record

from . import errors, lookup, model, schemas, settings, table_records, versions
from .names import parse_reference

# Schemas are stateless: built once, not per request (building one deep-copies its fields).
CREATE_DATASET_SCHEMA = schemas.CreateDatasetSchema()
# Clients that omit the optional key skip its (no-op) visit; the checks and their order are the same.
CREATE_WITHOUT_DESCRIPTION_SCHEMA = schemas.CreateDatasetSchema(only=("name", "publicAccessLevel"))
UPDATE_DATASET_SCHEMA = schemas.UpdateDatasetSchema()
RELEASE_SCHEMA = schemas.ReleaseSchema()



@dataclass(frozen=True)
class Resolved:
    dataset: Record
    version: versions.Version
    editor: bool


def _owner_or_404(kind: str, name: str) -> Record:
    found = lookup.owner(kind, name)
    if found is None:
        template = settings.MSG_USER_NOT_FOUND if kind == lookup.USER else settings.MSG_ORG_NOT_FOUND
        raise errors.not_found(template.format(name=name))
    return found


def resolve(text: str, viewer: Record | None, *, with_version: bool = True) -> Resolved:
    """A decoded reference -> the dataset and version the viewer may see, else 404 (what is hidden is absent)."""
    missing = errors.not_found(settings.MSG_DATASET_NOT_FOUND.format(reference=text))
    ref = parse_reference(text)
    owned = lookup.any_owner(ref.owner) if ref else None
    if owned is None:
        raise missing
    kind, owner = owned
    if ref.reference_id is not None:
        found = lookup.datasets_with_reference_id(kind, owner["name"], ref.reference_id)
    else:
        found = lookup.datasets_named(kind, owner["name"], ref.name)
    if not found:
        raise missing
    dataset = found[0]
    editor = lookup.can_edit(viewer, kind, owner)
    current, pending = versions.current(dataset), versions.pending(dataset)
    if not editor and (dataset["publicAccessLevel"] == "none" or current is None):
        raise missing
    if ref.version is None:
        version = current or (pending if editor else None)
    elif ref.version == "current":
        version = current
    elif ref.version == "next":
        version = pending if editor else None
    else:
        version = versions.by_tag(dataset, ref.version)
    if version is None:
        if with_version:
            raise missing
        version = current or pending
    return Resolved(dataset, version, editor)


def _require_editor(resolved: Resolved) -> None:
    if not resolved.editor:
        raise errors.forbidden()


def _check_unique(kind: str, owner_name: str, name: str, except_id: str | None = None) -> None:
    if any(other["id"] != except_id for other in lookup.datasets_named(kind, owner_name, name)):
        raise errors.invalid(settings.MSG_DUPLICATE.format(name=name))


def new_id(kind: str, owner_name: str) -> str:
    """``xxxx-yyyyyyyyy``; the first four (the referenceId) unique among the owner's datasets."""
    table = context.table("datasets")
    while True:
        candidate = model.random_id()
        if not lookup.datasets_with_reference_id(kind, owner_name, candidate[:4]) and table.get(candidate) is None:
            return candidate


def new_record(kind: str, owner_name: str, fields: Record) -> Record:
    now = model.millis(context.now())
    record = {"id": new_id(kind, owner_name), "ownerKind": kind, "ownerName": owner_name,
              "name": fields["name"], "publicAccessLevel": fields.get("publicAccessLevel", "none"),
              "createdAt": now, "updatedAt": now, **model.DATASET_DEFAULTS,
              "description": fields.get("description"), "versions": [versions.new_version(0, now)]}
    return lookup.with_derived_fields(record)


def create(kind: str, owner_name: str, viewer: Record) -> Record:
    owner = _owner_or_404(kind, owner_name)
    if not lookup.can_edit(viewer, kind, owner):
        raise errors.forbidden()
    raw = schemas.parse_json(request.get_data())
    body = schemas.load(CREATE_DATASET_SCHEMA if "description" in raw else CREATE_WITHOUT_DESCRIPTION_SCHEMA, raw)
    with context.transaction():
        _check_unique(kind, owner["name"], body["name"])
        stored = context.table("datasets").put(new_record(kind, owner["name"], body))
    return model.dataset_get(stored, versions.pending(stored), editor=True)


def _merge_list(current: list[str], replace: list[str] | None, add: list[str] | None,
                remove: list[str] | None) -> list[str]:
    values = list(replace) if replace is not None else list(current)
    for value in add or []:
        if value not in values:
            values.append(value)
    return [v for v in values if v not in set(remove or [])]


def update(reference: str, viewer: Record) -> Record:
    resolved = resolve(reference, viewer)
    _require_editor(resolved)
    body = schemas.load(UPDATE_DATASET_SCHEMA, schemas.parse_json(request.get_data(), empty_ok=True))
    with context.transaction():
        dataset = context.table("datasets").get(resolved.dataset["id"])
        if dataset is None:
            raise errors.not_found(settings.MSG_DATASET_NOT_FOUND.format(reference=reference))
        if "name" in body:
            _check_unique(dataset["ownerKind"], dataset["ownerName"], body["name"], except_id=dataset["id"])
        changed = {k: body[k] for k in ("name", "publicAccessLevel", "description", "methodologyMarkdown",
                                        "usageMarkdown") if k in body}
        changed["labels"] = _merge_list(dataset.get("labels", []), body.get("labels"), body.get("labelsToAdd"),
                                        body.get("labelsToRemove"))
        changed["tags"] = _merge_list(dataset.get("tags", []), body.get("tags"), body.get("tagsToAdd"),
                                      body.get("tagsToRemove"))
        stored = context.table("datasets").put(lookup.with_derived_fields(
            {**dataset, **changed, "updatedAt": model.millis(context.now())}))
    version = next(v for v in stored["versions"] if v["index"] == resolved.version["index"])
    return model.dataset_get(stored, version, editor=True)


def delete(reference: str, viewer: Record) -> None:
    resolved = resolve(reference, viewer)
    _require_editor(resolved)
    with context.transaction():
        context.table("datasets").delete(resolved.dataset["id"])
        table_records.forget(resolved.dataset["id"])


def get(reference: str, viewer: Record | None) -> Record:
    resolved = resolve(reference, viewer)
    return model.dataset_get(resolved.dataset, resolved.version, resolved.editor)


def max_results() -> int:
    raw = request.args.get("maxResults")
    if raw is None or raw == "":
        return settings.DEFAULT_MAX_RESULTS
    try:
        value = int(raw)
    except ValueError:
        raise errors.invalid(settings.MSG_MAX_RESULTS) from None
    if value < 1:
        raise errors.invalid(settings.MSG_MAX_RESULTS)
    return value


def paginate(items: list[Record], key: str) -> tuple[list[Record], str | None]:
    """Sorted by id; the token is the id of the last item returned, null on the last page (as recorded)."""
    limit = max_results()
    token = request.args.get("pageToken") or None
    ordered = sorted(items, key=lambda item: item[key])
    if token is not None:
        ordered = [item for item in ordered if item[key] > token]
    chunk = ordered[:limit]
    return chunk, (chunk[-1][key] if len(ordered) > limit else None)


def list_for(kind: str, owner_name: str, viewer: Record | None) -> Record:
    owner = _owner_or_404(kind, owner_name)
    editor = lookup.can_edit(viewer, kind, owner)
    visible = []
    for dataset in lookup.datasets_of(kind, owner["name"]):
        version = versions.current(dataset) or (versions.pending(dataset) if editor else None)
        if version is not None and (editor or dataset["publicAccessLevel"] != "none"):
            visible.append((dataset, version))
    labels = [label for label in request.args.get("labels", "").split(",") if label]
    if labels:
        match = any if settings.LABELS_MATCH_ANY else all
        visible = [(d, v) for d, v in visible if match(label in d.get("labels", []) for label in labels)]
    by_id = {d["id"]: (d, v) for d, v in visible}
    chunk, token = paginate([d for d, _ in visible], "id")
    results = [model.dataset_list(d, by_id[d["id"]][1], editor) for d in chunk]
    return model.page("datasetList", results, token)


# ---- versions and tables -----------------------------------------------------------------------


def _store_versions(dataset: Record, new_versions: list[versions.Version]) -> Record:
    return context.table("datasets").put(lookup.with_derived_fields(
        {**dataset, "versions": new_versions, "updatedAt": model.millis(context.now())}))


def _fresh(resolved: Resolved, reference: str) -> Record:
    dataset = context.table("datasets").get(resolved.dataset["id"])
    if dataset is None:
        raise errors.not_found(settings.MSG_DATASET_NOT_FOUND.format(reference=reference))
    return dataset


def create_next_version(reference: str, viewer: Record) -> Record:
    resolved = resolve(reference, viewer, with_version=False)
    _require_editor(resolved)
    with context.transaction():
        dataset = _fresh(resolved, reference)
        if versions.pending(dataset) is not None:
            raise errors.invalid(settings.MSG_NEXT_EXISTS)
        index = max(v["index"] for v in dataset["versions"]) + 1
        created = versions.new_version(index, model.millis(context.now()))
        stored = _store_versions(dataset, [*dataset["versions"], created])
    return model.version_get(stored, created, editor=True)


def release(reference: str, viewer: Record) -> Record:
    resolved = resolve(reference, viewer, with_version=False)
    _require_editor(resolved)
    body = schemas.load(RELEASE_SCHEMA, schemas.parse_json(request.get_data(), empty_ok=True))
    with context.transaction():
        dataset = _fresh(resolved, reference)
        pending = versions.pending(dataset)
        if pending is None:
            raise errors.invalid(settings.MSG_NO_NEXT)
        released = {**pending, "tag": versions.release_tag(dataset), "isReleased": True,
                    "releaseNotes": body.get("releaseNotes"), "releasedAt": model.millis(context.now())}
        stored = _store_versions(dataset, versions.replace(dataset, released))
        table_records.freeze(dataset["id"], released["index"])
    return model.version_get(stored, released, editor=True)


def unrelease(reference: str, viewer: Record) -> Record:
    resolved = resolve(reference, viewer, with_version=False)
    _require_editor(resolved)
    with context.transaction():
        dataset = _fresh(resolved, reference)
        current = versions.current(dataset)
        if current is None:
            raise errors.invalid(settings.MSG_NO_CURRENT)
        if versions.pending(dataset) is not None:
            raise errors.invalid(settings.MSG_UNRELEASE_WITH_NEXT)
        reverted = {**current, "tag": None, "isReleased": False, "releasedAt": None}
        stored = _store_versions(dataset, versions.replace(dataset, reverted))
    return model.version_get(stored, reverted, editor=True)


def get_version(reference: str, tag: str, viewer: Record | None) -> Record:
    resolved = resolve(reference, viewer, with_version=False)
    dataset = resolved.dataset
    wanted = parse_reference(f"x.x:{tag}")
    version = None
    if wanted is not None and wanted.version is not None and wanted.reference_id is None and not wanted.sample:
        if wanted.version == "current":
            version = versions.current(dataset)
        elif wanted.version == "next":
            version = versions.pending(dataset) if resolved.editor else None
        else:
            version = versions.by_tag(dataset, wanted.version)
    if version is None:
        raise errors.not_found(settings.MSG_VERSION_NOT_FOUND.format(tag=tag))
    return model.version_get(dataset, version, resolved.editor)


def list_versions(reference: str, viewer: Record | None) -> Record:
    resolved = resolve(reference, viewer, with_version=False)
    dataset = resolved.dataset
    shown = [v for v in reversed(dataset["versions"]) if not v["isDeleted"]
             and (resolved.editor or v["isReleased"])]
    # Newest first; the token is the index of the last version returned.
    keyed = [{"key": f"{len(dataset['versions']) - v['index']:08d}", "version": v} for v in shown]
    chunk, token = paginate(keyed, "key")
    return model.page("versionList", [model.version_base(dataset, item["version"]) for item in chunk], token)
