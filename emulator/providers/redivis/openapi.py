"""The Redivis API v1 routes served here, as OpenAPI paths; request bodies come from the validating schemas."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

from . import settings
from .errors import HEAD_ERROR_HEADER
from .names import ID_RE
from .schemas import PUBLIC_ACCESS_LEVELS, CreateDatasetSchema, ReleaseSchema, TagName, UpdateDatasetSchema

JSON = "application/json"
API = "/api/v1"
BEARER = "bearerAuth"
# Reads answer anonymous callers too (public datasets); writes need a token with the data.edit scope.
OPTIONAL_AUTH: list[dict[str, list[str]]] = [{}, {BEARER: []}]
REQUIRED_AUTH: list[dict[str, list[str]]] = [{BEARER: []}]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


STRING_OR_NULL = {"type": ["string", "null"]}
# Owners are either kind; the discriminating key is "kind".
OWNER = {"oneOf": [_ref("User"), _ref("Organization")]}

USER = {"type": "object", "required": ["kind", "name"], "properties": {
    "kind": {"const": "user"}, "name": {"type": "string"}, "fullName": STRING_OR_NULL,
    "contactEmail": STRING_OR_NULL, "orcid": STRING_OR_NULL}}
ORGANIZATION = {"type": "object", "required": ["kind", "name"], "properties": {
    "kind": {"const": "organization"}, "name": {"type": "string"}, "fullName": STRING_OR_NULL,
    "ror": STRING_OR_NULL}}

VERSION = {"type": "object", "required": ["kind", "tag", "index", "uri", "datasetUri", "isReleased", "isDeleted"],
           "properties": {
               "kind": {"const": "version"}, "tag": {"type": "string", "description": "vM.m once released, else next"},
               "index": {"type": "integer", "minimum": 0}, "label": STRING_OR_NULL, "url": {"type": "string"},
               "datasetUri": {"type": "string"}, "uri": {"type": "string"}, "isReleased": {"type": "boolean"},
               "isDeleted": {"type": "boolean"}}}
VERSION_DETAIL = {"allOf": [_ref("Version"), {"type": "object", "required": ["canRelease"], "properties": {
    "releaseNotes": STRING_OR_NULL, "canRelease": {"type": "boolean"},
    "previousVersion": _nullable(_ref("Version")), "nextVersion": _nullable(_ref("Version"))}}]}

_DATASET_BASE = {
    "kind": {"const": "dataset"}, "id": {"type": "string", "pattern": ID_RE.pattern},
    "qualifiedReference": {"type": "string"}, "scopedReference": {"type": "string"},
    "referenceId": {"type": "string", "minLength": 4, "maxLength": 4}, "name": {"type": "string"},
    "url": {"type": "string"}, "uri": {"type": "string"}, "doi": STRING_OR_NULL, "owner": OWNER,
    "createdAt": {"type": "integer", "description": "epoch milliseconds"}, "updatedAt": {"type": "integer"},
    "accessLevel": {"enum": [*PUBLIC_ACCESS_LEVELS, "edit"]}, "publicAccessLevel": {"enum": list(PUBLIC_ACCESS_LEVELS)},
    "description": STRING_OR_NULL, "tableCount": {"type": "integer"}, "numBytes": {"type": "integer"},
    "totalNumBytes": {"type": "integer"}, "totalActiveTabularBytes": {"type": "integer"},
    "totalInactiveTabularBytes": {"type": "integer"}, "totalRawFileBytes": {"type": "integer"},
    "temporalPrecision": {}, "temporalRange": {}, "geoBBox": {}, "sampleConfiguration": {},
    "labels": {"type": "array", "items": {"type": "string"}, "description": "only for administrators"},
}
_DATASET_REQUIRED = ["kind", "id", "qualifiedReference", "scopedReference", "referenceId", "name", "uri", "owner",
                     "createdAt", "updatedAt", "accessLevel", "publicAccessLevel"]
DATASET_LIST_ITEM = {"type": "object", "required": _DATASET_REQUIRED, "properties": _DATASET_BASE}
DATASET = {"type": "object", "required": [*_DATASET_REQUIRED, "tags", "version", "currentVersion"], "properties": {
    **_DATASET_BASE, "methodologyMarkdown": STRING_OR_NULL, "usageMarkdown": STRING_OR_NULL,
    "links": {"type": "array"}, "customDocumentationSections": {"type": "array"},
    "tags": {"type": "array", "items": {"type": "object", "required": ["name"],
                                        "properties": {"name": {"type": "string"}}}},
    "version": _nullable(_ref("Version")), "currentVersion": _nullable(_ref("Version")),
    "nextVersion": {**_nullable(_ref("Version")), "description": "only for editors"}}}


def _page(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    # nextPageToken is always present (the client indexes it), null on the last page.
    return {"type": "object", "required": ["kind", "nextPageToken", "results"], "properties": {
        "kind": {"const": kind}, "nextPageToken": STRING_OR_NULL, "results": {"type": "array", "items": item}}}


ERROR = {"type": "object", "required": ["error", "error_description", "status"], "properties": {
    "error": {"enum": sorted(set(settings.CODE_BY_STATUS.values())
                             | {settings.CODE_INSUFFICIENT_SCOPE, settings.CODE_FORBIDDEN})},
    "error_description": {"type": "string"},
    "scope": {"type": "string", "description": "the missing scope (insufficient_scope only)"},
    "status": {"type": "integer"}}}

# name -> (status, description) of the reusable error responses.
ERRORS = {
    "InvalidRequest": (400, "invalid_request: malformed JSON, a failed field rule, a duplicate name, a version "
                            "workflow step out of order, a bad maxResults"),
    "InvalidToken": (401, "invalid_token: a missing, malformed or unknown bearer token"),
    "Forbidden": (403, "insufficient_scope (token lacks data.edit; carries 'scope') or forbidden (not an editor)"),
    "NotFound": (404, "not_found: unknown owner, dataset, version or route (what the caller may not see is absent)"),
    "PayloadTooLarge": (413, "payload_too_large: the body is over the emulator's size limit"),
}


def _error_response(status: int, description: str, head: bool) -> dict[str, Any]:
    if head:
        # HEAD has no body: the envelope is sent percent-encoded in a header instead.
        return {"description": description, "headers": {HEAD_ERROR_HEADER: {
            "description": "percent-encoded JSON of the error envelope", "schema": {"type": "string"}}}}
    return {"description": description, "content": {JSON: {"schema": _ref("Error")}}}


def _errors(*names: str, head: bool = False) -> dict[str, Any]:
    if head:
        return {str(ERRORS[n][0]): _error_response(ERRORS[n][0], ERRORS[n][1], True) for n in names}
    return {str(ERRORS[n][0]): {"$ref": f"#/components/responses/{n}"} for n in names}


def _ok(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _head_ok(description: str) -> dict[str, Any]:
    return {"description": description + " (headers only)"}


def _path(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string"}}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


# What the Python client sends (it always includes description), and a typical update and release.
EXAMPLES: dict[str, dict[str, Any]] = {
    "CreateDataset": {"name": "Example dataset", "publicAccessLevel": "none", "description": None},
    "UpdateDataset": {"description": "Updated", "labelsToAdd": ["census"], "tags": ["india"]},
    "Release": {"releaseNotes": "First release"},
}


def _body(schema: str, required: bool) -> dict[str, Any]:
    return {"required": required, "content": {JSON: {"schema": _ref(schema), "example": EXAMPLES[schema]}}}


def _tag_name_field(_converter: Any, field: fields.Field, **_kwargs: Any) -> dict[str, Any]:
    """A tag in an update body is a name or an object with one (apispec cannot see into the custom field)."""
    if isinstance(field, TagName):
        return {"oneOf": [{"type": "string"}, {"type": "object", "required": ["name"],
                                                "properties": {"name": {"type": "string"}}}]}
    return {}


def _register_field_converters(spec: APISpec) -> None:
    for plugin in spec.plugins:
        if isinstance(plugin, MarshmallowPlugin) and plugin.converter is not None:
            plugin.converter.add_attribute_function(_tag_name_field)


PAGING = [_query("maxResults", {"type": "integer", "minimum": 1},
                 f"page size (default {settings.DEFAULT_MAX_RESULTS})"),
          _query("pageToken", {"type": "string"}, "nextPageToken of the previous page")]
REFERENCE = _path("datasetReference", "owner.name[:referenceId][:version], URL-encoded (a name may hold '/')")


def add_paths(spec: APISpec) -> None:
    _register_field_converters(spec)
    spec.components.security_scheme(BEARER, {"type": "http", "scheme": "bearer",
                                             "description": "a Redivis API token (REDIVIS_API_TOKEN)"})
    for name, schema in (("User", USER), ("Organization", ORGANIZATION), ("Version", VERSION),
                         ("VersionDetail", VERSION_DETAIL), ("Dataset", DATASET),
                         ("DatasetListItem", DATASET_LIST_ITEM), ("Error", ERROR)):
        spec.components.schema(name, schema)
    for name, schema in (("CreateDataset", CreateDatasetSchema), ("UpdateDataset", UpdateDatasetSchema),
                         ("Release", ReleaseSchema)):
        spec.components.schema(name, schema=schema)
    for name, (status, description) in ERRORS.items():
        spec.components.response(name, _error_response(status, description, head=False))

    for kind, param in (("users", "userName"), ("organizations", "organizationName")):
        owner = _path(param, f"the owning {kind[:-1]}'s name (case-insensitive)")
        list_params = [*PAGING]
        if kind == "organizations":
            list_params.append(_query("labels", {"type": "string"}, "comma-separated; datasets with any of them"))
        spec.path(f"{API}/{kind}/{{{param}}}/datasets", parameters=[owner], operations={
            "post": {"operationId": f"{kind}.datasets.create", "summary": f"Create a dataset owned by a {kind[:-1]}",
                     "security": REQUIRED_AUTH, "requestBody": _body("CreateDataset", True),
                     "responses": {str(settings.CREATE_STATUS):
                                   _ok(_ref("Dataset"), "the new dataset (its next version)"),
                                   **_errors("InvalidRequest", "InvalidToken", "Forbidden", "NotFound",
                                             "PayloadTooLarge")}},
            "get": {"operationId": f"{kind}.datasets.list", "summary": "Datasets the caller may see",
                    "security": OPTIONAL_AUTH, "parameters": list_params,
                    "responses": {"200": _ok(_page("datasetList", _ref("DatasetListItem"))),
                                  **_errors("InvalidRequest", "InvalidToken", "NotFound")}},
            # The R client's organization existence check; Flask answers HEAD from the GET view.
            "head": {"operationId": f"{kind}.datasets.exists", "summary": f"Does the {kind[:-1]} exist",
                     "security": OPTIONAL_AUTH, "parameters": list_params,
                     "responses": {"200": _head_ok(f"the {kind[:-1]} exists"),
                                   **_errors("InvalidRequest", "InvalidToken", "NotFound", head=True)}}})

    spec.path(f"{API}/users/me", operations={"get": {
        "operationId": "users.me", "summary": "The token's user", "security": REQUIRED_AUTH,
        "responses": {"200": _ok(_ref("User")), **_errors("InvalidToken")}}})

    read_errors = ("InvalidToken", "NotFound")
    write_errors = ("InvalidRequest", "InvalidToken", "Forbidden", "NotFound", "PayloadTooLarge")
    update = {"summary": "Update a dataset (the docs name POST; the Python client sends PATCH)",
              "security": REQUIRED_AUTH, "requestBody": _body("UpdateDataset", False),
              "responses": {"200": _ok(_ref("Dataset")), **_errors(*write_errors)}}
    spec.path(f"{API}/datasets/{{datasetReference}}", parameters=[REFERENCE], operations={
        "get": {"operationId": "datasets.get", "summary": "A dataset at a version", "security": OPTIONAL_AUTH,
                "responses": {"200": _ok(_ref("Dataset")), **_errors(*read_errors)}},
        "head": {"operationId": "datasets.exists", "summary": "Existence check", "security": OPTIONAL_AUTH,
                 "responses": {"200": _head_ok("the dataset exists"), **_errors(*read_errors, head=True)}},
        "patch": {"operationId": "datasets.update", **update},
        "post": {"operationId": "datasets.update.post", **update},
        "delete": {"operationId": "datasets.delete", "summary": "Delete a dataset", "security": REQUIRED_AUTH,
                   "responses": {"200": {"description": "Express's sendStatus(200)", "content": {
                       "text/plain": {"schema": {"const": "OK"}}}},
                       **_errors("InvalidToken", "Forbidden", "NotFound")}}})
    spec.path(f"{API}/datasets/{{datasetReference}}/versions", parameters=[REFERENCE], operations={
        "get": {"operationId": "datasets.versions.list", "summary": "Versions, newest first",
                "security": OPTIONAL_AUTH, "parameters": PAGING,
                "responses": {"200": _ok(_page("versionList", _ref("Version"))),
                              **_errors("InvalidRequest", *read_errors)}},
        "post": {"operationId": "datasets.versions.create", "summary": "Create the next version",
                 "security": REQUIRED_AUTH,
                 "responses": {"200": _ok(_ref("VersionDetail")),
                               **_errors("InvalidRequest", "InvalidToken", "Forbidden", "NotFound")}}})
    tag = _path("versionTag", "vM.m, vM_m, current or next")
    spec.path(f"{API}/datasets/{{datasetReference}}/versions/{{versionTag}}", parameters=[REFERENCE, tag],
              operations={
                  "get": {"operationId": "datasets.versions.get", "summary": "One version",
                          "security": OPTIONAL_AUTH,
                          "responses": {"200": _ok(_ref("VersionDetail")), **_errors(*read_errors)}},
                  "head": {"operationId": "datasets.versions.exists", "summary": "Existence check",
                           "security": OPTIONAL_AUTH,
                           "responses": {"200": _head_ok("the version exists"), **_errors(*read_errors, head=True)}}})
    spec.path(f"{API}/datasets/{{datasetReference}}/versions/next/release", parameters=[REFERENCE], operations={
        "post": {"operationId": "datasets.versions.release", "summary": "Release the next version",
                 "security": REQUIRED_AUTH, "requestBody": _body("Release", False),
                 "responses": {"200": _ok(_ref("VersionDetail")), **_errors(*write_errors)}}})
    spec.path(f"{API}/datasets/{{datasetReference}}/versions/current/unrelease", parameters=[REFERENCE],
              operations={"post": {
                  "operationId": "datasets.versions.unrelease", "summary": "Unrelease the current version",
                  "security": REQUIRED_AUTH,
                  "responses": {"200": _ok(_ref("VersionDetail")),
                                **_errors("InvalidRequest", "InvalidToken", "Forbidden", "NotFound")}}})
