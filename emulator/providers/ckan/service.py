"""The action functions (``ckan/logic/action``): auth, then structure, then validation, then save."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import marshmallow

from emulator import context
from emulator.providers.base import Record

from . import auth, lookup, model, quirks, structure, uploads
from . import validators as v
from .auth import Caller
from .errors import NotFound, ValidationError
from .request_data import Upload
from .schemas import PackageSchema, UpdatePackageSchema, ckan_errors, load


@dataclass(frozen=True)
class Action:
    run: Callable[[Caller, dict[str, Any]], Any]
    #: Side-effect-free actions accept GET with query parameters.
    side_effect_free: bool = False


def _validate(schema: type[PackageSchema], data: dict[str, Any], caller: Caller, package: Record | None,
              junk: list[Any]) -> dict[str, Any]:
    token = v.bind(v.Ctx(caller=caller, data=data, package=package, junk=junk))
    try:
        return load(schema, data)
    except marshmallow.ValidationError as exc:
        lengths = {key: len([e for e in data[key] if e]) for key in structure.SUBSCHEMAS
                   if isinstance(data.get(key), list)}
        raise ValidationError(ckan_errors(exc.messages, lengths)) from None
    finally:
        v.unbind(token)


def _taken_meanwhile(valid: dict[str, Any], own_id: str | None) -> bool:
    """Whether another dataset now holds the validated name, or the id a new dataset asked for."""
    if "name" not in valid:  # an update that keeps the name
        return False
    holder = lookup.active_package_named(valid["name"])
    if holder is not None and holder["id"] != (own_id or valid.get("id")):
        return True
    return own_id is None and bool(valid.get("id")) and lookup.package_by_id(valid["id"]) is not None


def get_or_bust(data: dict[str, Any], key: str) -> Any:
    if key not in data:
        raise ValidationError({key: ["Missing value"]})
    return data[key]


def existing_package(ref: Any) -> Record:
    quirks.package_ref_not_text(ref)
    package = lookup.package(ref)
    if package is None:
        raise NotFound()
    return package


def asbool(value: Any) -> bool:
    """``ckan.common.asbool``."""
    quirks.bool_text(value)
    return value.strip().lower() in quirks.TRUTHY if isinstance(value, str) else bool(value)


def _auth_object(data: dict[str, Any]) -> Record:
    """``get_package_object`` of the auth functions (skipped for sysadmins): the dataset named by ``id`` only."""
    if not data.get("id"):
        raise ValidationError({"message": "Missing id, can not get Package object"})
    return existing_package(data["id"])


def _save(record: Record) -> None:
    """The INSERT or UPDATE, then ``package_owner_org_update``, before anything is committed."""
    quirks.nul_in_saved_text(record)
    if record.get("owner_org") and lookup.organization(record["owner_org"]) is None:
        raise NotFound("Organization was not found.")  # owner_org named a group: the validator took any group
    context.table("packages").put(record)


def package_create(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    if "type" not in data:
        data["type"] = "dataset"
    auth.check_package_create(caller, data)
    junk = structure.check(data)
    # Validation only reads the store and is most of a create, so it runs outside the store lock (a
    # thread preempted while holding the lock stalls every other request); what it checked against
    # other datasets is checked again under the lock, as CKAN's unique constraints do at commit.
    valid = _validate(PackageSchema, data, caller, None, junk)
    with context.transaction():
        if _taken_meanwhile(valid, None):
            valid = _validate(PackageSchema, data, caller, None, junk)  # reports the clash as CKAN words it
        record = model.build_package(valid, caller, None)
        packages = context.table("packages")
        renamed = [{**old, "name": old["id"]} for old in packages.find(name=record["name"])]
        _save(record)
        for old in renamed:
            # The name of a deleted dataset is freed by renaming it to its id.
            packages.put(old)
    return model.package_dict(record, include_plugin_data=caller.sysadmin and bool(valid.get("plugin_data")))


def package_show(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    ref = data.get("id") or get_or_bust(data, "name_or_id")
    include_plugin_data = asbool(data.get("include_plugin_data", False)) and caller.sysadmin
    package = existing_package(ref)
    if not caller.sysadmin:
        _auth_object(data)
    auth.check_package_show(caller, package)
    asbool(data.get("use_default_schema", False))
    return model.package_dict(package, include_plugin_data=include_plugin_data)


def package_delete(caller: Caller, data: dict[str, Any]) -> None:
    ref = get_or_bust(data, "id")
    package = existing_package(ref)
    auth.check_package_update(caller, package, data)
    with context.transaction():
        modified = model.timestamp(context.now())
        # CKAN removes the memberships whose table_id equals the given id: deleting by name keeps them.
        groups = [] if ref == package["id"] else package.get("groups", [])
        context.table("packages").put({**package, "state": "deleted", "groups": groups,
                                       "metadata_modified": modified})
    return None


def _take_uploads(resources: Any, pending: dict[int, Upload]) -> dict[int, Upload]:
    """``package_update`` builds an uploader per resource first: it pops each file (keyed by the resource's
    position once empty entries are dropped) and guesses a missing ``mimetype``."""
    quirks.update_resources_not_dicts(resources)
    now = model.timestamp(context.now())
    files = dict(pending)
    for position, resource in enumerate(r for r in resources if r):
        file = uploads.take_upload(resource, now)
        if file is not None:
            files[position] = file
    return files


def update(caller: Caller, data: dict[str, Any], package: Record,
           pending: dict[int, Upload] | None = None) -> tuple[Record, bool]:
    """``package_update`` after its look-up: the stored dataset, and whether to show its ``plugin_data``.

    ``pending`` holds files an action already took from its resources (by position).
    """
    data["type"] = package.get("type") or "dataset"  # immutable, even for a sysadmin
    auth.check_package_update(caller, package, data)
    files = _take_uploads(data["resources"], pending or {}) if "resources" in data else dict(pending or {})
    junk = structure.check(data)
    valid = _validate(UpdatePackageSchema, data, caller, package, junk)  # outside the lock: see package_create
    for file in files.values():
        uploads.check_size(file)
    with context.transaction():
        if _taken_meanwhile(valid, package["id"]):
            valid = _validate(UpdatePackageSchema, data, caller, package, junk)
        record = model.build_package(valid, caller, package)
        _save(record)
        for position, file in files.items():
            uploads.store(record["resources"][position]["id"], file)
    return record, caller.sysadmin and bool(valid.get("plugin_data"))


def package_update(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    """The action: full replace. Absent lists and text fields are cleared; ``name``, ``owner_org``,
    ``private`` and ``state`` are kept when absent, and an absent ``title`` becomes the name."""
    ref = data.get("id") or data.get("name")
    if ref is None:
        raise ValidationError({"id": "Missing value"})  # a bare string here, unlike get_or_bust
    quirks.package_ref_not_text(ref)
    package = lookup.package(ref)
    if package is None:
        raise NotFound("Package was not found.")
    data["id"] = package["id"]
    record, plugin_data = update(caller, data, package)
    return model.package_dict(record, include_plugin_data=plugin_data)


def package_patch(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    if not caller.sysadmin:
        auth.check_package_update(caller, _auth_object(data), data)
    # package_show({"id": id}): an empty id falls back to the missing name_or_id.
    package = existing_package(get_or_bust(data, "id") or get_or_bust({}, "name_or_id"))
    shown = model.package_dict(package)
    record, plugin_data = update(caller, {**shown, **data, "id": package["id"]}, package)
    return model.package_dict(record, include_plugin_data=plugin_data)


def package_list(caller: Caller, data: dict[str, Any]) -> list[str]:
    errors: dict[str, list[str]] = {}
    paging: dict[str, int | None] = {}
    token = v.bind(v.Ctx(caller=caller, data=data))
    try:
        for key in ("limit", "offset"):
            value, messages = v.run_chain(data.get(key, v.MISSING), [v.ignore_missing, v.natural_number_validator])
            if messages:
                errors[key] = messages
            paging[key] = None if value is v.MISSING else value
    finally:
        v.unbind(token)
    if errors:
        raise ValidationError(errors)
    names = sorted(p["name"] for p in context.table("packages").all()
                   if p.get("state") == "active" and not p.get("private"))
    offset, limit = paging["offset"], paging["limit"]
    if offset:
        names = names[offset:]
    if limit:
        names = names[:limit]
    return names


ACTIONS: dict[str, Action] = {
    "package_create": Action(package_create),
    "package_show": Action(package_show, side_effect_free=True),
    "package_list": Action(package_list, side_effect_free=True),
    "package_delete": Action(package_delete),
    "package_patch": Action(package_patch),
    "package_update": Action(package_update),
}
