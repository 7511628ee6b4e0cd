"""Request bodies, with the Qrvey message for each failure; the first failure in check order wins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from .errors import QrveyError, required
from .settings import FILTER_TYPES, UPDATE_METHODS

UNIQUE_DATASOURCE_ID = "ValidationError: datasourceId must be unique within the dataset"
# ASSUMPTION: Get All's own checks are undocumented; these follow the observed sentence style.
BAD_LIMIT = "ValidationError: limit must be an integer greater than 0"
BAD_FILTERS = "ValidationError: filters must be an array of filter objects"
BAD_FILTER_TYPE = f"ValidationError: filterType must be one of {', '.join(FILTER_TYPES)}"


def _present_string(name: str) -> fields.String:
    """A property that must hold a non-empty string; every way of failing reads as "no value"."""
    message = required(name)
    return fields.String(required=True, validate=validate.Length(min=1, error=message),
                         error_messages={"required": message, "null": message, "invalid": message})


def _optional_string(name: str) -> fields.String:
    message = required(name)
    return fields.String(allow_none=True, load_default=None, error_messages={"invalid": message})


def _array(name: str, item: type[Schema], non_empty: bool) -> fields.List:
    message = required(name)
    return fields.List(fields.Nested(item), required=True,
                       validate=validate.Length(min=1, error=message) if non_empty else None,
                       error_messages={"required": message, "null": message, "invalid": message})


class _Object(Schema):
    """Extra keys are kept (Qrvey echoes them); a subclass says which property a non-object fails as."""

    class Meta:
        unknown = INCLUDE


class ColumnSchema(_Object):
    columnName = _present_string("columnName")
    columnType = _present_string("columnType")
    error_messages = {"type": required("columns")}


class DatasourceSchema(_Object):
    name = _present_string("name")
    connectionId = _present_string("connectionId")
    connectorType = _present_string("connectorType")
    datasourceId = _optional_string("datasourceId")
    error_messages = {"type": required("datasources")}


class DatasetSchema(_Object):
    """Create Dataset from scratch."""

    name = _present_string("name")
    datasources = _array("datasources", DatasourceSchema, non_empty=True)
    columns = _array("columns", ColumnSchema, non_empty=False)
    error_messages = {"type": required("body")}

    @validates_schema
    def unique_datasource_ids(self, data: dict, **_: Any) -> None:
        seen = [d["datasourceId"] for d in data["datasources"] if d.get("datasourceId")]
        if len(seen) != len(set(seen)):
            raise ValidationError(UNIQUE_DATASOURCE_ID)


class DatasetFromConnectionSchema(_Object):
    """Create Dataset from an existing connection: a table, or a custom SQL query."""

    connectionId = _present_string("connectionId")
    name = _present_string("name")
    database = _present_string("database")
    tableName = _optional_string("tableName")
    query = _optional_string("query")
    columns = fields.List(fields.Nested(ColumnSchema), load_default=None, allow_none=True,
                          error_messages={"invalid": required("columns")})
    error_messages = {"type": required("body")}

    @validates_schema
    def table_or_query(self, data: dict, **_: Any) -> None:
        if not data.get("tableName") and not data.get("query"):
            raise ValidationError(required("tableName"))


class ConnectionSchema(_Object):
    """Create Connection. ASSUMPTION: name and connectorType are its required minimum."""

    name = _present_string("name")
    connectorType = _present_string("connectorType")
    error_messages = {"type": required("body")}


class FilterSchema(_Object):
    filterType = fields.String(required=True, validate=validate.OneOf(FILTER_TYPES, error=BAD_FILTER_TYPE),
                               error_messages={"required": required("filterType"), "null": required("filterType"),
                                               "invalid": BAD_FILTER_TYPE})
    column = _present_string("column")
    value = fields.Raw(required=True, allow_none=False,
                       error_messages={"required": required("value"), "null": required("value")})
    error_messages = {"type": BAD_FILTERS}


class ListSchema(_Object):
    """Get All (datasets or connections): every property is optional; no body at all means {}."""

    limit = fields.Integer(strict=True, load_default=None, validate=validate.Range(min=1, error=BAD_LIMIT),
                           error_messages={"invalid": BAD_LIMIT, "null": BAD_LIMIT})
    filters = fields.List(fields.Nested(FilterSchema), load_default=None, allow_none=True,
                          error_messages={"invalid": BAD_FILTERS})
    error_messages = {"type": required("body")}


def first_message(errors: Any) -> str:
    """marshmallow keeps errors in check order (fields as declared, list items by index, schema last)."""
    while isinstance(errors, Mapping):
        errors = errors[next(iter(errors))]
    if isinstance(errors, list):
        return first_message(errors[0]) if errors and not isinstance(errors[0], str) else errors[0]
    return str(errors)


def check(schema: Schema, body: Any) -> dict[str, Any]:
    """The body as sent, once it passes; else raise the first failure as Qrvey's 400."""
    errors = schema.validate(body)
    if errors:
        raise QrveyError(400, first_message(errors))
    return body


# ASSUMPTION: the Push API's own checks are undocumented; these follow the observed sentence style.
BAD_PUSH_ROWS = "ValidationError: data must be an array of objects"
BAD_UPDATE_METHOD = f"ValidationError: documentUpdateMethod must be one of {', '.join(UPDATE_METHODS)}"


class PushSchema(_Object):
    """Push API data [CODE path and body; DOC documentUpdateMethod]: rows to add to a dataset."""

    datasetId = _present_string("datasetId")
    data = fields.List(fields.Dict(error_messages={"invalid": BAD_PUSH_ROWS}), required=True,
                       error_messages={"required": required("data"), "null": required("data"),
                                       "invalid": BAD_PUSH_ROWS})
    # No default: apispec 6.3 would document a null default outside the enum.
    documentUpdateMethod = fields.String(validate=validate.OneOf(UPDATE_METHODS, error=BAD_UPDATE_METHOD),
                                         error_messages={"invalid": BAD_UPDATE_METHOD, "null": BAD_UPDATE_METHOD})
    error_messages = {"type": required("body")}
