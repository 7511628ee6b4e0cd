"""CKAN's navl validators with their exact messages, and the chain runner with navl's semantics.

A chain runs in order; ``Invalid`` records a message and the chain goes on; ``StopOnError`` stops it;
``Drop`` stops it and removes the key (``ignore_missing``, ``ignore``). ``MISSING`` is an absent key.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from marshmallow import missing as MISSING

from . import formats, lookup, quirks
from .auth import Caller, has_permission, setting
from .settings import (
    NAME_MAX_LENGTH,
    NAME_MIN_LENGTH,
    RELATIONSHIP_TYPES,
    RESERVED_NAMES,
    TAG_MAX_LENGTH,
    TAG_MIN_LENGTH,
    VERSION_MAX_LENGTH,
)

# CKAN's own patterns, matched as CKAN does: ``$`` lets a final newline through ("name\n" is a valid name in
# 2.11.5, observed), so these keep ``match`` where every other check of a name or id uses ``fullmatch``.
NAME_RE = re.compile(r"[a-z0-9_\-]*$")
TAG_RE = re.compile(r"[\w \-.]*$", re.UNICODE)
EMAIL_RE = re.compile(
    r"^(?!\.)(?!.*\.$)(?!.*?\.\.)"
    r"[a-zA-Z0-9.!#$%&'*+\/=?^_`{|}~-]+@[a-zA-Z0-9]"
    r"(?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9]"
    r"(?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"
)


class Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StopOnError(Exception):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        self.message = message


class Drop(Exception):
    """End the chain and leave the key out of the validated data."""


@dataclass
class Ctx:
    """What validators need besides the value: the caller, the raw body, the dataset being updated."""

    caller: Caller
    data: dict[str, Any]
    package: dict[str, Any] | None = None
    junk: list[tuple[Any, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_ctx: ContextVar[Ctx] = ContextVar("ckan_validation_ctx")


def current() -> Ctx:
    return _ctx.get()


def bind(ctx: Ctx):
    return _ctx.set(ctx)


def unbind(token) -> None:
    _ctx.reset(token)


Validator = Callable[[Any], Any]


def run_chain(value: Any, chain: Sequence[Validator]) -> tuple[Any, list[str]]:
    errors: list[str] = []
    # ``note`` appends straight to the chain's messages: a validator's notes come before its own message.
    _ctx.get().notes = errors
    for validator in chain:
        try:
            value = validator(value)
        except Invalid as exc:
            errors.append(exc.message)
        except StopOnError as exc:
            if exc.message:
                errors.append(exc.message)
            break
        except Drop:
            return MISSING, errors
    return value, errors


def note(message: str) -> None:
    """``errors[key].append(...)`` inside a validator that then goes on (it does not raise)."""
    current().notes.append(message)


# ---- generic navl validators ---------------------------------------------------------------------------


def ignore(value: Any) -> Any:
    raise Drop


def ignore_missing(value: Any) -> Any:
    if value is MISSING or value is None:
        raise Drop
    return value


def ignore_empty(value: Any) -> Any:
    if value is MISSING or value is None or value == "":
        raise Drop
    return value


#: Validators that drop an absent key without a message: a chain starting with one of them need not run
#: for an absent key (most keys of a create body are absent).
DROPS_MISSING: frozenset[Validator] = frozenset({ignore, ignore_missing, ignore_empty})


def not_missing(value: Any) -> Any:
    if value is MISSING:
        raise StopOnError("Missing value")
    return value


def not_empty(value: Any) -> Any:
    if value is MISSING or not value:
        raise StopOnError("Missing value")
    return value


def unicode_safe(value: Any) -> Any:
    """Strings pass; a float its ``str`` (NaN is "nan", as observed); anything else its JSON text (lists and
    dicts with sorted keys)."""
    if value is MISSING or isinstance(value, str):
        return value
    if isinstance(value, float):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf8", errors="replace")
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return str(value)


def strip_value(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def email_validator(value: Any) -> Any:
    if value and not EMAIL_RE.match(value):
        raise Invalid(f"Email {value} is not a valid format")
    return value


def package_version_validator(value: Any) -> Any:
    if len(value) > VERSION_MAX_LENGTH:
        raise Invalid(f"Version must be a maximum of {VERSION_MAX_LENGTH} characters long")
    return value


def empty_if_not_sysadmin(name: str) -> Validator:
    def check(value: Any) -> Any:
        if current().caller.sysadmin:
            return value
        if value is not MISSING and value:
            raise StopOnError(f"The input field {name} was not expected.")
        raise Drop
    return check


def ignore_not_sysadmin(value: Any) -> Any:
    if current().caller.sysadmin:
        return value
    raise Drop


def ignore_not_package_admin(value: Any) -> Any:
    """Only sysadmins set ``state`` on create; anyone allowed to update the dataset may change it there."""
    ctx = current()
    if ctx.caller.sysadmin or ctx.package is not None:
        return value
    raise Drop


def uuid_validator(value: Any) -> Any:
    if value is MISSING:
        return value
    try:
        uuid.UUID(value, version=4)
    except (TypeError, ValueError, AttributeError):
        raise Invalid("Invalid id provided") from None
    return value


def boolean_validator(value: Any) -> Any:
    if value is MISSING or value is None:
        return False
    if isinstance(value, bool):
        return value
    quirks.private_not_text(value)
    return value.lower() in ("true", "yes", "t", "y", "1")


def int_validator(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise Invalid("Invalid integer")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Invalid("Invalid integer") from None


def natural_number_validator(value: Any) -> Any:
    value = int_validator(value)
    quirks.blank_natural_number(value)
    if value < 0:
        raise Invalid("Must be a natural number")
    return value


def isodate(value: Any) -> Any:
    """``h.date_str_to_datetime`` as a validator; the result is kept as naive isoformat text."""
    if value == "":
        return None
    try:
        parts = re.split(r"[^\d]+", value, maxsplit=5)
        if len(parts) >= 6:
            match = re.match(r"(?P<seconds>\d{2})(\.(?P<microseconds>\d+))?$", parts[5])
            if not match:
                raise ValueError(parts[5])
            seconds = int(match.group("seconds"))
            micro = int((str(match.group("microseconds") or "0") + "00000")[0:6])
            parts = [*parts[:5], seconds, micro]
        return datetime(*map(int, parts)).isoformat()
    except (TypeError, ValueError, OverflowError):
        raise Invalid("Date format incorrect") from None


def one_of(choices: list[str]) -> Validator:
    def check(value: Any) -> Any:
        if value not in choices:
            raise Invalid(f"Value must be one of {choices}")
        return value
    return check


# ---- dataset-specific validators -----------------------------------------------------------------------


def name_validator(value: Any) -> Any:
    if not isinstance(value, str):
        raise Invalid("Names must be strings")
    if value in RESERVED_NAMES:
        raise Invalid("That name cannot be used")
    if len(value) < NAME_MIN_LENGTH:
        raise Invalid(f"Must be at least {NAME_MIN_LENGTH} characters long")
    if len(value) > NAME_MAX_LENGTH:
        raise Invalid(f"Name must be a maximum of {NAME_MAX_LENGTH} characters long")
    if not NAME_RE.match(value):
        raise Invalid("Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_")
    return value


def package_name_validator(value: Any) -> Any:
    quirks.name_not_text(value)
    ctx = current()
    taken = lookup.active_package_named(value)
    own_id = ctx.package["id"] if ctx.package else ctx.data.get("id")
    if taken is not None and taken["id"] != own_id:
        note("That URL is already in use.")
    if len(value) < NAME_MIN_LENGTH:
        raise Invalid(f'Name "{value}" length is less than minimum {NAME_MIN_LENGTH}')
    if len(value) > NAME_MAX_LENGTH:
        raise Invalid(f'Name "{value}" length is more than maximum {NAME_MAX_LENGTH}')
    return value


def package_id_does_not_exist(value: Any) -> Any:
    if isinstance(value, str) and lookup.package_by_id(value) is not None:
        note("Dataset id already exists")
    return value


def if_empty_same_as_name(value: Any) -> Any:
    if value is MISSING or not value:
        name = current().data.get("name", MISSING)
        return unicode_safe(name)
    return value


def owner_org_validator(value: Any) -> Any:
    ctx = current()
    if value is MISSING or value is None:
        if not setting("create_unowned_dataset"):
            raise Invalid("An organization must be provided")
        raise Drop
    if value == "":
        if not setting("create_unowned_dataset"):
            raise Invalid("An organization must be provided")
        return value
    group = lookup.group_or_org(value)
    if group is None:
        raise Invalid("Organization does not exist")
    changing = ctx.package is None or ctx.package.get("owner_org") != group["id"]
    if changing and not (ctx.caller.sysadmin or has_permission(group, ctx.caller, "create_dataset")):
        raise Invalid("You cannot add a dataset to this organization")
    return group["id"]


def no_org_cannot_be_private(value: Any) -> Any:
    ctx = current()
    if value is True and not ctx.data.get("owner_org"):
        owned = ctx.package is not None and ctx.package.get("owner_org")
        if not owned:
            raise Invalid("Datasets with no organization can't be private.")
    return value


def json_object(value: Any) -> Any:
    if not isinstance(value, dict):
        raise Invalid("The value should be a valid JSON object")
    return value


def tag_length_validator(value: Any) -> Any:
    if len(value) < TAG_MIN_LENGTH:
        raise Invalid(f'Tag "{value}" length is less than minimum {TAG_MIN_LENGTH}')
    if len(value) > TAG_MAX_LENGTH:
        raise Invalid(f'Tag "{value}" length is more than maximum {TAG_MAX_LENGTH}')
    return value


def tag_name_validator(value: Any) -> Any:
    if not TAG_RE.match(value):
        raise Invalid(f'Tag "{value}" can only contain alphanumeric characters, spaces (" "), '
                      'hyphens ("-"), underscores ("_") or dots (".")')
    return value


def vocabulary_id_exists(value: Any) -> Any:
    # The emulator has no tag vocabularies, so every vocabulary id is unknown.
    raise Invalid("Tag vocabulary was not found.")


def tag_string_pieces(value: Any) -> list[str]:
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [unicode_safe(t) for t in value]
    return [unicode_safe(value)]


def tag_string_convert(value: Any) -> Any:
    """Only the first bad tag is reported, as ``tag_string_convert`` raises on it."""
    pieces = tag_string_pieces(value)
    for tag in pieces:
        tag_length_validator(tag)
        tag_name_validator(tag)
    return pieces


def extra_key_not_in_root_schema(value: Any) -> Any:
    from .schemas import ROOT_FIELDS

    if isinstance(value, str) and value in ROOT_FIELDS:  # a list or dict key is a quirk (extras_key_unhashable)
        raise Invalid("There is a schema field with the same name")
    return value


def resource_id_does_not_exist(value: Any) -> Any:
    ctx = current()
    own_id = ctx.package["id"] if ctx.package else ctx.data.get("id")
    if lookup.resource_in_other_package(value, own_id if isinstance(own_id, str) else None):
        note("Resource id already exists.")
    return value


def guess_format_then_clean(value: Any, resource: dict[str, Any]) -> Any:
    """``if_empty_guess_format, ignore_missing, clean_format, unicode_safe``."""
    if (value is MISSING or not value) and not resource.get("id"):
        url = resource.get("url")
        quirks.url_not_text(url)
        guessed = formats.guess_mimetype(url) if url else None
        if guessed:
            value = guessed
    ignore_missing(value)
    value = unicode_safe(value)
    return formats.clean_format(value)


RELATIONSHIP_TYPE_CHAIN: list[Validator] = [not_empty, one_of(RELATIONSHIP_TYPES)]
