"""Tables, uploads and variables as OpenAPI paths (the dataset paths are in ``openapi``)."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from . import settings
from .names import ID_RE
from .openapi import (
    API,
    JSON,
    OPTIONAL_AUTH,
    PAGING,
    REFERENCE,
    REQUIRED_AUTH,
    STRING_OR_NULL,
    _errors,
    _head_ok,
    _ok,
    _page,
    _path,
    _ref,
)
from .schemas import CreateTableSchema, RowsSchema, TempUploadsSchema, UpdateTableSchema, UploadSchema

INTEGER = {"type": "integer", "minimum": 0}
TABLE = {"type": "object", "required": [
    "kind", "id", "qualifiedReference", "scopedReference", "referenceId", "uri", "url", "name", "isSample", "hash",
    "isFileIndex", "createdAt", "updatedAt", "description", "numRows", "numBytes", "variableCount",
    "uploadMergeStrategy"], "properties": {
    "kind": {"const": "table"}, "id": {"type": "string", "pattern": ID_RE.pattern},
    "qualifiedReference": {"type": "string"}, "scopedReference": {"type": "string"},
    "referenceId": {"type": "string", "minLength": 4, "maxLength": 4}, "uri": {"type": "string"},
    "url": {"type": "string"}, "name": {"type": "string"}, "isSample": {"type": "boolean"},
    "hash": {"type": "string"}, "isFileIndex": {"type": "boolean"}, "createdAt": INTEGER, "updatedAt": INTEGER,
    "description": STRING_OR_NULL, "numRows": INTEGER, "numBytes": INTEGER, "variableCount": INTEGER,
    "uploadMergeStrategy": {"enum": list(settings.MERGE_STRATEGIES)}}}
VARIABLE = {"type": "object", "required": ["kind", "uri", "url", "name", "type", "isFileId", "index", "label"],
            "properties": {"kind": {"const": "variable"}, "uri": {"type": "string"}, "url": {"type": "string"},
                           "name": {"type": "string"}, "type": {"enum": list(settings.VARIABLE_TYPES)},
                           "isFileId": {"type": "boolean"}, "index": INTEGER, "label": STRING_OR_NULL,
                           "description": STRING_OR_NULL, "valueLabels": {"type": "array"}}}
_UPLOAD_TYPES = ("As given, else from the file name's extension (delimited by default). The emulator reads "
                 f"{', '.join(settings.DELIMITED_TYPES)}, {settings.NDJSON_TYPE}, {settings.JSON_TYPE} and "
                 f"{settings.XLSX_TYPE} files; an upload of another type ends failed. {settings.STREAM_TYPE}: rows "
                 "inserted later.")
UPLOAD = {"type": "object", "required": ["kind", "id", "uri", "name", "type", "status", "errorMessage"],
          "properties": {"kind": {"const": "upload"}, "id": {"type": "string"}, "uri": {"type": "string"},
                         "name": {"type": "string"}, "type": {"type": "string", "description": _UPLOAD_TYPES},
                         "status": {"enum": [settings.UPLOAD_INGESTING, settings.UPLOAD_COMPLETED,
                                             settings.UPLOAD_FAILED]},
                         "errorMessage": STRING_OR_NULL, "createdAt": INTEGER, "updatedAt": INTEGER,
                         "numRows": INTEGER, "numBytes": INTEGER, "variableCount": INTEGER}}
TEMP_UPLOADS = {"type": "object", "required": ["results"], "properties": {"results": {"type": "array", "items": {
    "type": "object", "required": ["id", "url", "resumable"], "properties": {
        "id": {"type": "string"}, "url": {"type": "string", "description": "PUT the file's bytes here"},
        "resumable": {"type": "boolean"}}}}}}
INSERTED = {"type": "object", "required": ["insertedRows", "upload"],
            "properties": {"insertedRows": INTEGER, "upload": _ref("Upload")}}
OK_TEXT = {"description": "Express's sendStatus(200)", "content": {"text/plain": {"schema": {"const": "OK"}}}}

EXAMPLES: dict[str, Any] = {
    "CreateTable": {"name": "Survey", "uploadMergeStrategy": "append", "isFileIndex": False},
    "UpdateTable": {"description": "Waves 1-3"},
    "TempUploads": {"tempUploads": [{"size": 12, "name": "people.csv", "resumable": False}]},
    "UploadRequest": {"name": "live", "type": "stream", "schema": [{"name": "id", "type": "integer"}]},
    "Rows": {"rows": [{"id": 1}]},
}
TABLE_REFERENCE = _path("tableReference", "<datasetReference>.<table name>[:referenceId], URL-encoded")
UPLOAD_NAME = _path("uploadName", "the upload's name ('.' written as '_')")
READ = ("InvalidRequest", "InvalidToken", "NotFound")
WRITE = ("InvalidRequest", "InvalidToken", "Forbidden", "NotFound", "PayloadTooLarge")


def _body(schema: str, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {JSON: {"schema": _ref(schema), "example": EXAMPLES[schema]}}}


def _read(operation_id: str, summary: str, schema: dict[str, Any], head: bool = False) -> dict[str, Any]:
    operations = {"get": {"operationId": operation_id, "summary": summary, "security": OPTIONAL_AUTH,
                          "responses": {"200": _ok(schema), **_errors(*READ)}}}
    if head:
        operations["head"] = {"operationId": operation_id.replace(".get", ".exists"), "summary": "Existence check",
                              "security": OPTIONAL_AUTH,
                              "responses": {"200": _head_ok("it exists"), **_errors(*READ, head=True)}}
    return operations


def _write(operation_id: str, summary: str, schema: dict[str, Any] | None, body: str | None) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id, "summary": summary, "security": REQUIRED_AUTH,
                                 "responses": {"200": _ok(schema) if schema else OK_TEXT, **_errors(*WRITE)}}
    if body:
        operation["requestBody"] = _body(body)
    return operation


def add_paths(spec: APISpec) -> None:
    for name, schema in (("Table", TABLE), ("Variable", VARIABLE), ("Upload", UPLOAD)):
        spec.components.schema(name, schema)
    for name, marshmallow in (("CreateTable", CreateTableSchema), ("UpdateTable", UpdateTableSchema),
                              ("TempUploads", TempUploadsSchema), ("UploadRequest", UploadSchema),
                              ("Rows", RowsSchema)):
        spec.components.schema(name, schema=marshmallow)

    spec.path(f"{API}/datasets/{{datasetReference}}/tables", parameters=[REFERENCE], operations={
        "get": {"operationId": "datasets.tables.list", "summary": "Tables in the referenced version",
                "security": OPTIONAL_AUTH, "parameters": PAGING,
                "responses": {"200": _ok(_page("tableList", _ref("Table"))), **_errors(*READ)}},
        "post": _write("datasets.tables.create", "Create a table in the next version", _ref("Table"), "CreateTable")})
    table = f"{API}/tables/{{tableReference}}"
    spec.path(table, parameters=[TABLE_REFERENCE], operations={
        **_read("tables.get", "A table", _ref("Table"), head=True),
        "patch": _write("tables.update", "Update a table (next version only)", _ref("Table"), "UpdateTable"),
        "delete": _write("tables.delete", "Delete a table (next version only)", None, None)})
    spec.path(f"{table}/variables", parameters=[TABLE_REFERENCE], operations={"get": {
        "operationId": "tables.variables.list", "summary": "The table's variables, in column order",
        "security": OPTIONAL_AUTH, "parameters": PAGING,
        "responses": {"200": _ok(_page("variableList", _ref("Variable"))), **_errors(*READ)}}})
    spec.path(f"{table}/variables/{{variableName}}",
              parameters=[TABLE_REFERENCE, _path("variableName", "case-insensitive")],
              operations=_read("tables.variables.get", "One variable", _ref("Variable"), head=True))
    spec.path(f"{table}/tempUploads", parameters=[TABLE_REFERENCE], operations={"post": _write(
        "tables.tempUploads.create", "Temporary upload URLs (served by the emulator) to PUT files to",
        TEMP_UPLOADS, "TempUploads")})
    upload_body = {"required": True, "content": {
        JSON: {"schema": _ref("UploadRequest"), "example": EXAMPLES["UploadRequest"]},
        "multipart/form-data": {"schema": {"type": "object", "required": ["metadata", "data"], "properties": {
            "metadata": {"type": "string", "description": "the JSON body, as text"},
            "data": {"type": "string", "format": "binary"}}}}}}
    spec.path(f"{table}/uploads", parameters=[TABLE_REFERENCE], operations={
        "get": {"operationId": "tables.uploads.list", "summary": "The table's uploads", "security": OPTIONAL_AUTH,
                "parameters": PAGING, "responses": {"200": _ok(_page("uploadList", _ref("Upload"))),
                                                    **_errors(*READ)}},
        "post": {**_write("tables.uploads.create", "Upload a file (multipart or a tempUploadId) or open a stream",
                          _ref("Upload"), None), "requestBody": upload_body}})
    upload = f"{table}/uploads/{{uploadName}}"
    spec.path(upload, parameters=[TABLE_REFERENCE, UPLOAD_NAME], operations={
        **_read("tables.uploads.get",
                f"An upload; status {settings.UPLOAD_COMPLETED} or {settings.UPLOAD_FAILED} when done",
                _ref("Upload"), head=True),
        "delete": _write("tables.uploads.delete", "Delete an upload", None, None)})
    spec.path(f"{upload}/rows", parameters=[TABLE_REFERENCE, UPLOAD_NAME], operations={"post": _write(
        "tables.uploads.rows", "Insert rows into a stream upload", INSERTED, "Rows")})
    spec.path(f"{upload}/variables", parameters=[TABLE_REFERENCE, UPLOAD_NAME], operations={"get": {
        "operationId": "tables.uploads.variables", "summary": "The upload's variables",
        "security": OPTIONAL_AUTH, "parameters": PAGING,
        "responses": {"200": _ok(_page("variableList", _ref("Variable"))), **_errors(*READ)}}})
    resumable = {"description": "a resumable session without all its bytes yet (Google Cloud Storage's answer)",
                 "headers": {"Range": {"description": "bytes=0-<last byte received>; absent when none arrived",
                                       "schema": {"type": "string"}}}}
    spec.path(settings.TEMP_UPLOAD_PATH.replace("{id}", "{tempUploadId}"),
              parameters=[_path("tempUploadId", "from POST .../tempUploads; the URL is the credential")],
              operations={"put": {
                  "operationId": "tempUploads.put", "security": [{}],
                  "summary": "Receive a temporary upload's bytes: the whole file, or a chunk of a resumable session",
                  "description": "Bodies up to the server's max_upload (serve --max-upload), not max_body.",
                  "parameters": [{"name": "Content-Range", "in": "header", "required": False,
                                  "description": "bytes <first>-<last>/<size> for a chunk; bytes */<size> asks "
                                                 "what arrived (empty body)",
                                  "schema": {"type": "string", "pattern": r"^bytes ([0-9]+-[0-9]+|\*)/[0-9]+$"}}],
                  "requestBody": {"required": False, "content": {"application/octet-stream": {
                      "schema": {"type": "string", "format": "binary"}}}},
                  "responses": {"200": {"description": "stored: the file is whole (empty body)"},
                                str(settings.RESUME_INCOMPLETE): resumable,
                                **_errors("InvalidRequest", "NotFound", "PayloadTooLarge")}},
                  "post": {
                  "operationId": "tempUploads.start", "security": [{}],
                  "summary": "Start a resumable session (x-goog-resumable: start); PUT the bytes to its Location",
                  "parameters": [{"name": "x-goog-resumable", "in": "header", "required": False,
                                  "schema": {"const": "start"}}],
                  "responses": {"201": {"description": "the session's URL (empty body)", "headers": {
                      "Location": {"schema": {"type": "string"}}}}, **_errors("NotFound")}}})
