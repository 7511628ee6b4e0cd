"""Every value the spec marks ASSUMPTION, in one place so each can change without a hunt.

Sourced facts (formats, enums, recorded key orders) live next to the code that uses them.
"""

from __future__ import annotations

from ..rules import Rule, one_of, whole

# Create/update answer 200 (older docs said 201; the client accepts both).
CREATE_STATUS = 200

# Lists: page size when maxResults is absent.
DEFAULT_MAX_RESULTS = 100

# Organization lists filtered by ``labels=a,b`` keep datasets carrying any of the labels.
LABELS_MATCH_ANY = True

# Version tags: the first release is v1.0 (documented); later releases bump the minor number.
FIRST_RELEASE_TAG = (1, 0)

# Bodies are read with emulator.jsontext. ASSUMPTION: NaN, Infinity, a number beyond the double range and a
# lone surrogate escape are answered like any invalid JSON body (MSG_BAD_JSON).

# Error codes (the client only branches on ``insufficient_scope``).
CODE_INVALID_REQUEST = "invalid_request"
CODE_INVALID_TOKEN = "invalid_token"
CODE_FORBIDDEN = "forbidden"
CODE_INSUFFICIENT_SCOPE = "insufficient_scope"
CODE_NOT_FOUND = "not_found"
CODE_METHOD_NOT_ALLOWED = "method_not_allowed"
CODE_PAYLOAD_TOO_LARGE = "payload_too_large"
CODE_RATE_LIMITED = "rate_limit_exceeded"
CODE_INTERNAL = "internal_error"
CODE_UNAVAILABLE = "service_unavailable"

# Error descriptions.
MSG_INVALID_TOKEN = "Must provide a valid Authorization token"  # old-docs 401 string
MSG_FORBIDDEN = "Not authorized"  # old-docs 403 string
MSG_INSUFFICIENT_SCOPE = "Your access token must have the following scope: {scope}"
MSG_USER_NOT_FOUND = 'User "{name}" not found'
MSG_ORG_NOT_FOUND = 'Organization "{name}" not found'
MSG_DATASET_NOT_FOUND = 'Dataset "{reference}" not found'
MSG_VERSION_NOT_FOUND = 'Version "{tag}" not found'
MSG_ROUTE_NOT_FOUND = "Route {method} {path} not found"
MSG_METHOD_NOT_ALLOWED = "Method {method} is not allowed for {path}"
MSG_RATE_LIMITED = "Too many requests, please try again later."  # old-docs 429 string
RATE_LIMIT_RETRY_AFTER = "60"
MSG_BY_STATUS = {
    404: "Not found",
    405: "Method not allowed",
    413: "Request entity too large",
    429: MSG_RATE_LIMITED,
    500: "Internal server error",
    503: "Service unavailable",
}
CODE_BY_STATUS = {
    400: CODE_INVALID_REQUEST,
    401: CODE_INVALID_TOKEN,
    403: CODE_FORBIDDEN,
    404: CODE_NOT_FOUND,
    405: CODE_METHOD_NOT_ALLOWED,
    413: CODE_PAYLOAD_TOO_LARGE,
    429: CODE_RATE_LIMITED,
    500: CODE_INTERNAL,
    503: CODE_UNAVAILABLE,
}

# Validation (400 invalid_request), checked in this order.
MSG_BAD_JSON = "Request body must be valid JSON"
MSG_NAME = "name is required and must be a string"
MSG_NAME_EMPTY = "name must contain at least one letter or digit"
MSG_LEVEL = "publicAccessLevel must be one of: none, overview, metadata, sample, data"
MSG_DESCRIPTION = "description must be a string of at most 256 characters"
MSG_DUPLICATE = 'A dataset with the name "{name}" already exists'
MSG_MARKDOWN = "{field} must be a string"
MSG_STRING_LIST = "{field} must be a list of strings"
MSG_TAGS = "{field} must be a list of strings or of objects with a string name"
MSG_MAX_RESULTS = "maxResults must be a positive integer"
MSG_NEXT_EXISTS = "A next version already exists for this dataset"
MSG_NO_NEXT = "This dataset has no unreleased next version"
MSG_NO_CURRENT = "This dataset has no released version"
MSG_UNRELEASE_WITH_NEXT = "Cannot unrelease the current version while a next version exists"
MSG_RELEASE_NOTES = "releaseNotes must be a string"

# ---- tables, uploads, variables -----------------------------------------------------------------
# Sourced: the table and variable list shapes (recorded tableList/variableList, 2025-05), the request
# bodies and the upload polling loop (client 0.21.1). Everything below is ASSUMPTION.

