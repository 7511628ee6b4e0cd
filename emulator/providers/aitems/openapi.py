"""The AiTEMS API under ``/api/v1`` behind the NCP API Gateway, as OpenAPI paths.

Request bodies are the marshmallow schemas that validate them; apispec cannot see into the custom fields
(``osInfo``, a schema's ``fields``) or the name rule (a function), so those are described here, next to them.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

from . import schemas
from .auth import ACCESS_KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from .errors import GATEWAY_ERRORS, NOT_SUBSCRIBED
from .routes import API
from .settings import CONFIG_DEFAULTS, DATASET_TYPES, REVISIONS, SERVICE_STATUSES, SERVICE_TYPES, TRACE_HEADER

JSON = "application/json"
# The gateway checks all three headers together; they are one requirement.
SECURITY = [{"timestamp": [], "accessKey": [], "signature": []}]
DEFAULT_REVISION = REVISIONS[CONFIG_DEFAULTS["revision"]]
# Every region any revision accepts (the "regions" setting narrows or overrides them per namespace).
REGIONS = sorted({region for revision in REVISIONS.values() for region in revision.regions})
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$",
        "description": "YYYY-MM-DDTHH:MM:SS.mmm, Korea Standard Time, no zone"}
NON_EMPTY = {"type": "string", "minLength": 1}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


OS_INFO = {"type": "object", "required": ["region", "bucket", "key"], "properties": {
    "region": {"enum": REGIONS, "description": "one of the namespace revision's regions"},
    "bucket": NON_EMPTY, "key": NON_EMPTY}}
FIELD_TYPE = {"type": "array", "minItems": 1, "items": {"enum": list(schemas.FIELD_TYPES)}}
SCHEMA_FIELD_IN = {"type": "object", "required": ["name", "type"], "properties": {
    "name": NON_EMPTY, "type": FIELD_TYPE, "categorical": {"type": "boolean", "default": False}}}
SCHEMA_FIELDS_IN = {"type": "array", "minItems": 1, "items": SCHEMA_FIELD_IN,
                    "description": "names unique; each dataset type's required fields present with their type"}
SCHEMA_FIELD_OUT = {"type": "object", "required": ["name", "type"], "properties": {
    "name": {"type": "string"}, "type": FIELD_TYPE,
    "categorical": {"const": True, "description": "not displayed when false"}}}

CONNECTED = {"type": "array", "items": {"type": "object", "required": ["serviceId", "name"], "properties": {
    "serviceId": {"type": "string"}, "name": {"type": "string"}}}}
DATASET = {"type": "object",
           "required": ["datasetId", "type", "name", "description", "schemaName", "status", "osInfo", "createdDate",
                        "updatedDate"],
           "properties": {
               "datasetId": {"type": "string", "pattern": "^[a-z0-9]{11}$"}, "type": {"enum": list(DATASET_TYPES)},
               "name": {"type": "string"}, "description": {"type": "string"}, "schemaName": {"type": "string"},
               "status": {"enum": ["waiting", "enable"]}, "osInfo": OS_INFO,
               # The key's spelling depends on the namespace's API revision setting.
               "connectedService": CONNECTED, "connectedServices": CONNECTED,
               "createdDate": DATE, "updatedDate": DATE}}
LISTED = {"actionName": {"type": "string"}, "permission": {"type": "string"}}
DATASET_ITEM = {"type": "object",
                "required": ["datasetId", "type", "name", "status", "createdDate", "actionName", "permission"],
                "properties": {"datasetId": {"type": "string"}, "type": {"enum": list(DATASET_TYPES)},
                               "name": {"type": "string"}, "status": {"enum": ["waiting", "enable"]},
                               "createdDate": DATE, **LISTED}}
SCHEMA = {"type": "object", "required": ["datasetType", "name", "fields", "description", "createdDate"],
          "properties": {"datasetType": {"enum": list(DATASET_TYPES)}, "name": {"type": "string"},
                         "fields": {"type": "array", "items": SCHEMA_FIELD_OUT}, "description": {"type": "string"},
                         "createdDate": DATE}}
DEFAULT_SCHEMA = {"type": "object", "required": ["datasetType", "name", "fields", "description"],
                  "properties": {k: v for k, v in SCHEMA["properties"].items() if k != "createdDate"}}
SCHEMA_ITEM = {"type": "object", "required": ["datasetType", "name", "createdDate", "actionName", "permission"],
               "properties": {"datasetType": {"enum": list(DATASET_TYPES)}, "name": {"type": "string"},
                              "createdDate": DATE, **LISTED}}
SERVICE_ID = {"type": "string", "pattern": "^[a-z0-9]{11}$"}
SERVICE_STATUS = {"enum": list(SERVICE_STATUSES)}
SERVICE = {"type": "object",
           "required": ["serviceId", "name", "description", "status", "datasets", "hpConfig", "infers", "createdDate",
                        "updatedDate", "type"],
           "properties": {
               "serviceId": SERVICE_ID, "name": {"type": "string"}, "description": {"type": "string"},
               "status": SERVICE_STATUS,
               "datasets": {"type": "array", "items": {"type": "object", "required": ["datasetId", "type", "name"],
                                                       "properties": {"datasetId": {"type": "string"},
                                                                      "type": {"enum": list(DATASET_TYPES)},
                                                                      "name": {"type": "string"}}}},
               "hpConfig": {"type": "object", "required": ["is_enabled"],
                            "properties": {"is_enabled": {"type": "boolean"}}},
               "infers": {"type": "array"}, "createdDate": DATE, "updatedDate": DATE,
               "type": {"enum": list(SERVICE_TYPES)}}}
SERVICE_ITEM = {"type": "object",
                "required": ["serviceId", "name", "status", "createdDate", "updatedDate", "actionName", "permission"],
                "properties": {"serviceId": SERVICE_ID, "name": {"type": "string"}, "status": SERVICE_STATUS,
                               "createdDate": DATE, "updatedDate": DATE, **LISTED}}
RESULT_OK = {"type": "object", "required": ["result"], "properties": {"result": {"const": "ok"}}}


def _page(key: str, item: str) -> dict[str, Any]:
    return {"type": "object", "required": [key, "offset", "limit"], "properties": {
        key: {"type": "array", "items": _ref(item)}, "offset": {"type": "integer", "minimum": 0},
        "limit": {"type": "integer", "minimum": 0}}}


GATEWAY_ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["errorCode", "message", "details"], "properties": {
        "errorCode": {"enum": sorted({code for code, _ in GATEWAY_ERRORS.values()} | {NOT_SUBSCRIBED[0]})},
        "message": {"type": "string"}, "details": {"type": "string"}}}}}

TRACE = {TRACE_HEADER: {"description": "gateway trace id", "schema": {"type": "string", "pattern": "^[0-9a-f]+$"}}}

# name -> (status, description) of the reusable error responses, all in the gateway envelope.
ERRORS = {
    "BadRequest": (400, "errorCode 100: a body or query rule failed (details names the first), a name is taken, "
                        "a schema does not fit or is in use"),
    "Unauthorized": (401, "errorCode 200: gateway headers missing, unknown key, stale timestamp or bad signature; "
                          "errorCode 210: not subscribed to the API"),
    "NotFound": (404, "errorCode 300: unknown dataset, schema or service, or no such URL"),
    "PayloadTooLarge": (413, "errorCode 430: the body is over the size limit"),
}


def _errors(*names: str) -> dict[str, Any]:
    return {str(ERRORS[n][0]): {"$ref": f"#/components/responses/{n}"} for n in names}


def _ok(schema: dict[str, Any], status: int = 200, description: str = "OK") -> dict[str, Any]:
    return {str(status): {"description": description, "headers": TRACE, "content": {JSON: {"schema": schema}}}}


# The documentation's examples (they also give a fuzzer one request that passes every check).
EXAMPLES: dict[str, dict[str, Any]] = {
    "DatasetCreate": {"type": "item", "name": "item_dataset2", "description": "abc", "schemaName": "item_schema",
                      "osInfo": {"region": "KR", "bucket": "aitems", "key": "bookmarks-items.csv"}},
    "SchemaCreate": {"datasetType": "item", "name": "item_schema2", "description": "",
                     "fields": [{"name": "ITEM_ID", "type": ["string"]},
                                {"name": "CATEGORY", "type": ["string"], "categorical": True}]},
    "SchemaDescription": {"content": "bookmarks"},
    "ServiceCreate": {"name": "service", "description": "test", "type": "batch"},
    "ServiceDatasets": {"datasetIds": ["bu457abcdef", "oeq4iabcdef", "g8rf6abcdef"]},
}


def _body(schema: str) -> dict[str, Any]:
    # The service parses any body as JSON whatever its Content-Type; JSON is what clients send.
    media = {"schema": _ref(schema)}
    if schema in EXAMPLES:
        media["example"] = EXAMPLES[schema]
    return {"required": True, "content": {JSON: media}}


def _query(name: str, schema: dict[str, Any], description: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _custom_fields(_converter: Any, field: fields.Field, **_kwargs: Any) -> dict[str, Any]:
    """What apispec cannot derive from the schemas: the custom fields and the name rule (a function)."""
    if isinstance(field, schemas.OsInfo):
        return OS_INFO
    if isinstance(field, schemas.SchemaFields):
        return SCHEMA_FIELDS_IN
    if schemas._valid_name in getattr(field, "validators", []):  # noqa: SLF001 (the rule the schema applies)
        return {"pattern": f"^{DEFAULT_REVISION.name_re.pattern}$",
                "description": "3-20 characters; the default revision's rule ('current' forbids a leading '_')"}
    return {}


def _register_field_converters(spec: APISpec) -> None:
    for plugin in spec.plugins:
        if isinstance(plugin, MarshmallowPlugin) and plugin.converter is not None:
            plugin.converter.add_attribute_function(_custom_fields)


PAGE = [_query("offset", {"type": "integer", "minimum": 0}, f"default {schemas.DEFAULT_OFFSET}"),
        _query("limit", {"type": "integer", "minimum": 0}, f"default {schemas.DEFAULT_LIMIT}")]
DATASET_TYPE = {"enum": list(DATASET_TYPES)}


def add_paths(spec: APISpec) -> None:
    _register_field_converters(spec)
    for name, header, description in (
            ("timestamp", TIMESTAMP_HEADER, "epoch milliseconds, within 5 minutes of the gateway's clock"),
            ("accessKey", ACCESS_KEY_HEADER, "NCP access key"),
            ("signature", SIGNATURE_HEADER, 'Base64(HMAC-SHA256(secret, "{METHOD} {path?query}\\n{timestamp}\\n'
                                            '{accessKey}")) over the path without or with the emulator mount')):
        spec.components.security_scheme(name, {"type": "apiKey", "in": "header", "name": header,
                                               "description": description})
    for name, schema in (("Dataset", DATASET), ("DatasetItem", DATASET_ITEM), ("Schema", SCHEMA),
                         ("DefaultSchema", DEFAULT_SCHEMA), ("SchemaItem", SCHEMA_ITEM), ("Service", SERVICE),
                         ("ServiceItem", SERVICE_ITEM), ("ResultOk", RESULT_OK),
                         ("GatewayError", GATEWAY_ERROR)):
        spec.components.schema(name, schema)
    for name, schema in (("DatasetCreate", schemas.DatasetCreate), ("DatasetEdit", schemas.DatasetEdit),
                         ("SchemaCreate", schemas.SchemaCreate), ("SchemaDescription", schemas.SchemaDescription),
                         ("ServiceCreate", schemas.ServiceCreate), ("ServiceDatasets", schemas.ServiceDatasets)):
        spec.components.schema(name, schema=schema)
    for name, (_status, description) in ERRORS.items():
        spec.components.response(name, {"description": description, "headers": TRACE,
                                        "content": {JSON: {"schema": _ref("GatewayError")}}})

    def op(operation_id: str, summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {"operationId": operation_id, "summary": summary, "security": SECURITY,
                "responses": dict(sorted(responses.items())), **extra}

    spec.path(f"{API}/datasets", operations={
        "post": op("datasets.create", "Create a dataset (status waiting)",
                   {**_ok(_ref("Dataset"), 201), **_errors("BadRequest", "Unauthorized", "NotFound",
                                                            "PayloadTooLarge")},
                   requestBody=_body("DatasetCreate")),
        "get": op("datasets.list", "List datasets", {**_ok(_page("datasets", "DatasetItem")),
                                                     **_errors("BadRequest", "Unauthorized")}, parameters=PAGE)})
    spec.path(f"{API}/datasets/{{datasetId}}", parameters=[_path("datasetId")], operations={
        "get": op("datasets.get", "A dataset (a read may move it to enable)",
                  {**_ok(_ref("Dataset")), **_errors("Unauthorized", "NotFound")}),
        "post": op("datasets.update", "Edit a dataset (any create field)",
                   {**_ok(_ref("Dataset")), **_errors("BadRequest", "Unauthorized", "NotFound", "PayloadTooLarge")},
                   requestBody=_body("DatasetEdit")),
        "delete": op("datasets.delete", "Delete a dataset",
                     {**_ok(_ref("ResultOk")), **_errors("Unauthorized", "NotFound")})})
    spec.path(f"{API}/schemas", operations={
        "post": op("schemas.create", "Create a schema",
                   {**_ok(_ref("Schema"), 201), **_errors("BadRequest", "Unauthorized", "PayloadTooLarge")},
                   requestBody=_body("SchemaCreate")),
        "get": op("schemas.list", "List schemas", {**_ok(_page("schemas", "SchemaItem")),
                                                   **_errors("BadRequest", "Unauthorized")},
                  parameters=[*PAGE, _query("datasetType", DATASET_TYPE, "only schemas of this type")])})
    spec.path(f"{API}/schemas/default", operations={"get": op(
        "schemas.default", "The required fields of a dataset type",
        {**_ok(_ref("DefaultSchema")), **_errors("BadRequest", "Unauthorized")},
        parameters=[_query("datasetType", DATASET_TYPE, "the dataset type", required=True)])})
    spec.path(f"{API}/schemas/{{schemaName}}", parameters=[_path("schemaName")], operations={
        "get": op("schemas.get", "A schema", {**_ok(_ref("Schema")), **_errors("Unauthorized", "NotFound")}),
        "put": op("schemas.update", "Set a schema's description",
                  {**_ok(_ref("Schema")), **_errors("BadRequest", "Unauthorized", "NotFound", "PayloadTooLarge")},
                  requestBody=_body("SchemaDescription")),
        "delete": op("schemas.delete", "Delete a schema no dataset uses",
                     {**_ok(_ref("ResultOk")), **_errors("BadRequest", "Unauthorized", "NotFound")})})
    spec.path(f"{API}/services", operations={
        "post": op("services.create", "Create a service (status datasetRequired)",
                   {**_ok(_ref("Service"), 201), **_errors("BadRequest", "Unauthorized", "PayloadTooLarge")},
                   requestBody=_body("ServiceCreate")),
        "get": op("services.list", "List services", {**_ok(_page("services", "ServiceItem")),
                                                     **_errors("BadRequest", "Unauthorized")}, parameters=PAGE)})
    spec.path(f"{API}/services/{{serviceId}}", parameters=[_path("serviceId")], operations={
        "get": op("services.get", "A service (a read may move it to learnable)",
                  {**_ok(_ref("Service")), **_errors("Unauthorized", "NotFound")}),
        "delete": op("services.delete", "Delete a service (its datasets are unlinked)",
                     {**_ok(_ref("ResultOk")), **_errors("Unauthorized", "NotFound")})})
    spec.path(f"{API}/services/{{serviceId}}/datasets", parameters=[_path("serviceId")], operations={"post": op(
        "services.datasets", "Link one enable dataset of each type to a service (status drafted)",
        {**_ok(_ref("Service")), **_errors("BadRequest", "Unauthorized", "NotFound", "PayloadTooLarge")},
        requestBody=_body("ServiceDatasets"))})
