"""Request bodies and query strings, validated with the emulator's (ASSUMPTION) AiTEMS messages.

A request answers with the first failing field in declared order, which is the order of the documented checks.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from . import settings
from .errors import bad_request
from .settings import DATASET_TYPES, SERVICE_TYPES

BODY = "Request body must be a JSON object."
TYPE = "type must be one of user, item, interaction."
DATASET_TYPE = "datasetType must be one of user, item, interaction."
NAME = "name must be 3-20 characters of letters, digits, '_' or '-', starting with a letter."
DESCRIPTION = "description must be a string of 0-100 characters."
CONTENT = "content must be a string of 0-100 characters."
SCHEMA_NAME = "schemaName is required."
OS_INFO = "osInfo is invalid."
OS_INFO_FIELD = "osInfo.{} is invalid."
FIELDS = "fields must be a non-empty array."
FIELD_NAME = "fields[{}].name must be a non-empty string."
FIELD_TYPE = "fields[{}].type must be a non-empty array of string, int, long, boolean, null."
FIELD_CATEGORICAL = "fields[{}].categorical must be a boolean."
DUPLICATE_FIELD = "Duplicate field name: {}"
REQUIRED_FIELD = "A schema of type {} requires the field {}."
FIELD_OF_TYPE = "Field {} must be of type {}."
SERVICE_TYPE = "type must be one of batch, interval."
DATASET_IDS = "datasetIds must be an array of dataset IDs."
OFFSET = "offset must be a non-negative integer."
LIMIT = "limit must be a non-negative integer."

FIELD_TYPES = ("string", "int", "long", "boolean", "null")
# The user guide's required fields per dataset type, and the reserved keywords whose type is fixed.
REQUIRED_FIELDS: dict[str, dict[str, str]] = {
    "user": {"USER_ID": "string"},
    "item": {"ITEM_ID": "string"},
    "interaction": {"USER_ID": "string", "ITEM_ID": "string", "TIMESTAMP": "long"},
}
RESERVED_FIELDS: dict[str, dict[str, str]] = {
    "item": {"CATEGORY": "string", "CREATION_TIMESTAMP": "long"},
    "interaction": {"EVENT_TYPE": "string"},
}
DEFAULT_OFFSET, DEFAULT_LIMIT = 0, 1000


def _messages(message: str) -> dict[str, str]:
    return {"required": message, "null": message, "invalid": message}


def _string(message: str, required: bool = True, **kwargs: Any) -> fields.String:
    return fields.String(required=required, error_messages=_messages(message), **kwargs)


def _valid_name(value: str) -> None:
    if not settings.revision().name_re.fullmatch(value):
        raise ValidationError(NAME)


def _valid_region(value: str) -> None:
    if value not in settings.allowed_regions():
        raise ValidationError(OS_INFO_FIELD.format("region"))


class OsInfo(fields.Field):
    """``{region, bucket, key}``: each a non-empty string, the region one of the revision's."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise ValidationError(OS_INFO)
        for key in ("region", "bucket", "key"):
            if not isinstance(value.get(key), str) or not value[key]:
                raise ValidationError(OS_INFO_FIELD.format(key))
        _valid_region(value["region"])
        return {"region": value["region"], "bucket": value["bucket"], "key": value["key"]}


