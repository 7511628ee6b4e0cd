"""Request bodies, with the messages the emulator answers in 400 ``invalid_request`` errors."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from emulator import jsontext

from . import errors, settings
from .names import escaped

PUBLIC_ACCESS_LEVELS = ("none", "overview", "metadata", "sample", "data")
DESCRIPTION_MAX = 256


def _messages(message: str) -> dict[str, str]:
    return {"required": message, "null": message, "invalid": message, "type": message}


def _has_word(value: str) -> None:
    if not escaped(value):
        raise ValidationError(settings.MSG_NAME_EMPTY)


def _name(required: bool) -> fields.String:
    return fields.String(required=required, error_messages=_messages(settings.MSG_NAME), validate=_has_word)


def _level(required: bool) -> fields.String:
    return fields.String(required=required, error_messages=_messages(settings.MSG_LEVEL),
                         validate=validate.OneOf(PUBLIC_ACCESS_LEVELS, error=settings.MSG_LEVEL))


def _description() -> fields.String:
    return fields.String(allow_none=True, error_messages=_messages(settings.MSG_DESCRIPTION),
                         validate=validate.Length(max=DESCRIPTION_MAX, error=settings.MSG_DESCRIPTION))


def _markdown(field: str) -> fields.String:
    return fields.String(allow_none=True, error_messages=_messages(settings.MSG_MARKDOWN.format(field=field)))


def _strings(field: str) -> fields.List:
    message = settings.MSG_STRING_LIST.format(field=field)
    return fields.List(fields.String(error_messages=_messages(message)), error_messages=_messages(message))


class TagName(fields.Field):
    """A tag given as ``"india"`` or as ``{"name": "india"}`` (the shape the API returns)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, dict):
            value = value.get("name")
        if not isinstance(value, str):
            raise self.make_error("invalid")
        return value


def _tags(field: str) -> fields.List:
    message = settings.MSG_TAGS.format(field=field)
    return fields.List(TagName(error_messages=_messages(message)), error_messages=_messages(message))


class CreateDatasetSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = _name(required=True)
    publicAccessLevel = _level(required=True)
    # The Python client always sends the key; null means no description.
    description = _description()


class UpdateDatasetSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = _name(required=False)
    publicAccessLevel = _level(required=False)
    description = _description()
    methodologyMarkdown = _markdown("methodologyMarkdown")
    usageMarkdown = _markdown("usageMarkdown")
    labels = _strings("labels")
    labelsToAdd = _strings("labelsToAdd")
    labelsToRemove = _strings("labelsToRemove")
    tags = _tags("tags")
    tagsToAdd = _tags("tagsToAdd")
    tagsToRemove = _tags("tagsToRemove")


class ReleaseSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    releaseNotes = fields.String(allow_none=True, error_messages=_messages(settings.MSG_RELEASE_NOTES))


def _first_message(error: Any) -> str:
    if isinstance(error, str):
        return error
    if isinstance(error, dict):
        return _first_message(next(iter(error.values())))
    return _first_message(error[0])


def parse_json(raw: bytes, *, empty_ok: bool = False) -> dict[str, Any]:
    """The request body as an object, or 400 ``Request body must be valid JSON``."""
    if empty_ok and not raw.strip():
        return {}
    try:
        body = jsontext.loads(raw)
    except ValueError:
        raise errors.invalid(settings.MSG_BAD_JSON) from None
    if body is None and empty_ok:
        return {}
    if not isinstance(body, dict):
        raise errors.invalid(settings.MSG_BAD_JSON)
    return body


def load(schema: Schema, body: dict[str, Any]) -> dict[str, Any]:
    """Validated fields, or the first failure in declaration order (the order the checks run in)."""
    try:
        return schema.load(body)
    except ValidationError as exc:
        messages = exc.normalized_messages()
        for field in schema.fields:
            if field in messages:
                raise errors.invalid(_first_message(messages[field])) from None
        raise errors.invalid(settings.MSG_BAD_JSON) from None


# ---- tables and uploads ----------------------------------------------------------------------------


def _flag(field: str) -> fields.Boolean:
    message = settings.MSG_BOOLEAN.format(field=field)
    return fields.Boolean(allow_none=True, truthy={True}, falsy={False}, error_messages=_messages(message))


