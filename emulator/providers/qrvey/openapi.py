"""The emulated devapi v4 and Data Router contract as OpenAPI paths, reusing the validating marshmallow schemas."""

from __future__ import annotations

from apispec import APISpec

from .schemas import ConnectionSchema, DatasetFromConnectionSchema, DatasetSchema, ListSchema, PushSchema
from .settings import DATA_ROUTER_PREFIX, JOB_STATUS_BY_LOAD, STATUSES

APP = "/devapi/v4/user/{userId}/app/{appId}"
JSON = "application/json"

QRVEY_ERROR = {"type": "object", "properties": {
    "status": {"type": "string", "const": "error"}, "date": {"type": "integer"},
    "errors": {"type": "array", "items": {"type": "object", "properties": {
        "message": {"type": "string"}, "messageDetails": {"type": "boolean"}, "stack": {"type": "string"}}}}}}
GATEWAY_ERROR = {"type": "object", "properties": {"message": {"type": "string"}}}
OBJECT = {"type": "object"}
STRING_OR_NULL = {"type": ["string", "null"]}
# Wire shapes (model.dataset_wire / connection_wire); body keys the emulator does not own are echoed back.
DATASET_OUT = {"type": "object", "required": ["datasetId", "appId", "userId", "name", "status", "datasources",
                                              "columns"],
               "properties": {"datasetId": {"type": "string"}, "appId": {"type": "string"},
                              "userId": {"type": "string"}, "name": {"type": "string"},
                              "status": {"enum": list(STATUSES)}, "connectionId": STRING_OR_NULL,
                              "datasources": {"type": "array", "items": OBJECT},
                              "columns": {"type": "array", "items": OBJECT},
                              "createDate": {"type": "string"}, "modifyDate": {"type": "string"}}}
# Connections speak another casing than datasets: connectorid / appid / userid.
CONNECTION_OUT = {"type": "object", "required": ["connectorid", "name", "connectorType", "appid", "userid"],
                  "properties": {"connectorid": {"type": "string"}, "name": STRING_OR_NULL,
                                 "connectorType": STRING_OR_NULL, "appid": STRING_OR_NULL,
                                 "userid": STRING_OR_NULL}}
PUSHED = {"type": "object", "required": ["jobId"], "properties": {"jobId": {"type": "string", "format": "uuid"}}}
_COUNT = {"type": "integer", "minimum": 0}
JOB_STATUS = {"type": "object", "required": ["statusJob"], "properties": {
    "statusJob": {"type": "object", "required": ["jobId", "status", "approximatePercentComplete", "runtime"],
                  "properties": {"jobId": {"type": "string"}, "status": {"enum": list(JOB_STATUS_BY_LOAD.values())},
                                 "approximatePercentComplete": {"type": "integer", "minimum": 0, "maximum": 100},
                                 "runtime": {"type": "string", "pattern": r"^\d+h \d+m \d+s$"}}},
    "jobCompletionStatistics": {
        "type": "object", "description": "once the job has ended",
        "required": ["dataSourcePumpStatistics", "failed", "fillingEsStatistics", "successful", "updated"],
        "properties": {
            "dataSourcePumpStatistics": {"type": "object", "additionalProperties": {
                "type": "object", "properties": {"failed": _COUNT, "pumpTimeSeconds": _COUNT, "read": _COUNT,
                                                 "successful": _COUNT}}},
            "failed": _COUNT, "successful": _COUNT, "updated": _COUNT,
            "fillingEsStatistics": {"type": "object", "properties": {
                "added": _COUNT, "deleted": _COUNT, "failed": _COUNT, "updated": _COUNT}},
            "health": OBJECT}}}}
USER_OUT = {"type": "object", "required": ["userid"], "properties": {"userid": {"type": "string"}},
            "description": "the seeded profile (firstName, lastName, email, ...) follows the id"}
APP_OUT = {"type": "object", "required": ["appid", "name", "userid"], "properties": {
    "appid": {"type": "string"}, "name": STRING_OR_NULL, "userid": STRING_OR_NULL}}
DATASET_DELETED = {"type": "object", "required": ["datasetId"], "properties": {"datasetId": {"type": "string"}}}
CONNECTION_DELETED = {"type": "object", "required": ["connectorid", "appid", "userid"], "properties": {
    "connectorid": {"type": "string"}, "appid": STRING_OR_NULL, "userid": STRING_OR_NULL}}