class SchemaFields(fields.Field):
    """``[{name, type: [..], categorical?}]`` with unique names."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not value:
            raise ValidationError(FIELDS)
        result, seen = [], set()
        for index, item in enumerate(value):
            item = item if isinstance(item, dict) else {}
            name, types = item.get("name"), item.get("type")
            if not isinstance(name, str) or not name:
                raise ValidationError(FIELD_NAME.format(index))
            if (not isinstance(types, list) or not types
                    or not all(isinstance(t, str) and t in FIELD_TYPES for t in types)):
                raise ValidationError(FIELD_TYPE.format(index))
            categorical = item.get("categorical", False)
            if not isinstance(categorical, bool):
                raise ValidationError(FIELD_CATEGORICAL.format(index))
            if name in seen:
                raise ValidationError(DUPLICATE_FIELD.format(name))
            seen.add(name)
            result.append({"name": name, "type": list(types), "categorical": categorical})
        return result


class _Base(Schema):
    class Meta:
        unknown = EXCLUDE  # the real service ignores fields it does not know


class DatasetCreate(_Base):
    type = _string(TYPE, validate=validate.OneOf(DATASET_TYPES, error=TYPE))
    name = _string(NAME, validate=_valid_name)
    description = _string(DESCRIPTION, validate=validate.Length(max=100, error=DESCRIPTION))
    schemaName = _string(SCHEMA_NAME, validate=validate.Length(min=1, error=SCHEMA_NAME))
    osInfo = OsInfo(required=True, error_messages=_messages(OS_INFO))


class DatasetEdit(DatasetCreate):
    """The edit call takes the create fields, each optional, under the same rules (ASSUMPTION)."""

    type = _string(TYPE, required=False, validate=validate.OneOf(DATASET_TYPES, error=TYPE))
    name = _string(NAME, required=False, validate=_valid_name)
    description = _string(DESCRIPTION, required=False, validate=validate.Length(max=100, error=DESCRIPTION))
    schemaName = _string(SCHEMA_NAME, required=False, validate=validate.Length(min=1, error=SCHEMA_NAME))
    osInfo = OsInfo(required=False, error_messages=_messages(OS_INFO))


class SchemaCreate(_Base):
    datasetType = _string(DATASET_TYPE, validate=validate.OneOf(DATASET_TYPES, error=DATASET_TYPE))
    name = _string(NAME, validate=_valid_name)
    field_list = SchemaFields(required=True, data_key="fields", error_messages=_messages(FIELDS))
    description = _string(DESCRIPTION, required=False, load_default="",
                          validate=validate.Length(max=100, error=DESCRIPTION))

    @validates_schema
    def required_fields(self, data: dict[str, Any], **kwargs: Any) -> None:
        types_by_name = {f["name"]: f["type"] for f in data["field_list"]}
        kind = data["datasetType"]
        for name in REQUIRED_FIELDS[kind]:
            if name not in types_by_name:
                raise ValidationError(REQUIRED_FIELD.format(kind, name))
        for name, wanted in {**REQUIRED_FIELDS[kind], **RESERVED_FIELDS.get(kind, {})}.items():
            if name in types_by_name and wanted not in types_by_name[name]:
                raise ValidationError(FIELD_OF_TYPE.format(name, wanted))


class SchemaDescription(_Base):
    content = _string(CONTENT, validate=validate.Length(max=100, error=CONTENT))


class ServiceCreate(_Base):
    name = _string(NAME, validate=_valid_name)
    description = _string(DESCRIPTION, required=False, load_default="",
                          validate=validate.Length(max=100, error=DESCRIPTION))
    type = _string(SERVICE_TYPE, required=False, load_default=SERVICE_TYPES[0],
                   validate=validate.OneOf(SERVICE_TYPES, error=SERVICE_TYPE))


class ServiceDatasets(_Base):
    datasetIds = fields.List(fields.String(error_messages=_messages(DATASET_IDS)), required=True,
                             error_messages=_messages(DATASET_IDS))


def _non_negative(message: str) -> fields.Integer:
    return fields.Integer(load_default=None, error_messages=_messages(message),
                          validate=validate.Range(min=0, error=message))


class Page(_Base):
    offset = _non_negative(OFFSET)
    limit = _non_negative(LIMIT)


class SchemaPage(Page):
    datasetType = _string(DATASET_TYPE, required=False, validate=validate.OneOf(DATASET_TYPES, error=DATASET_TYPE))


class DefaultSchemaQuery(_Base):
    datasetType = _string(DATASET_TYPE, validate=validate.OneOf(DATASET_TYPES, error=DATASET_TYPE))


def first_message(schema: Schema, messages: dict[str, Any]) -> str:
    for name in [*(field.data_key or name for name, field in schema.fields.items()), "_schema"]:
        if name in messages:
            found = messages[name]
            while not isinstance(found, str):
                found = next(iter(found.values())) if isinstance(found, dict) else found[0]
            return found
    return BODY


def load(schema: Schema, data: Any) -> dict[str, Any]:
    """The validated body, or the provider's 400 naming the first problem."""
    if not isinstance(data, dict):
        raise bad_request(BODY)
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise bad_request(first_message(schema, exc.messages)) from None


def page_args(schema: Schema, args: dict[str, str]) -> dict[str, Any]:
    values = load(schema, args)
    offset = DEFAULT_OFFSET if values.get("offset") is None else values["offset"]
    limit = DEFAULT_LIMIT if values.get("limit") is None else values["limit"]
    return {**values, "offset": offset, "limit": limit}
