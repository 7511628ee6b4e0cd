"""The ``package_create``/``package_update`` request body as marshmallow schemas.

Each field carries CKAN's validator chain (``validators.py``) and so its exact messages; navl semantics
(several messages per key, absent keys still validated) come from the ``Navl`` field. ``load`` errors are
turned into CKAN's error dict by ``ckan_errors``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from marshmallow import EXCLUDE, INCLUDE, Schema, ValidationError, fields, pre_load, validates_schema

from . import quirks
from . import validators as v
from .structure import SUBSCHEMAS, junk_message
from .validators import MISSING


class Navl(fields.Field):
    """A field validated by a CKAN validator chain; absent keys (``missing``) run the chain too."""

    def __init__(self, *chain: v.Validator, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chain = chain
        self.drops_missing = bool(chain) and chain[0] in v.DROPS_MISSING

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> Any:
        if value is MISSING and self.drops_missing:
            return MISSING
        result, errors = v.run_chain(value, self.chain)
        if errors:
            raise ValidationError(errors)
        return result


class ResourceFormat(Navl):
    """``if_empty_guess_format`` needs the resource's url and id."""

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> Any:
        try:
            return v.guess_format_then_clean(value, data or {})
        except v.Drop:
            return MISSING


def _text(*extra: v.Validator) -> Navl:
    return Navl(v.ignore_missing, v.unicode_safe, *extra)


class ResourceSchema(Schema):
    class Meta:
        unknown = INCLUDE  # resource extras become top-level resource keys

    id = Navl(v.ignore_empty, v.unicode_safe, v.uuid_validator, v.resource_id_does_not_exist)
    package_id = Navl(v.ignore)
    url = _text()
    description = _text()
    format = ResourceFormat()
    hash = _text()
    state = Navl(v.ignore)
    position = Navl(v.ignore)
    name = _text()
    resource_type = _text()
    url_type = _text()
    mimetype = _text()
    mimetype_inner = _text()
    cache_url = _text()
    size = Navl(v.ignore_missing, v.int_validator)
    created = Navl(v.ignore_missing, v.isodate)
    last_modified = Navl(v.ignore_missing, v.isodate)
    cache_last_updated = Navl(v.ignore_missing, v.isodate)
    metadata_modified = Navl(v.ignore)
    extras = Navl(v.ignore)
    revision_timestamp = Navl(v.ignore)


class TagSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = Navl(v.not_missing, v.not_empty, v.unicode_safe, v.tag_length_validator, v.tag_name_validator)
    vocabulary_id = Navl(v.ignore_missing, v.unicode_safe, v.vocabulary_id_exists)


class ExtraSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = Navl(v.ignore_missing, v.empty_if_not_sysadmin("id"), v.uuid_validator)
    key = Navl(v.not_empty, v.extra_key_not_in_root_schema, v.unicode_safe)
    value = Navl(v.not_missing)
    deleted = Navl(v.ignore_missing)


class GroupRefSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = _text()
    name = _text()
    title = _text()


class RelationshipSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    type = Navl(*v.RELATIONSHIP_TYPE_CHAIN)


def _list_of(schema: type[Schema]) -> fields.List:
    return fields.List(fields.Nested(schema))


