"""The emulated devapi v4 contract as OpenAPI paths, reusing the validating marshmallow schemas."""

from __future__ import annotations

from apispec import APISpec

from .schemas import ConnectionSchema, DatasetFromConnectionSchema, DatasetSchema, ListSchema

APP = "/devapi/v4/user/{userId}/app/{appId}"
JSON = "application/json"

QRVEY_ERROR = {"type": "object", "properties": {
    "status": {"type": "string", "const": "error"}, "date": {"type": "integer"},
    "errors": {"type": "array", "items": {"type": "object", "properties": {
        "message": {"type": "string"}, "messageDetails": {"type": "boolean"}, "stack": {"type": "string"}}}}}}
GATEWAY_ERROR = {"type": "object", "properties": {"message": {"type": "string"}}}
OBJECT = {"type": "object"}
PAGE = {"type": "object", "properties": {"Items": {"type": "array", "items": OBJECT}, "Count": {"type": "integer"}}}


def _parameters(*names: str) -> list[dict]:
    return [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names]


def _operation(summary: str, result: dict, body: str | None = None, validates: bool = False) -> dict:
    responses = {
        "200": {"description": "OK", "content": {JSON: {"schema": result}}},
        "403": {"description": "Missing or wrong x-api-key (API Gateway)",
                "content": {JSON: {"schema": {"$ref": "#/components/schemas/GatewayError"}}}},
        "404": {"description": "User, App, Dataset or Connection not found",
                "content": {JSON: {"schema": {"$ref": "#/components/schemas/QrveyError"}}}},
    }
    if validates:
        responses["400"] = {"description": "ValidationError",
                            "content": {JSON: {"schema": {"$ref": "#/components/schemas/QrveyError"}}}}
    operation = {"summary": summary, "security": [{"apiKey": []}], "responses": dict(sorted(responses.items()))}
    if body:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}
    return operation


def add_paths(spec: APISpec) -> None:
    spec.components.security_scheme("apiKey", {"type": "apiKey", "in": "header", "name": "x-api-key"})
    spec.components.schema("QrveyError", QRVEY_ERROR)
    spec.components.schema("GatewayError", GATEWAY_ERROR)
    for name, schema in (("Dataset", DatasetSchema), ("DatasetFromConnection", DatasetFromConnectionSchema),
                         ("Connection", ConnectionSchema), ("ListQuery", ListSchema)):
        spec.components.schema(name, schema=schema)
    app, dataset, connection = _parameters("userId", "appId"), _parameters("datasetId"), _parameters("connectionId")
    paths = {
        f"{APP}/qollect/dataset": (app, {"post": _operation("Create Dataset", OBJECT, "Dataset", True)}),
        f"{APP}/qollect/dataset/datasource": (app, {"post": _operation(
            "Create Dataset from an existing connection", OBJECT, "DatasetFromConnection", True)}),
        f"{APP}/qollect/dataset/all": (app, {"post": _operation("Get All Datasets", PAGE, "ListQuery", True)}),
        f"{APP}/qollect/dataset/{{datasetId}}": (app + dataset, {
            "get": _operation("Get Dataset", OBJECT), "delete": _operation("Delete Dataset", OBJECT)}),
        f"{APP}/qollect/dataset/{{datasetId}}/load": (app + dataset, {"post": _operation("Load Dataset", OBJECT)}),
        f"{APP}/connections": (app, {"post": _operation("Create Connection", OBJECT, "Connection", True)}),
        f"{APP}/connections/all": (app, {"post": _operation("Get All Connections", PAGE, "ListQuery", True)}),
        f"{APP}/connections/{{connectionId}}": (app + connection, {
            "get": _operation("Get Connection", OBJECT), "delete": _operation("Delete Connection", OBJECT)}),
    }
    for path, (parameters, operations) in paths.items():
        for op in operations.values():
            body = op.get("requestBody")
            if body:
                schema = body["content"][JSON]["schema"]
                body["content"][JSON]["schema"] = {"$ref": f"#/components/schemas/{schema}"}
        spec.path(path=path, parameters=parameters, operations=operations)
