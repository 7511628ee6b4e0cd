"""Marshmallow schemas of Apify request bodies and query strings, carrying Apify's messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from . import errors
from .errors import NAME_RULE
from .settings import GENERAL_ACCESS, ITEM_FORMATS, NAME_MAX_LENGTH, NAME_RE, XML_NAME_RE

BOOL_RULE = 'must be one of "true", "false", "1" or "0"'
COUNT_RULE = "must be a non-negative integer"
FORMAT_RULE = "must be one of: " + ", ".join(ITEM_FORMATS)
DELIMITER_RULE = 'must be a single character other than \'"\', CR or LF'
XML_NAME_RULE = "must be a valid XML element name"


class FullMatch(validate.Regexp):
    """``validate.Regexp`` over the whole value: Python's ``$`` also matches before a final newline, which
    JavaScript's does not. apispec still documents the pattern as written."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self.error.format(input=value, regex=self.regex.pattern))
        return value


class CommaList(fields.Field):
    """``fields=a,b`` as sent by the client (lists are comma-joined on the wire)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> list[str]:
        if not isinstance(value, str):
            raise ValidationError("must be a comma-separated list of field names")
        return [part.strip() for part in value.split(",") if part.strip()]


def _name(**kwargs: Any) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=NAME_MAX_LENGTH, error=NAME_RULE),
                                   FullMatch(NAME_RE, error=NAME_RULE)],
                         error_messages={"invalid": NAME_RULE}, **kwargs)


def _bool(key: str | None = None) -> fields.Boolean:
    return fields.Boolean(data_key=key, truthy={"true", "1", "True", "TRUE"}, falsy={"false", "0", "False", "FALSE"},
                          error_messages={"invalid": BOOL_RULE})


def _count(minimum: int = 0) -> fields.Integer:
    return fields.Integer(validate=validate.Range(min=minimum, error=COUNT_RULE),
                          error_messages={"invalid": COUNT_RULE})


class BodySchema(Schema):
    """A JSON body; a failure is Apify's 400 ``invalid-value``."""

    class Meta:
        unknown = EXCLUDE

    def fail(self, field: str, message: str) -> errors.ApifyError:
        return errors.invalid_value(message)


class QuerySchema(Schema):
    """A query string; a failure is a 400 ``invalid-parameter`` naming the parameter."""

    class Meta:
        unknown = EXCLUDE

    def fail(self, field: str, message: str) -> errors.ApifyError:
        return errors.invalid_parameter(field, message)


class CreateDatasetQuery(QuerySchema):
    name = _name()

    def fail(self, field: str, message: str) -> errors.ApifyError:
        return errors.invalid_name() if field == "name" else super().fail(field, message)


class CreateDatasetBody(BodySchema):
    # Unknown keys are ignored (ASSUMPTION); only the dataset schema is read.
    schema = fields.Dict(allow_none=True, load_default=None,
                         error_messages={"invalid": "schema must be a JSON object"})


class UpdateDatasetBody(BodySchema):
    # A key left out keeps its value; the client drops None values before sending.
    name = _name(allow_none=True)
    generalAccess = fields.String(
        validate=validate.OneOf(GENERAL_ACCESS, error="generalAccess must be one of: " + ", ".join(GENERAL_ACCESS)),
        error_messages={"invalid": "generalAccess must be one of: " + ", ".join(GENERAL_ACCESS)})


class ListDatasetsQuery(QuerySchema):
    offset = _count()
    limit = _count()
    desc = _bool()
    unnamed = _bool()
    ownership = fields.String(validate=validate.OneOf(("ownedByMe", "sharedWithMe"),
                                                      error='must be "ownedByMe" or "sharedWithMe"'))


def _xml_name() -> fields.String:
    # ASSUMPTION: xmlRoot / xmlRow must be XML element names (the live API's check is unknown).
    return fields.String(validate=FullMatch(XML_NAME_RE, error=XML_NAME_RULE),
                         error_messages={"invalid": XML_NAME_RULE})


class ListItemsQuery(QuerySchema):
    format = fields.String(validate=validate.OneOf(ITEM_FORMATS, error=FORMAT_RULE),
                           error_messages={"invalid": FORMAT_RULE})
    offset = _count()
    limit = _count()
    desc = _bool()
    clean = _bool()
    fields_ = CommaList(data_key="fields")
    outputFields = CommaList()
    omit = CommaList()
    unwind = CommaList()
    flatten = CommaList()
    skipEmpty = _bool()
    skipHidden = _bool()
    view = fields.String()
    signature = fields.String()
    attachment = _bool()
    bom = _bool()
    # ASSUMPTION: one character, and none that would make the CSV ambiguous (a quote or a line break).
    delimiter = fields.String(validate=[validate.Length(equal=1, error=DELIMITER_RULE),
                                        validate.NoneOf(('"', "\r", "\n"), error=DELIMITER_RULE)],
                              error_messages={"invalid": DELIMITER_RULE})
    skipHeaderRow = _bool()
    xmlRoot = _xml_name()
    xmlRow = _xml_name()
    feedTitle = fields.String()
    feedDescription = fields.String()

    @validates_schema
    def output_fields_match(self, data: dict[str, Any], **_kwargs: Any) -> None:
        # "The number of names in outputFields must match the number of names in fields. Requires the fields
        # parameter" (dataset_items_get). ASSUMPTION: the wording of both failures.
        if "outputFields" in data and not data.get("fields_"):
            raise ValidationError('requires the "fields" parameter', "outputFields")
        if "outputFields" in data and len(data["outputFields"]) != len(data["fields_"]):
            raise ValidationError('must name as many fields as "fields"', "outputFields")


def load(schema: Schema, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``data``; the first failure becomes the schema's Apify error."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        field, problems = next(iter(messages.items()))
        message = problems[0] if isinstance(problems, list) else str(problems)
        raise schema.fail(field, message) from None


def load_query(schema: Schema, args: Mapping[str, str]) -> dict[str, Any]:
    """Query strings carry strings only; ``?a=1&a=2`` uses the first value, like Express."""
    return load(schema, {key: args.get(key) for key in args})
