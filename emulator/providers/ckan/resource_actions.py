"""The resource actions (``resource_create/show/update/patch/delete``): each is a ``package_update`` of the
resource's dataset, whose validation errors for that resource become the action's own."""

from __future__ import annotations

from typing import Any

from emulator import context
from emulator.providers.base import Record

from . import auth, lookup, model, uploads
from .auth import Caller
from .errors import NotAuthorized, NotFound, ValidationError
from .service import Action, existing_package, get_or_bust, update


def _entry_errors(exc: ValidationError, position: int) -> ValidationError:
    """The failing resource's errors when there are some, else the whole error dict."""
    try:
        return ValidationError(exc.error_dict["resources"][position])
    except (KeyError, IndexError, TypeError):
        return exc


def _may_edit(caller: Caller, package: Record) -> bool:
    """``package_update`` auth for ``{"id": package id}`` (no groups to check)."""
    try:
        auth.check_package_update(caller, package, {"id": package["id"]})
    except NotAuthorized:
        return False
    return True


def _holder(data: dict[str, Any]) -> tuple[str, Record, Record | None]:
    resource_id = get_or_bust(data, "id")
    found = lookup.resource_holder(resource_id)
    if found is None:
        raise NotFound()
    return resource_id, *found


def _shown(package: Record, resource_id: str) -> tuple[dict[str, Any], int]:
    """``package_show`` of the holder and the resource's position in it (a deleted one is not there)."""
    shown = model.package_dict(package)
    position = next((n for n, r in enumerate(shown["resources"]) if r["id"] == resource_id), None)
    if position is None:
        raise NotFound("Resource was not found.")
    return shown, position


def resource_show(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    resource_id, package, _ = _holder(data)
    if not auth.can_read(caller, package):
        raise NotAuthorized(f"User {caller.name} not authorized to read resource {resource_id}")
    shown, position = _shown(package, resource_id)
    return shown["resources"][position]


def resource_create(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    package_ref = get_or_bust(data, "package_id")
    if not data.get("url"):
        data["url"] = ""
    # package_show({"id": package_id}): an empty id falls back to the missing name_or_id.
    package = existing_package(package_ref or get_or_bust({}, "name_or_id"))
    auth.check_package_show(caller, package)
    if not _may_edit(caller, package):
        raise NotAuthorized(f"User {caller.name} not authorized to create resources on dataset {package_ref}")
    had_size, given_size = "size" in data, data.get("size")
    file = uploads.take_upload(data, model.timestamp(context.now()))
    if had_size:
        data["size"] = given_size  # resource_create fills size only when it is not given
    shown = model.package_dict(package)
    position = len(shown["resources"])
    shown["resources"].append(data)
    try:
        record, _ = update(caller, shown, package, {position: file} if file else None)
    except ValidationError as exc:
        raise _entry_errors(exc, -1) from None
    return model.resource_dict(record["resources"][-1], record["id"])


def resource_update(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    resource_id = get_or_bust(data, "id")
    if not data.get("url"):
        data["url"] = ""
    found = lookup.resource_holder(resource_id)
    if found is None:
        raise NotFound("Resource was not found.")
    package = found[0]
    if not _may_edit(caller, package):
        raise NotAuthorized(f"User {caller.name} not authorized to edit resource {resource_id}")
    shown, position = _shown(package, resource_id)
    shown["resources"][position] = data
    try:
        record, _ = update(caller, shown, package)
    except ValidationError as exc:
        raise _entry_errors(exc, position) from None
    return model.resource_dict(next(r for r in record["resources"] if r["id"] == resource_id), record["id"])


def resource_patch(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    if not caller.sysadmin:
        if not data.get("id"):
            raise ValidationError({"message": "Missing id, can not get Resource object"})
        resource_id, package, _ = _holder(data)
        if not _may_edit(caller, package):
            raise NotAuthorized(f"User {caller.name} not authorized to edit resource {resource_id}")
    shown = resource_show(caller, {"id": get_or_bust(data, "id")})
    return resource_update(caller, {**shown, **data})


def resource_delete(caller: Caller, data: dict[str, Any]) -> None:
    resource_id, package, _ = _holder(data)
    if not caller.sysadmin:
        try:
            auth.check_package_update(caller, package, {"id": package["id"]})  # package_delete's auth
        except NotAuthorized:
            raise NotAuthorized(f"User {caller.name} not authorized to delete resource {resource_id}") from None
    shown = model.package_dict(package)
    shown["resources"] = [r for r in shown["resources"] if r["id"] != resource_id]
    try:
        update(caller, shown, package)
    except ValidationError as exc:
        raise _entry_errors(exc, -1) from None
    return None


RESOURCE_ACTIONS: dict[str, Action] = {
    "resource_create": Action(resource_create),
    "resource_show": Action(resource_show, side_effect_free=True),
    "resource_update": Action(resource_update),
    "resource_patch": Action(resource_patch),
    "resource_delete": Action(resource_delete),
}