def _page(item: str) -> dict:
    return {"type": "object", "required": ["Items", "Count"], "properties": {
        "Items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
        "Count": {"type": "integer", "minimum": 0}}}


def _out(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _parameters(*names: str) -> list[dict]:
    return [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names]


def _operation(summary: str, result: dict, body: str | None = None, validates: bool = False) -> dict:
    responses = {
        "200": {"description": "OK", "content": {JSON: {"schema": result}}},
        "403": {"description": "Missing or wrong x-api-key (API Gateway)",
                "content": {JSON: {"schema": {"$ref": "#/components/schemas/GatewayError"}}}},
        "404": {"description": "User, App, Dataset, Connection or Job not found",
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
    for name, out in (("DatasetResponse", DATASET_OUT), ("ConnectionResponse", CONNECTION_OUT),
                      ("DatasetDeleted", DATASET_DELETED), ("ConnectionDeleted", CONNECTION_DELETED),
                      ("Pushed", PUSHED), ("JobStatus", JOB_STATUS), ("UserResponse", USER_OUT),
                      ("AppResponse", APP_OUT)):
        spec.components.schema(name, out)
    for name, schema in (("Dataset", DatasetSchema), ("DatasetFromConnection", DatasetFromConnectionSchema),
                         ("Connection", ConnectionSchema), ("ListQuery", ListSchema), ("PushData", PushSchema)):
        spec.components.schema(name, schema=schema)
    app, dataset, connection = _parameters("userId", "appId"), _parameters("datasetId"), _parameters("connectionId")
    paths = {
        "/devapi/v4/core/user/all": ([], {"post": _operation("Get All Users", _page("UserResponse"), "ListQuery",
                                                             True)}),
        "/devapi/v4/core/user/{userId}": (_parameters("userId"), {"get": _operation("Get User",
                                                                                    _out("UserResponse"))}),
        APP: (app, {"get": _operation("Get Application", _out("AppResponse"))}),
        f"{APP}/qollect/dataset": (app, {"post": _operation(
            "Create Dataset", _out("DatasetResponse"), "Dataset", True)}),
        f"{APP}/qollect/dataset/datasource": (app, {"post": _operation(
            "Create Dataset from an existing connection", _out("DatasetResponse"), "DatasetFromConnection", True)}),
        f"{APP}/qollect/dataset/all": (app, {"post": _operation(
            "Get All Datasets", _page("DatasetResponse"), "ListQuery", True)}),
        f"{APP}/qollect/dataset/{{datasetId}}": (app + dataset, {
            "get": _operation("Get Dataset", _out("DatasetResponse")),
            "delete": _operation("Delete Dataset", _out("DatasetDeleted"))}),
        f"{APP}/qollect/dataset/{{datasetId}}/load": (app + dataset, {"post": _operation(
            "Load Dataset", _out("DatasetResponse"))}),
        f"{APP}/qollect/dataset/{{datasetId}}/pushapi/data/post": (app + dataset, {"post": _operation(
            "Push API: add rows (their new keys become columns) and start the load", _out("Pushed"), "PushData",
            True)}),
        f"{DATA_ROUTER_PREFIX}/postdata": ([], {"post": _operation(
            "Data Router Post Data API: add rows to the dataset named in the body; answers the job", _out("Pushed"),
            "PushData", True)}),
        f"{DATA_ROUTER_PREFIX}/{{jobId}}/status": (_parameters("jobId"), {"get": _operation(
            "Data Router Status API: a push job's progress (Running, then Complete or Failed)",
            _out("JobStatus"))}),
        f"{APP}/connections": (app, {"post": _operation(
            "Create Connection", _out("ConnectionResponse"), "Connection", True)}),
        f"{APP}/connections/all": (app, {"post": _operation(
            "Get All Connections", _page("ConnectionResponse"), "ListQuery", True)}),
        f"{APP}/connections/{{connectionId}}": (app + connection, {
            "get": _operation("Get Connection", _out("ConnectionResponse")),
            "delete": _operation("Delete Connection", _out("ConnectionDeleted"))}),
    }
    for path, (parameters, operations) in paths.items():
        for op in operations.values():
            body = op.get("requestBody")
            if body:
                schema = body["content"][JSON]["schema"]
                body["content"][JSON]["schema"] = {"$ref": f"#/components/schemas/{schema}"}
        spec.path(path=path, parameters=parameters, operations=operations)