def _text(field: str) -> fields.String:
    return fields.String(allow_none=True, error_messages=_messages(settings.MSG_STRING.format(field=field)))


def _merge_strategy() -> fields.String:
    return fields.String(error_messages=_messages(settings.MSG_MERGE_STRATEGY),
                         validate=validate.OneOf(settings.MERGE_STRATEGIES, error=settings.MSG_MERGE_STRATEGY))


class CreateTableSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, error_messages=_messages(settings.MSG_TABLE_NAME), validate=_has_word)
    description = _description()
    uploadMergeStrategy = _merge_strategy()
    isFileIndex = _flag("isFileIndex")


class UpdateTableSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(error_messages=_messages(settings.MSG_TABLE_NAME), validate=_has_word)
    description = _description()
    uploadMergeStrategy = _merge_strategy()


class TempUploadSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    size = fields.Integer(required=True, strict=True, validate=validate.Range(min=0),
                          error_messages=_messages(settings.MSG_TEMP_UPLOADS))
    name = fields.String(required=True, error_messages=_messages(settings.MSG_TEMP_UPLOADS))
    resumable = fields.Boolean(truthy={True}, falsy={False}, error_messages=_messages(settings.MSG_TEMP_UPLOADS))


class TempUploadsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    tempUploads = fields.List(fields.Nested(TempUploadSchema, error_messages=_messages(settings.MSG_TEMP_UPLOADS)),
                              required=True, validate=validate.Length(min=1, max=1000, error=settings.MSG_TEMP_UPLOADS),
                              error_messages=_messages(settings.MSG_TEMP_UPLOADS))


class SchemaVariable(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, validate=_has_word, error_messages=_messages(settings.MSG_SCHEMA))
    type = fields.String(required=True, validate=validate.OneOf(settings.VARIABLE_TYPES, error=settings.MSG_SCHEMA),
                         error_messages=_messages(settings.MSG_SCHEMA))


_NULL_MARKERS_MESSAGES = _messages(settings.MSG_STRING_LIST.format(field="nullMarkers"))


class UploadSchema(Schema):
    """The client sends every key, most of them null."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, validate=validate.Length(max=1024, error=settings.MSG_UPLOAD_NAME),
                         error_messages=_messages(settings.MSG_UPLOAD_NAME))
    type = _text("type")
    schema = fields.List(fields.Nested(SchemaVariable, error_messages=_messages(settings.MSG_SCHEMA)), allow_none=True,
                         error_messages=_messages(settings.MSG_SCHEMA))
    hasHeaderRow = _flag("hasHeaderRow")
    skipBadRecords = _flag("skipBadRecords")
    hasQuotedNewlines = _flag("hasQuotedNewlines")
    allowJaggedRows = _flag("allowJaggedRows")
    quoteCharacter = fields.String(allow_none=True, validate=validate.Length(equal=1, error=settings.MSG_STRING.format(
        field="quoteCharacter")), error_messages=_messages(settings.MSG_STRING.format(field="quoteCharacter")))
    escapeCharacter = fields.String(allow_none=True, validate=validate.Length(equal=1, error=settings.MSG_STRING.format(
        field="escapeCharacter")), error_messages=_messages(settings.MSG_STRING.format(field="escapeCharacter")))
    nullMarkers = fields.List(fields.String(error_messages=_NULL_MARKERS_MESSAGES), allow_none=True,
                              error_messages=_NULL_MARKERS_MESSAGES)
    delimiter = fields.String(allow_none=True, validate=validate.Length(equal=1, error=settings.MSG_STRING.format(
        field="delimiter")), error_messages=_messages(settings.MSG_STRING.format(field="delimiter")))
    tempUploadId = _text("tempUploadId")
    metadata = fields.Dict(allow_none=True, error_messages=_messages(settings.MSG_STRING.format(field="metadata")))
    transferSpecification = fields.Dict(allow_none=True, error_messages=_messages(
        settings.MSG_STRING.format(field="transferSpecification")))


class RowsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    rows = fields.List(fields.Dict(error_messages=_messages(settings.MSG_ROWS)), required=True,
                       error_messages=_messages(settings.MSG_ROWS))
