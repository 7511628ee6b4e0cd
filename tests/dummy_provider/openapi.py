"""The dummy's contract: its two paths, its error envelope and its credential header."""

from __future__ import annotations

from apispec import APISpec

from .settings import JSON_CONTENT_TYPE, KEY_HEADER

THING = {"type": "object", "required": ["id", "name", "at"], "properties": {
    "id": {"type": "string"}, "name": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
    "greeting": {"type": "string"}, "base": {"type": "string"}}}
ERROR = {"type": "object", "required": ["dummyError"], "properties": {"dummyError": {
    "type": "object", "required": ["status", "message"], "properties": {
        "status": {"type": "integer"}, "message": {"type": ["string", "null"]},
        "allowed": {"type": "array", "items": {"type": "string"}}}}}}


def _answer(description: str, schema: str) -> dict:
    return {"description": description,
            "content": {JSON_CONTENT_TYPE: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def add_paths(spec: APISpec) -> None:
    spec.components.schema("Thing", THING)
    spec.components.schema("DummyError", ERROR)
    spec.components.security_scheme("dummyKey", {"type": "apiKey", "in": "header", "name": KEY_HEADER})
    security = [{"dummyKey": []}]
    spec.path("/things", operations={"post": {
        "operationId": "things.create", "summary": "Create a thing", "security": security,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}},
        "responses": {"201": _answer("Created", "Thing"), "400": _answer("No name", "DummyError")}}})
    spec.path("/things/{thing_id}", operations={"get": {
        "operationId": "show", "summary": "Show a thing", "security": security,
        "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": _answer("The thing", "Thing"), "404": _answer("No such thing", "DummyError")}}})