# Settings (override per namespace through the ``config`` seed record).
#   uploadStatus: "immediate" -> an upload is already ``completed`` (or ``failed``) when created, so the
#                                client's first poll, 2 s later, ends its wait (the default: tests stay fast,
#                                and a small file on redivis.com is ingested within seconds too);
#                 "reads"     -> ``ingesting`` until the uploadAfterReads-th read of the upload.
UPLOAD_IMMEDIATE, UPLOAD_READS = "immediate", "reads"
CONFIG_DEFAULTS = {"uploadStatus": UPLOAD_IMMEDIATE, "uploadAfterReads": 1}
CONFIG_RULES: dict[str, Rule] = {"uploadStatus": one_of(UPLOAD_IMMEDIATE, UPLOAD_READS),
                                 "uploadAfterReads": whole(1, 10**9)}

# Upload statuses: the client stops polling at completed/failed; ingesting is the in-progress one.
UPLOAD_INGESTING, UPLOAD_COMPLETED, UPLOAD_FAILED = "ingesting", "completed", "failed"

# A table reference is ``<dataset reference>.<table name>[:<referenceId>]``, split at the last dot.
# Tables live with their dataset; writes (create, update, delete, uploads) need the unreleased next version.
# Releasing a version freezes each table as it is (name, description, rows, variables) into that version.
MERGE_STRATEGIES = ("append", "replace")
# Upload types the emulator reads; any other type is accepted and then fails with MSG_UPLOAD_TYPE.
DELIMITED_TYPES = ("delimited", "csv", "tsv")
# ndjson: an object per line; json: "Must be a JSON array of objects, where each top-level object represents one
# row in the table. The keys of each top-level object correspond to the variable names in the table." [doc:
# "Tabular data", supported file types]. ASSUMPTIONs: blank lines are skipped; an object key becomes a variable
# name as a header cell does (variables.variable_name), and two keys naming one variable fail the upload, as a
# duplicate header does; the types are inferred from the values' text with the delimited rules (true is boolean,
# "2024-01-02" a date, 12 and "12" integers); null is an empty value; a key missing from a row is null there.
NDJSON_TYPE, JSON_TYPE = "ndjson", "json"
# ASSUMPTION: a nested object or array value is kept as its JSON text, so its variable is a string (Redivis has
# no nested types; its docs say "Nested and repeated fields are not supported" for Avro and Parquet and are
# silent for JSON).
# xlsx: ASSUMPTIONs: the first worksheet; its first non-empty row is the header unless hasHeaderRow is false
# (the docs list hasHeaderRow for xls/xlsx too [doc: upload resource]); empty rows are skipped; a row may stop
# early (an empty trailing cell is null), one longer than the header is jagged; formulas count as their cached
# values; a date-time cell formatted as a date only is a date. xls (the binary Excel format) is not read: no
# library the emulator depends on reads it, so it fails with MSG_UPLOAD_TYPE.
XLSX_TYPE = "xlsx"
# ASSUMPTION: a workbook is a zip; one whose parts unpack to more than this is refused before it is read.
MAX_XLSX_UNPACKED = 1 << 30
# Without a type, Redivis detects it from the file extension, delimited by default [doc: "Tabular data",
# supported file types]. The client sends no type for a file (type "parquet" for a dataframe it converts).
TYPES_BY_EXTENSION = {".ndjson": "ndjson", ".jsonl": "ndjson", ".json": "json", ".avro": "avro",
                      ".parquet": "parquet", ".orc": "orc", ".sas7bdat": "sas7bdat", ".dta": "dta", ".sav": "sav",
                      ".xls": "xls", ".xlsx": "xlsx", ".geojson": "geojson", ".geojsonl": "geojsonl",
                      ".shp.zip": "shp.zip", ".shp": "shp", ".kml": "kml"}
STREAM_TYPE = "stream"
# Variable types inferred from the values (Redivis's type names).
VARIABLE_TYPES = ("string", "integer", "float", "boolean", "date", "dateTime", "time", "geography")
# Temporary upload URLs are served by the emulator itself (redivis.com hands out signed storage URLs):
# the URL is the credential, as a signed URL is.
TEMP_UPLOAD_PATH = "/tempUploads/{id}"
# The client sends files over 1 MB there (one PUT; from 32 MB a resumable session: a POST, then PUTs with
# Content-Range, and a ``bytes */<size>`` PUT asking what arrived after a failure) [client 0.21.1
# retryable_upload.py], as to Google Cloud Storage, whose answers these follow: 308 with
# ``Range: bytes=0-<last>`` while a session is short of its size, 200 once it is whole.
# Redivis documents no ceiling for these (100 MB for simple and multipart uploads) [doc: REST API uploads.post];
# ASSUMPTION: the emulator's is its ``max_upload`` setting (``serve --max-upload``), a 413 when the temporary
# upload is asked for, before the client sends the file (it would retry a refused PUT eleven times, a minute).
RESUME_INCOMPLETE = 308

