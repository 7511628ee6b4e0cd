"""The CKAN actions served here, as OpenAPI paths built from the validating marshmallow schemas."""

from __future__ import annotations

from apispec import APISpec

from .schemas import PackageSchema

ENVELOPE = {"type": "object", "properties": {"help": {"type": "string"}, "success": {"type": "boolean"},
                                             "result": {}, "error": {"type": "object"}}}


def _responses(*statuses: tuple[int, str]) -> dict:
    out = {"200": {"description": "success envelope", "content": {"application/json": {"schema": ENVELOPE}}}}
    for status, text in statuses:
        out[str(status)] = {"description": text, "content": {"application/json": {"schema": ENVELOPE}}}
    out["400"] = {"description": "bare JSON string (bad body, unknown action) or Integrity Error envelope"}
    return out


def add_paths(spec: APISpec) -> None:
    spec.components.schema("Package", schema=PackageSchema)
    body = {"required": True, "content": {"application/json": {"schema": "Package"},
                                          "multipart/form-data": {"schema": {"type": "object"}}}}
    id_body = {"content": {"application/json": {"schema": {"type": "object",
                                                           "properties": {"id": {"type": "string"}}}}}}
    errors = ((403, "Authorization Error"), (404, "Not Found Error"), (409, "Validation Error"))
    spec.path("/api/action/package_create", operations={"post": {
        "summary": "Create a dataset (auth, then structure, then validation)", "requestBody": body,
        "responses": {**_responses(*errors), "500": {"description": "numeric 'private' (CKAN 2.11.5 quirk)"}}}})
    spec.path("/api/action/package_show", operations={
        "get": {"parameters": [{"name": "id", "in": "query", "schema": {"type": "string"}}],
                "responses": _responses(*errors)},
        "post": {"requestBody": id_body, "responses": _responses(*errors)}})
    spec.path("/api/action/package_delete", operations={"post": {"requestBody": id_body,
                                                                 "responses": _responses(*errors)}})
    spec.path("/api/action/package_patch", operations={"post": {"requestBody": body,
                                                                "responses": _responses(*errors)}})
    spec.path("/api/action/package_list", operations={"get": {
        "parameters": [{"name": n, "in": "query", "schema": {"type": "integer", "minimum": 0}}
                       for n in ("limit", "offset")],
        "responses": _responses((409, "Validation Error"))}})
    spec.path("/api/{ver}", operations={"get": {
        "parameters": [{"name": "ver", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": '{"version": N}'}}}})
