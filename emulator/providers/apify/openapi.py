"""The Apify API v2 dataset routes served here, as OpenAPI paths.

Query strings and request bodies are the marshmallow schemas that validate them. Apify publishes its own
document; this one describes the emulator (its ASSUMPTION error types, the OPTIONS preflight) and the
tests check the emulator's answers against Apify's as well.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

from .routes import ROUTES
from .schemas import (
    CommaList,
    CreateDatasetBody,
    CreateDatasetQuery,
    ListDatasetsQuery,
    ListItemsQuery,
    UpdateDatasetBody,
)
from .settings import GENERAL_ACCESS, ID_RE, ITEM_FORMATS, UNLIMITED_ITEMS

JSON = "application/json"
# A token is accepted as a bearer header or as ?token= (the header wins when both are sent).
REQUIRED_AUTH = [{"bearerAuth": []}, {"tokenQuery": []}]
# Reads of a dataset shared by id or name, or with a valid signature, need no token.
OPTIONAL_AUTH = [{}, *REQUIRED_AUTH]
TIMESTAMP = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"}
COUNT = {"type": "integer", "minimum": 0}
STRING_OR_NULL = {"type": ["string", "null"]}
RATE_LIMIT = {"X-RateLimit-Limit": {"description": "requests per second allowed", "schema": {"type": "string"}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_COMMON = {
    "id": {"type": "string", "pattern": ID_RE.pattern}, "name": STRING_OR_NULL, "userId": {"type": "string"},
    "createdAt": TIMESTAMP, "modifiedAt": TIMESTAMP, "accessedAt": TIMESTAMP, "itemCount": COUNT,
    "cleanItemCount": COUNT, "actId": STRING_OR_NULL, "actRunId": STRING_OR_NULL,
    "generalAccess": {"enum": list(GENERAL_ACCESS)},
}
DATASET = {"type": "object", "required": [*_COMMON, "stats", "fields", "consoleUrl", "itemsPublicUrl"],
           "properties": {
               **_COMMON, "schema": {"type": ["object", "null"]},
               "stats": {"type": "object", "required": ["readCount", "writeCount", "storageBytes"], "properties": {
                   "readCount": COUNT, "writeCount": COUNT, "storageBytes": COUNT}},
               "fields": {"type": "array", "items": {"type": "string"}}, "consoleUrl": {"type": "string"},
               "itemsPublicUrl": {"type": "string"}, "urlSigningSecretKey": STRING_OR_NULL}}
DATASET_LIST_ITEM = {"type": "object", "required": [*_COMMON, "stats"], "properties": {
    **_COMMON, "title": STRING_OR_NULL, "username": STRING_OR_NULL,
    "stats": {"type": "object", "required": ["readCount", "writeCount", "inflatedBytes"], "properties": {
        "readCount": COUNT, "writeCount": COUNT, "inflatedBytes": COUNT}}}}
DATASET_LIST = {"type": "object", "required": ["data"], "properties": {"data": {
    "type": "object", "required": ["total", "offset", "limit", "desc", "count", "items"], "properties": {
        "total": COUNT, "offset": COUNT, "limit": COUNT, "desc": {"type": "boolean"}, "count": COUNT,
        "items": {"type": "array", "items": _ref("DatasetListItem")}, "unnamed": {"type": "boolean"}}}}}
FIELD_STATISTICS = {"type": "object", "properties": {
    "min": {"type": "number"}, "max": {"type": "number"}, "nullCount": COUNT, "emptyCount": COUNT}}
STATISTICS = {"type": "object", "required": ["data"], "properties": {"data": {
    "type": "object", "required": ["fieldStatistics"], "properties": {"fieldStatistics": {
        "type": ["object", "null"], "additionalProperties": FIELD_STATISTICS,
        "description": "per field of the dataset's fields schema; null without one"}}}}}

ERROR_TYPES = ["token-not-provided", "user-or-token-not-found", "insufficient-permissions", "record-not-found",
               "page-not-found", "method-not-allowed", "invalid-value", "invalid-request", "invalid-parameter",
               "request-too-large", "unsupported-content-encoding", "schema-validation-error", "dataset-schema-invalid",
               "rate-limit-exceeded", "internal-server-error"]
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["type", "message"], "properties": {
        "type": {"enum": ERROR_TYPES}, "message": {"type": "string"},
        "data": {"type": "object", "description": "schema-validation-error: {invalidItems}"}}}}}

# name -> (status, description) of the reusable error responses, all in Apify's envelope.
ERRORS = {
    "BadRequest": (400, "invalid-value (a body field, the dataset name), invalid-request (not a JSON object, an "
                        "item that is not an object), invalid-parameter (a query parameter), "
                        "schema-validation-error (items against the dataset's schema), "
                        "dataset-schema-invalid (a schema whose fields are not a draft-07 JSON Schema)"),
    "Unauthorized": (401, "token-not-provided or user-or-token-not-found"),
    "Forbidden": (403, "insufficient-permissions: the dataset belongs to another user and is not shared"),
    "NotFound": (404, "record-not-found: no such dataset"),
    "PayloadTooLarge": (413, "request-too-large: over the payload limit (9 MB by default)"),
    "UnsupportedEncoding": (415, "unsupported-content-encoding: a Content-Encoding other than gzip, br, deflate"),
}


def _errors(*names: str) -> dict[str, Any]:
    return {str(ERRORS[n][0]): {"$ref": f"#/components/responses/{n}"} for n in names}


def _ok(schema: dict[str, Any], description: str = "OK", headers: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "headers": {**RATE_LIMIT, **(headers or {})},
            "content": {JSON: {"schema": schema}}}


def _data(schema: str) -> dict[str, Any]:
    return {"type": "object", "required": ["data"], "properties": {"data": _ref(schema)}}


def _header(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "required": True, "schema": schema or {"type": "string"}}


def _comma_list(_converter: Any, field: fields.Field, **_kwargs: Any) -> dict[str, Any]:
    """``fields=a,b``: apispec cannot see that the custom field takes a comma-separated string."""
    if isinstance(field, CommaList):
        return {"type": "string", "description": "comma-separated field names"}
    return {}


def _register_field_converters(spec: APISpec) -> None:
    for plugin in spec.plugins:
        if isinstance(plugin, MarshmallowPlugin) and plugin.converter is not None:
            plugin.converter.add_attribute_function(_comma_list)


def _preflight(path: str) -> dict[str, Any]:
    methods = ", ".join(ROUTES[path])
    return {"operationId": f"preflight {path}", "summary": "CORS preflight (also any verb with ?method=OPTIONS)",
            "responses": {"204": {"description": f"Access-Control-Allow-Methods: {methods}", "headers": {
                **RATE_LIMIT, "Access-Control-Allow-Origin": _header("*"),
                "Access-Control-Allow-Methods": _header("the path's verbs")}}}}


DATASET_ID = {"name": "datasetId", "in": "path", "required": True, "schema": {"type": "string"},
              "description": "a dataset id, ~name (the caller's) or username~name"}
WRITE_BODY_ERRORS = ("BadRequest", "Unauthorized", "Forbidden", "NotFound", "PayloadTooLarge", "UnsupportedEncoding")


def add_paths(spec: APISpec) -> None:
    _register_field_converters(spec)
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer",
                                                   "description": "an Apify API token"})
    spec.components.security_scheme("tokenQuery", {"type": "apiKey", "in": "query", "name": "token",
                                                   "description": "the same token as a query parameter"})
    for name, schema in (("Dataset", DATASET), ("DatasetListItem", DATASET_LIST_ITEM), ("Error", ERROR)):
        spec.components.schema(name, schema)
    for name, schema in (("CreateDatasetBody", CreateDatasetBody), ("UpdateDatasetBody", UpdateDatasetBody)):
        spec.components.schema(name, schema=schema)
    for name, (_status, description) in ERRORS.items():
        spec.components.response(name, {"description": description, "headers": RATE_LIMIT,
                                        "content": {JSON: {"schema": _ref("Error")}}})
    location = {"Location": _header("URL of the dataset")}

    spec.path("/v2/datasets", operations={
        "get": {"operationId": "datasets.list", "summary": "The caller's datasets", "security": REQUIRED_AUTH,
                "parameters": [{"in": "query", "schema": ListDatasetsQuery}],
                "responses": {"200": _ok(DATASET_LIST), **_errors("BadRequest", "Unauthorized")}},
        "post": {"operationId": "datasets.create", "summary": "Get or create a dataset by name (unnamed without)",
                 "security": REQUIRED_AUTH, "parameters": [{"in": "query", "schema": CreateDatasetQuery}],
                 "requestBody": {"required": False, "content": {JSON: {"schema": _ref("CreateDatasetBody"),
                                                                       "example": {}}}},
                 "responses": {"200": _ok(_data("Dataset"), "the caller already has a dataset of this name"),
                               "201": _ok(_data("Dataset"), "created", location),
                               **_errors("BadRequest", "Unauthorized", "PayloadTooLarge", "UnsupportedEncoding")}},
        "options": _preflight("/v2/datasets")})

    spec.path("/v2/datasets/{datasetId}", parameters=[DATASET_ID], operations={
        "get": {"operationId": "dataset.get", "summary": "A dataset", "security": OPTIONAL_AUTH,
                "responses": {"200": _ok(_data("Dataset")), **_errors("Unauthorized", "Forbidden", "NotFound")}},
        "put": {"operationId": "dataset.update", "summary": "Rename or change general access",
                "security": REQUIRED_AUTH,
                "requestBody": {"required": False, "content": {JSON: {
                    "schema": _ref("UpdateDatasetBody"),
                    "example": {"name": "renamed", "generalAccess": "RESTRICTED"}}}},
                "responses": {"200": _ok(_data("Dataset")), **_errors(*WRITE_BODY_ERRORS)}},
        "delete": {"operationId": "dataset.delete", "summary": "Delete a dataset and its items",
                   "security": REQUIRED_AUTH,
                   "responses": {"204": {"description": "deleted (no body)", "headers": RATE_LIMIT},
                                 **_errors("Unauthorized", "Forbidden", "NotFound")}},
        "options": _preflight("/v2/datasets/<ref>")})

    pagination = {f"X-Apify-Pagination-{name}": _header(text, {"type": "string", "pattern": pattern})
                  for name, text, pattern in (
                      ("Total", "items in the dataset", r"^\d+$"), ("Offset", "offset of this page", r"^\d+$"),
                      ("Count", "items on this page before shaping", r"^\d+$"),
                      ("Limit", f"the limit asked for ({UNLIMITED_ITEMS} without one)", r"^\d+$"),
                      ("Desc", "newest first", "^(true|false)$"))}
    export = {"Content-Disposition": {"description": "attachment=1: a file name for the browser to save",
                                      "schema": {"type": "string"}},
              "Content-Security-Policy": {"description": "format=html: the export may not run scripts",
                                          "schema": {"type": "string"}}}
    # format=json (the default) is a JSON array; the other formats are files without a JSON schema.
    items_ok = {"description": "the items, shaped by the query, in the format asked for",
                "headers": {**RATE_LIMIT, **pagination, **export},
                "content": {JSON: {"schema": {"type": "array", "items": {"type": "object"}}},
                            **{media.split(";")[0]: {} for name, media in ITEM_FORMATS.items() if name != "json"}}}
    def items_query() -> list[dict[str, Any]]:  # apispec expands a schema parameter in place: one per use
        return [{"in": "query", "schema": ListItemsQuery}]

    read_errors = _errors("BadRequest", "Unauthorized", "Forbidden", "NotFound")
    spec.path("/v2/datasets/{datasetId}/items", parameters=[DATASET_ID], operations={
        "get": {"operationId": "dataset.items.list", "summary": "Items", "security": OPTIONAL_AUTH,
                "parameters": items_query(), "responses": {"200": items_ok, **read_errors}},
        "head": {"operationId": "dataset.items.head", "summary": "Pagination headers of the items",
                 "security": OPTIONAL_AUTH, "parameters": items_query(),
                 "responses": {"200": {"description": "headers only", "headers": {**RATE_LIMIT, **pagination}},
                               **{s: {"description": r["$ref"].rsplit("/", 1)[1] + " (no body on HEAD)"}
                                  for s, r in read_errors.items()}}},
        "post": {"operationId": "dataset.items.push", "summary": "Append an object or an array of objects",
                 "security": REQUIRED_AUTH,
                 "requestBody": {"required": True, "content": {JSON: {"schema": {"oneOf": [
                     {"type": "object"}, {"type": "array", "items": {"type": "object"}}]},
                     "example": [{"url": "https://example.com", "title": "Example"}]}}},
                 "responses": {"201": {"description": "stored (no body)",
                                       "headers": {**RATE_LIMIT, "Location": _header("URL of the items")}},
                               **_errors(*WRITE_BODY_ERRORS)}},
        "options": _preflight("/v2/datasets/<ref>/items")})

    spec.path("/v2/datasets/{datasetId}/statistics", parameters=[DATASET_ID], operations={
        "get": {"operationId": "dataset.statistics", "summary": "Field statistics", "security": OPTIONAL_AUTH,
                "responses": {"200": _ok(STATISTICS), **_errors("Unauthorized", "Forbidden", "NotFound")}},
        "options": _preflight("/v2/datasets/<ref>/statistics")})