class PackageSchema(Schema):
    """``default_create_package_schema`` (2.11.5); unknown top-level keys are dropped (``__extras: ignore``)."""

    class Meta:
        unknown = EXCLUDE

    id = Navl(v.ignore_missing, v.empty_if_not_sysadmin("id"), v.uuid_validator, v.package_id_does_not_exist,
              v.unicode_safe)
    name = Navl(v.not_empty, v.unicode_safe, v.name_validator, v.package_name_validator)
    title = Navl(v.if_empty_same_as_name, v.unicode_safe)
    author = _text()
    author_email = _text(v.strip_value, v.email_validator)
    maintainer = _text()
    maintainer_email = _text(v.strip_value, v.email_validator)
    license_id = _text()
    notes = _text()
    url = _text()
    version = _text(v.package_version_validator)
    # CKAN's order is ignore_not_package_admin, ignore_missing; either way round an absent or null state is
    # dropped without a message and a present one meets the same check, and this way round ``load`` may skip it.
    state = Navl(v.ignore_missing, v.ignore_not_package_admin)
    type = _text()
    owner_org = Navl(v.owner_org_validator, v.unicode_safe)
    private = Navl(v.ignore_missing, v.boolean_validator, v.no_org_cannot_be_private)
    plugin_data = Navl(v.ignore_missing, v.json_object, v.ignore_not_sysadmin)
    tag_string = Navl(v.ignore_missing, v.tag_string_convert)
    resources = _list_of(ResourceSchema)
    tags = _list_of(TagSchema)
    extras = _list_of(ExtraSchema)
    groups = _list_of(GroupRefSchema)
    relationships_as_object = _list_of(RelationshipSchema)
    relationships_as_subject = _list_of(RelationshipSchema)

    @pre_load
    def drop_empty_entries(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """A ``{}`` entry flattens to nothing and vanishes; an empty or null list field is ignored."""
        cleaned = dict(data)
        for key in SUBSCHEMAS:
            if key in cleaned:
                if cleaned[key]:
                    cleaned[key] = [_unflattened(entry) for entry in cleaned[key] if entry]
                if not cleaned[key]:
                    del cleaned[key]
        return cleaned

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def before_and_junk(self, data: dict[str, Any], original_data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        duplicate = duplicate_extras_key(original_data.get("extras"))
        if duplicate is not None:
            errors["extras_validation"] = [f'Duplicate key "{duplicate}"']
        junk = v.current().junk
        if junk:
            errors["__junk"] = [junk_message(junk)]
        else:
            quirks.junk_key(original_data)
        if errors:
            raise ValidationError(errors)


def _unflattened(entry: dict[str, Any]) -> dict[str, Any]:
    """navl flattens a key holding a list of objects into junk, so the entry's own schema finds it missing."""
    return {k: val for k, val in entry.items() if not (isinstance(val, list) and val and isinstance(val[0], dict))}


#: Top-level keys of the create schema (an extra may not be named like one of them).
ROOT_FIELDS = frozenset({*PackageSchema().fields, "__before", "__extras", "__junk", "save", "return_to"})


def duplicate_extras_key(extras: Any) -> str | None:
    if not isinstance(extras, list):
        return None
    seen: set[Any] = set()
    for extra in extras:
        if not isinstance(extra, dict) or not extra or extra.get("deleted"):
            continue
        key = extra.get("key")
        quirks.extras_key_unhashable(key)
        if key in seen:
            return key
        seen.add(key)
    return None


def ckan_errors(messages: dict[str, Any], lengths: dict[str, int]) -> dict[str, Any]:
    """marshmallow's error dict -> CKAN's: sub-schema lists keep ``{}`` placeholders, tags are flattened."""
    result: dict[str, Any] = {}
    for key, value in messages.items():
        if key in SUBSCHEMAS and isinstance(value, dict):
            entries = [dict(sorted(value.get(i, {}).items())) for i in range(lengths.get(key, 0))]
            result[key] = _flatten_tag_errors(entries) if key == "tags" else entries
        else:
            result[key] = value
    return {k: val for k, val in result.items() if val}


def _flatten_tag_errors(entries: list[dict[str, Any]]) -> list[Any]:
    flat: list[Any] = []
    for entry in entries:
        if "name" in entry:
            flat.append(", ".join(entry["name"]))
        elif entry:
            flat.append(entry)
    return flat


class UpdatePackageSchema(PackageSchema):
    """``default_update_package_schema``: the id is the dataset's own and is not revalidated; ``name``,
    ``title`` and ``owner_org`` may be left out."""

    id = Navl(v.ignore)
    name = Navl(v.ignore_missing, v.name_validator, v.package_name_validator, v.unicode_safe)
    title = _text()
    owner_org = Navl(v.ignore_missing, v.owner_org_validator, v.unicode_safe)


def _absent_stays_absent(field: fields.Field) -> bool:
    """A chain that drops an absent key, and a sub-schema list, leave the key out without a message."""
    return isinstance(field, fields.List) or (isinstance(field, Navl) and field.drops_missing)


#: Per schema, the keys whose absence needs no loading.
_SKIPPABLE: dict[type[PackageSchema], frozenset[str]] = {
    schema: frozenset(name for name, field in schema().fields.items() if _absent_stays_absent(field))
    for schema in (PackageSchema, UpdatePackageSchema)
}


@lru_cache(maxsize=256)
def _schema_for(schema: type[PackageSchema], present: frozenset[str]) -> PackageSchema:
    # Keyed by field names only, so nothing stored can make an entry stale; built once per shape of body
    # (building a schema deep-copies its fields).
    return schema(only=[name for name, field in schema().fields.items()
                        if name in present or name not in _SKIPPABLE[schema]])


def load(schema: type[PackageSchema], data: dict[str, Any]) -> dict[str, Any]:
    """``schema().load(data)``, through a schema that declares a skippable field only if the body has its key.

    Most keys of a create are absent, and marshmallow's per-field work costs more than the chain that would
    drop them.
    """
    return _schema_for(schema, _SKIPPABLE[schema].intersection(data)).load(data)
