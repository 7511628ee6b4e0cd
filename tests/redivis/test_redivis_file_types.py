"""Newline-delimited JSON, JSON and xlsx uploads through the real client: rows, typed variables, failures.

The client sends a file path up to 1 MB as multipart, bytes through a temporary upload, and from 32 MB on
(lowered here) through a resumable session: each file type is read the same on every path.
"""

from __future__ import annotations

import datetime
import io
import zipfile

import openpyxl
import pytest
import redivis
from redivis.classes import Upload as upload_module
from redivis.common.exceptions import JobError

NDJSON = (b'{"id": 1, "name": "Ada", "score": 3.5, "active": true, "born": "1815-12-10", "tags": ["math"]}\n'
          b"\n"
          b'{"id": 2, "name": "Grace", "score": 4, "active": false, "born": null, "address": {"city": "NYC"}}\r\n'
          b'{"id": 3, "name": "Edsger", "seen at": "2024-05-01T10:30:00"}\n')
NDJSON_VARIABLES = [("id", "integer"), ("name", "string"), ("score", "float"), ("active", "boolean"),
                    ("born", "date"), ("tags", "string"), ("address", "string"), ("seen_at", "dateTime")]
XLSX_VARIABLES = [("id", "integer"), ("label", "string"), ("ratio", "float"), ("flag", "boolean"),
                  ("day", "date"), ("stamp", "dateTime"), ("clock", "time"), ("f7", "string"), ("note", "string")]


def _workbook() -> bytes:
    """A header row, two typed rows with empty cells and an empty row between them, then a second sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "label", "ratio", "flag", "day", "stamp", "clock", None, "note"])
    sheet.append([1, "one", 0.5, True, datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4, 5),
                  datetime.time(6, 7, 8), None, "first"])
    sheet.append([])
    sheet.append([2, "two", 2, False, datetime.date(2024, 2, 3), datetime.datetime(2024, 2, 3)])
    workbook.create_sheet("Ignored").append(["other", "columns"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def table(api):
    return redivis.user("demo_user").dataset("File types").create().table("Target").create()


def _types(resource) -> list[tuple[str, str]]:
    return [(v.name, v.properties["type"]) for v in resource.list_variables()]


def _send(table, name: str, content: bytes, path: str, tmp_path, monkeypatch):
    if path == "multipart":
        file = tmp_path / name
        file.write_bytes(content)
        return table.upload(name).create(file)
    if path == "resumable":
        monkeypatch.setattr(upload_module, "MIN_RESUMABLE_UPLOAD_SIZE", 0)
    return table.upload(name).create(content)


@pytest.mark.parametrize("path", ["multipart", "temporary", "resumable"])
@pytest.mark.parametrize(("name", "content", "kind", "rows", "expected"), [
    ("people.ndjson", NDJSON, "ndjson", 3, NDJSON_VARIABLES),
    ("sheet.xlsx", _workbook(), "xlsx", 2, XLSX_VARIABLES),
], ids=["ndjson", "xlsx"])
def test_a_file_type_is_read_on_every_upload_path(table, tmp_path, monkeypatch, path, name, content, kind, rows,
                                                   expected):
    upload = _send(table, name, content, path, tmp_path, monkeypatch)
    assert (upload.properties["type"], upload.properties["status"]) == (kind, "completed")
    assert upload.properties["numRows"] == rows == table.get().properties["numRows"]
    assert _types(table) == expected
    assert _types(table.upload(name)) == expected


def test_type_given_overrides_the_name_and_json_arrays_are_read(table):
    lines = table.upload("export.txt").create(b'{"k": "a", "n": 1}\n{"k": "b", "n": 2.5}\n', type="ndjson")
    assert (lines.properties["type"], lines.properties["numRows"]) == ("ndjson", 2)
    array = table.upload("more.json").create(b'[{"k": "c", "when": "2024-01-01"}, {"k": "d", "n": 7}]')
    assert (array.properties["type"], array.properties["numRows"]) == ("json", 2)
    assert table.get().properties["numRows"] == 4
    assert _types(table) == [("k", "string"), ("n", "float"), ("when", "date")]


def test_a_sheet_without_a_header_row_gets_numbered_variables(table):
    upload = table.upload("raw.xlsx").create(_workbook(), has_header_row=False)
    assert upload.properties["numRows"] == 3
    assert [name for name, _ in _types(table)] == [f"f{i}" for i in range(9)]


def _not_a_workbook_part() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "a zip, not a workbook")
    return out.getvalue()


def _bomb() -> bytes:
    """A small zip whose directory says its part unpacks to 2 GiB: refused before anything is unpacked."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
        archive.infolist()[0].file_size = 2**31
    return out.getvalue()


def _damaged_sheet() -> bytes:
    """A workbook whose first sheet's XML stops mid-tag: found while its rows are read."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_workbook())) as whole, zipfile.ZipFile(out, "w") as damaged:
        for part in whole.infolist():
            cut = part.filename == "xl/worksheets/sheet1.xml"
            damaged.writestr(part, whole.read(part)[:300] if cut else whole.read(part))
    return out.getvalue()


MALFORMED = [
    ("bad.ndjson", b'{"a": 1}\n{"a": 2}\n{"a": 3,}\n',
     "Line 3 is not valid JSON: Expecting property name enclosed in double quotes at column 9"),
    ("list.jsonl", b'{"a": 1}\n\n[1, 2]\n', "Line 3 is not a JSON object"),
    ("nan.ndjson", b'{"a": NaN}\n', "Line 1 is not valid JSON: NaN is not a JSON value"),
    ("keys.ndjson", b'{"a b": 1}\n{"a_b": 2}\n',
     'Duplicate variable name "a_b": the keys "a b" and "a_b" both give it'),
    ("object.json", b'{"a": 1}', "A json file must hold a JSON array of objects, one per row"),
    ("cut.json", b'[{"a": 1},\n {"a": 2}', "The file is not valid JSON: Expecting ',' delimiter at line 2 column 10"),
    ("mixed.json", b'[{"a": 1}, "b"]', "Item 2 of the array is not a JSON object"),
    ("text.xlsx", b"id,name\n1,Ada\n", "The file is not a valid xlsx workbook: File is not a zip file"),
    ("zip.xlsx", _not_a_workbook_part(),
     "The file is not a valid xlsx workbook: There is no item named '[Content_Types].xml' in the archive"),
    ("damaged.xlsx", _damaged_sheet(), "The file is not a valid xlsx workbook: "),
    ("bomb.xlsx", _bomb(), "The workbook unpacks to 2147483648 bytes; the emulator reads workbooks up to "
     "1073741824 bytes"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "The emulator reads delimited (CSV/TSV), ndjson, json and xlsx "
     "uploads only; xls files are not parsed"),
]


@pytest.mark.parametrize(("name", "content", "message"), MALFORMED, ids=[case[0] for case in MALFORMED])
def test_a_malformed_file_fails_with_its_reason(table, name, content, message):
    with pytest.raises(JobError) as raised:
        table.upload(name).create(content)
    assert raised.value.message.startswith(message)
    failed = table.upload(name)
    failed.get()
    assert (failed.properties["status"], failed.properties["errorMessage"]) == ("failed", raised.value.message)
    assert (table.get().properties["numRows"], _types(table)) == (0, [])
