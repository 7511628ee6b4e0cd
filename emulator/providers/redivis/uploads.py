"""Uploads into a table: temporary uploads (served by the emulator), file and stream uploads, their status."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import quote

from flask import request

from emulator import context
from emulator.providers.base import Record

from . import errors, excel_uploads, json_uploads, model, schemas, service, settings, tables, variables
from .names import ID_ALPHABET

TEMP_UPLOADS_SCHEMA = schemas.TempUploadsSchema()
UPLOAD_SCHEMA = schemas.UploadSchema()
ROWS_SCHEMA = schemas.RowsSchema()
# A temporary upload's id is also its URL's only credential, as a signed storage URL's signature is.
TEMP_ID_LENGTH = 32
_PY_TYPES = ((bool, "boolean"), (int, "integer"), (float, "float"))
# The file types read besides delimited ones (settings.DELIMITED_TYPES).
_READERS = {settings.NDJSON_TYPE: json_uploads.parse_ndjson, settings.JSON_TYPE: json_uploads.parse_json,
            settings.XLSX_TYPE: excel_uploads.parse_xlsx}


# ---- temporary uploads ------------------------------------------------------------------------------


def create_temp_uploads(table_reference: str, viewer: Record) -> Record:
    found = tables.resolve(table_reference, viewer, write=True)
    body = schemas.load(TEMP_UPLOADS_SCHEMA, schemas.parse_json(request.get_data()))
    limit = context.platform().settings.max_upload
    for item in body["tempUploads"]:
        if item["size"] > limit:
            raise errors.RedivisError(413, settings.CODE_PAYLOAD_TOO_LARGE, settings.MSG_TEMP_UPLOAD_TOO_LARGE.format(
                name=item["name"], size=item["size"], limit=limit))
    results = []
    for item in body["tempUploads"]:
        temp_id = context.ids().string(ID_ALPHABET, TEMP_ID_LENGTH)
        resumable = bool(item.get("resumable"))
        context.table("tempUploads").put({"id": temp_id, "tableId": found.table["id"], "name": item["name"],
                                          "size": item["size"], "resumable": resumable, "data": None,
                                          "complete": False})
        results.append({"id": temp_id, "url": context.base_url() + settings.TEMP_UPLOAD_PATH.format(id=temp_id),
                        "resumable": resumable})
    return {"results": results}


def _temp_or_404(temp_id: str) -> Record:
    temp = context.table("tempUploads").get(temp_id)
    if temp is None:
        raise errors.not_found(settings.MSG_TEMP_UPLOAD_NOT_FOUND.format(id=temp_id))
    return temp


_CONTENT_RANGE = re.compile(r"bytes (?:([0-9]+)-([0-9]+)|\*)/([0-9]+)")


def _received(temp: Record) -> bytes:
    return base64.b64decode(temp["data"]) if temp["data"] else b""


def _store_bytes(temp: Record, data: bytes, complete: bool) -> Record:
    return context.table("tempUploads").put({**temp, "data": base64.b64encode(data).decode("ascii"),
                                             "complete": complete})


def _progress(temp: Record) -> tuple[int, dict[str, str]]:
    """Google Cloud Storage's answer about a resumable session: 200 once whole, else 308 and what arrived."""
    if temp["complete"]:
        return 200, {}
    received = len(_received(temp))
    return settings.RESUME_INCOMPLETE, {"Range": f"bytes=0-{received - 1}"} if received else {}


def receive(temp_id: str) -> tuple[int, dict[str, str]]:
    """Bytes sent to a temporary upload URL, answered (status, headers) as Google Cloud Storage does.

    A POST starts a resumable session (its URL is the same one); a PUT without Content-Range is the whole
    file; with one, a chunk of a resumable session (``bytes */<size>`` only asks what arrived).
    """
    temp = _temp_or_404(temp_id)
    if request.method == "POST":  # x-goog-resumable: start
        return 201, {"Location": context.base_url() + settings.TEMP_UPLOAD_PATH.format(id=temp_id)}
    content_range = request.headers.get("Content-Range")
    data = request.get_data()
    if content_range is None:
        _store_bytes(temp, data, complete=True)
        return 200, {}
    match = _CONTENT_RANGE.fullmatch(content_range.strip())
    if match is None:
        raise errors.invalid(settings.MSG_CONTENT_RANGE)
    first, last, size = (int(part) if part is not None else None for part in match.groups())
    if first is None:
        if data:
            raise errors.invalid(settings.MSG_CONTENT_RANGE)
        return _progress(temp)
    if last < first or last >= size or len(data) != last - first + 1:
        raise errors.invalid(settings.MSG_CONTENT_RANGE)
    with context.transaction():
        temp = _temp_or_404(temp_id)
        received = b"" if temp["complete"] else _received(temp)  # a whole file sent again starts over
        if first > len(received):
            raise errors.invalid(settings.MSG_CONTENT_RANGE_GAP.format(first=first, received=len(received)))
        return _progress(_store_bytes(temp, received[:first] + data, complete=last + 1 == size))