MSG_TABLE_NOT_FOUND = 'Table "{reference}" not found'
MSG_UPLOAD_NOT_FOUND = 'Upload "{name}" not found'
MSG_VARIABLE_NOT_FOUND = 'Variable "{name}" not found'
MSG_TEMP_UPLOAD_NOT_FOUND = 'Temporary upload "{id}" not found'
MSG_TABLE_DUPLICATE = 'A table with the name "{name}" already exists in this version of the dataset'
MSG_UPLOAD_DUPLICATE = 'An upload with the name "{name}" already exists on this version of the table'
MSG_NOT_NEXT = "Tables can only be modified in the next (unreleased) version of a dataset"
MSG_TABLE_NAME = "name is required and must be a string"
MSG_MERGE_STRATEGY = "uploadMergeStrategy must be one of: append, replace"
MSG_BOOLEAN = "{field} must be a boolean"
MSG_STRING = "{field} must be a string"
MSG_TEMP_UPLOADS = "tempUploads must be a non-empty list of objects with a size and a name"
MSG_TEMP_UPLOAD_UNUSED = "Temporary upload {id} has not received any data"
MSG_TEMP_UPLOAD_PARTIAL = "Temporary upload {id} has received {received} of {size} bytes"
MSG_TEMP_UPLOAD_TOO_LARGE = ("{name} has {size} bytes; the emulator takes files up to {limit} bytes "
                             "(raise it with serve --max-upload)")
MSG_CONTENT_RANGE = "Content-Range must be 'bytes <first>-<last>/<size>' or 'bytes */<size>', matching the body"
MSG_CONTENT_RANGE_GAP = "Content-Range starts at byte {first}; the next byte expected is {received}"
MSG_UPLOAD_NO_DATA = "An upload needs data: a file, a tempUploadId, or type stream"
MSG_UPLOAD_NAME = "name must be a string of at most 1024 characters"
# An upload sent without a name (the client allows it for bytes) is named after its file, else "upload_<n>".
UNNAMED_UPLOAD = "upload_{n}"
MSG_SCHEMA = "schema must be a list of objects with a name and a type"
MSG_ROWS = "rows must be a list of objects"
MSG_NOT_STREAM = "Rows can only be inserted into an upload of type stream"
MSG_ROW_FIELD = 'Row {row}: no variable "{name}" in the upload schema'
MSG_UPLOAD_TYPE = ("The emulator reads delimited (CSV/TSV), ndjson, json and xlsx uploads only; {type} files "
                   "are not parsed (upload the data as CSV, or pass type= for a file whose name does not say its "
                   "type)")
MSG_UPLOAD_ENCODING = "The file is not valid UTF-8 text"
MSG_UPLOAD_EMPTY = "The file is empty"
MSG_UPLOAD_UNREADABLE = "The file could not be parsed: {reason}"
MSG_UPLOAD_JAGGED = "Row {row} has {found} values, expected {expected}"
MSG_UPLOAD_DUPLICATE_HEADER = 'Duplicate variable name "{name}" in the header row'
MSG_UPLOAD_DUPLICATE_KEY = 'Duplicate variable name "{name}": the keys "{first}" and "{second}" both give it'
MSG_UPLOAD_JSON_LINE = "Line {line} is not valid JSON: {reason}"
MSG_UPLOAD_JSON_LINE_OBJECT = "Line {number} is not a JSON object"
MSG_UPLOAD_JSON = "The file is not valid JSON: {reason}"
MSG_UPLOAD_JSON_ARRAY = "A json file must hold a JSON array of objects, one per row"
MSG_UPLOAD_JSON_ITEM = "Item {number} of the array is not a JSON object"
MSG_UPLOAD_XLSX = "The file is not a valid xlsx workbook: {reason}"
MSG_UPLOAD_XLSX_TOO_LARGE = "The workbook unpacks to {size} bytes; the emulator reads workbooks up to {limit} bytes"
MSG_UPLOAD_TOO_MANY_VARIABLES = "A table can have at most {limit} variables"
MAX_VARIABLES = 9990