# ---- uploads ----------------------------------------------------------------------------------------


def _reference_name(name: str) -> str:
    return name.replace(".", "_")


def _uri(table_uri: str, upload: Record) -> str:
    return f"{table_uri}/uploads/{quote(_reference_name(upload['name']), safe='')}"


def resource(table_uri: str, upload: Record) -> Record:
    """ASSUMPTION beyond what the client reads (uri, status, errorMessage, kind)."""
    return {"kind": "upload", "id": upload["id"], "uri": _uri(table_uri, upload), "name": upload["name"],
            "type": upload["type"], "status": upload["status"], "errorMessage": upload["errorMessage"],
            "createdAt": upload["createdAt"], "updatedAt": upload["updatedAt"], "numRows": upload["numRows"],
            "numBytes": upload["numBytes"], "variableCount": len(upload["variables"])}


def _find(found: tables.ResolvedTable, name: str) -> Record:
    for upload in context.table("uploads").find(tableId=found.table["id"]):
        if name in (upload["name"], _reference_name(upload["name"])):
            return upload
    raise errors.not_found(settings.MSG_UPLOAD_NOT_FOUND.format(name=name))


def _request_fields() -> tuple[Record, bytes | None, str]:
    """(metadata, file bytes or None, file name): a multipart upload or a JSON body."""
    if request.mimetype != "multipart/form-data":
        return schemas.parse_json(request.get_data()), None, ""
    part = request.files.get("metadata")
    raw = part.read() if part is not None else request.form.get("metadata", "").encode()
    data = request.files.get("data")
    if data is None:
        raise errors.invalid(settings.MSG_UPLOAD_NO_DATA)
    return schemas.parse_json(raw), data.read(), data.filename or ""


def _source(body: Record, content: bytes | None, table_id: str) -> tuple[bytes | None, str | None]:
    """The file's bytes (None for a stream) and the temporary upload they came from."""
    if content is not None:
        return content, None
    temp_id = body.get("tempUploadId")
    if temp_id:
        temp = _temp_or_404(temp_id)
        if temp["tableId"] != table_id:
            raise errors.not_found(settings.MSG_TEMP_UPLOAD_NOT_FOUND.format(id=temp_id))
        if temp["data"] is None:
            raise errors.invalid(settings.MSG_TEMP_UPLOAD_UNUSED.format(id=temp_id))
        data = _received(temp)
        if not temp["complete"]:
            raise errors.invalid(settings.MSG_TEMP_UPLOAD_PARTIAL.format(id=temp_id, received=len(data),
                                                                          size=temp["size"]))
        return data, temp_id
    if body.get("type") == settings.STREAM_TYPE:
        return None, None
    raise errors.invalid(settings.MSG_UPLOAD_NO_DATA)


def _file_type(body: Record, name: str) -> str:
    """The upload's type: as given, else detected from the file name's extension (delimited by default)."""
    if body.get("type"):
        return body["type"]
    lowered = name.lower()
    return next((kind for extension, kind in settings.TYPES_BY_EXTENSION.items() if lowered.endswith(extension)),
                "delimited")


def _outcome(body: Record, data: bytes | None, name: str, kind: str) -> variables.Parsed:
    if data is None:  # a stream: its schema, rows to come
        return variables.Parsed(variables=[dict(v) for v in body.get("schema") or []])
    kind = kind.lower()
    if kind in settings.DELIMITED_TYPES:
        return variables.parse_delimited(data, body, name)
    reader = _READERS.get(kind)
    if reader is None:
        return variables.Parsed(error=settings.MSG_UPLOAD_TYPE.format(type=kind))
    return reader(data, body)


def _apply(table: Record, upload: Record) -> Record:
    """A completed upload's rows and variables join its table (replace: they become the table's)."""
    if table["uploadMergeStrategy"] == "replace":
        merged = {"numRows": upload["numRows"], "numBytes": upload["numBytes"], "variables": upload["variables"]}
    else:
        merged = {"numRows": table["numRows"] + upload["numRows"], "numBytes": table["numBytes"] + upload["numBytes"],
                  "variables": variables.merge(table["variables"], upload["variables"])}
    return tables.store({**table, **merged})


def create(table_reference: str, viewer: Record) -> Record:
    found = tables.resolve(table_reference, viewer, write=True)
    metadata, content, file_name = _request_fields()
    body = schemas.load(UPLOAD_SCHEMA, metadata)
    data, temp_id = _source(body, content, found.table["id"])
    kind = settings.STREAM_TYPE if data is None else _file_type(body, body["name"] or file_name)
    parsed = _outcome(body, data, body["name"] or file_name, kind)
    config, now = context.config(), model.millis(context.now())
    final = settings.UPLOAD_FAILED if parsed.error else settings.UPLOAD_COMPLETED
    immediate = data is None or config["uploadStatus"] == settings.UPLOAD_IMMEDIATE
    with context.transaction():
        table = tables.fresh(found)
        siblings = context.table("uploads").find(tableId=table["id"])
        name = body["name"] or file_name or settings.UNNAMED_UPLOAD.format(n=len(siblings) + 1)
        if any(u["name"] == name for u in siblings):
            raise errors.invalid(settings.MSG_UPLOAD_DUPLICATE.format(name=name))
        upload = {"id": model.random_id(),
                  "tableId": table["id"], "name": name, "type": kind,
                  "status": final if immediate else settings.UPLOAD_INGESTING,
                  "outcome": final, "errorMessage": parsed.error if immediate else None,
                  "parsedError": parsed.error, "createdAt": now, "updatedAt": now, "numRows": parsed.num_rows,
                  "numBytes": len(data or b""), "variables": parsed.variables,
                  "readsLeft": 0 if immediate else config["uploadAfterReads"]}
        context.table("uploads").put(upload)
        if temp_id is not None:
            context.table("tempUploads").delete(temp_id)
        if immediate and final == settings.UPLOAD_COMPLETED:
            _apply(table, upload)
    return resource(found.uri, upload)


def _settle(upload: Record) -> Record:
    """One read of an ingesting upload; at the configured read it finishes (and its table follows)."""
    if upload["status"] != settings.UPLOAD_INGESTING:
        return upload
    with context.transaction():
        stored = context.table("uploads").get(upload["id"]) or upload
        if stored["status"] != settings.UPLOAD_INGESTING:
            return stored
        left = stored["readsLeft"] - 1
        if left > 0:
            return context.table("uploads").put({**stored, "readsLeft": left})
        done = context.table("uploads").put({**stored, "readsLeft": 0, "status": stored["outcome"],
                                             "errorMessage": stored["parsedError"],
                                             "updatedAt": model.millis(context.now())})
        table = context.table("tables").get(done["tableId"])
        if table is not None and done["status"] == settings.UPLOAD_COMPLETED:
            _apply(table, done)
        return done


def get(table_reference: str, name: str, viewer: Record | None) -> Record:
    found = tables.resolve(table_reference, viewer)
    upload = _find(found, name)
    if request.method == "GET":
        upload = _settle(upload)
    return resource(found.uri, upload)


def delete(table_reference: str, name: str, viewer: Record) -> None:
    found = tables.resolve(table_reference, viewer, write=True)
    with context.transaction():
        upload = _find(found, name)
        context.table("uploads").delete(upload["id"])
        table = tables.fresh(found)
        if upload["status"] == settings.UPLOAD_COMPLETED and table["uploadMergeStrategy"] == "append":
            # ASSUMPTION: its rows leave the table; the variables it brought stay.
            tables.store({**table, "numRows": max(0, table["numRows"] - upload["numRows"]),
                          "numBytes": max(0, table["numBytes"] - upload["numBytes"])})


def list_for(table_reference: str, viewer: Record | None) -> Record:
    found = tables.resolve(table_reference, viewer)
    uploads = context.table("uploads").find(tableId=found.table["id"])
    chunk, token = service.paginate(uploads, "id")
    return model.page("uploadList", [resource(found.uri, u) for u in chunk], token)


def list_variables(table_reference: str, name: str, viewer: Record | None) -> Record:
    found = tables.resolve(table_reference, viewer)
    upload = _find(found, name)
    uri, url = _uri(found.uri, upload), tables.render(found)["url"]
    listed = [{"key": f"{i:08d}", "index": i, "variable": v} for i, v in enumerate(upload["variables"])]
    chunk, token = service.paginate(listed, "key")
    return model.page("variableList", [variables.resource(item["variable"], item["index"], uri, url)
                                       for item in chunk], token)


def _row_type(value: Any) -> str:
    return next((name for kind, name in _PY_TYPES if isinstance(value, kind)), "string")


def insert_rows(table_reference: str, name: str, viewer: Record) -> Record:
    found = tables.resolve(table_reference, viewer, write=True)
    body = schemas.load(ROWS_SCHEMA, schemas.parse_json(request.get_data()))
    with context.transaction():
        upload = _find(found, name)
        if upload["type"] != settings.STREAM_TYPE:
            raise errors.invalid(settings.MSG_NOT_STREAM)
        known = [dict(v) for v in upload["variables"]]
        has_schema = bool(known)
        for number, row in enumerate(body["rows"], start=1):
            for key, value in row.items():
                if variables.find(known, key) is None:
                    if has_schema:
                        raise errors.invalid(settings.MSG_ROW_FIELD.format(row=number, name=key))
                    known.append({"name": variables.variable_name(key, len(known)), "type": _row_type(value)})
        count = len(body["rows"])
        stored = context.table("uploads").put({**upload, "variables": known, "numRows": upload["numRows"] + count,
                                               "updatedAt": model.millis(context.now())})
        table = tables.fresh(found)
        tables.store({**table, "numRows": table["numRows"] + count,
                      "variables": variables.merge(table["variables"], known)})
    # ASSUMPTION: the answer names the rows taken and the upload they went to.
    return {"insertedRows": count, "upload": resource(found.uri, stored)}
