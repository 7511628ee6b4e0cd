"""Dataset items in the export formats of ``GET /v2/datasets/{id}/items``: json, jsonl, csv, html, xlsx, xml, rss.

The items arrive shaped already (fields, omit, unwind, flatten, clean); this module only writes them out, through
the csv module, ElementTree and openpyxl.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from emulator import context

from .settings import (
    ATTACHMENT_NAME,
    BOM_BY_DEFAULT,
    COLUMN_SEPARATOR,
    CSV_LINE_END,
    FEED_DESCRIPTION,
    FEED_TITLE,
    HTML_CSP,
    ITEM_FORMATS,
    MAX_COLUMN_NAME,
    MAX_COLUMNS,
    MAX_EXPORT_DEPTH,
    XLSX_SHEET,
    XML_NAME_RE,
    XML_ROOT,
    XML_ROW,
)

Item = dict[str, Any]
BOM = "\ufeff"
# Characters XML 1.0 does not allow in a document (ElementTree and openpyxl write them as they are).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]")
_NOT_IN_XML_NAME = re.compile(r"[^\w.\-\u00b7\u00c0-\uffff]")


@dataclass(frozen=True)
class Export:
    """How to write one export (the query's format options, defaults filled in)."""

    format: str
    label: str = ""  # the dataset's name, or its id
    bom: bool | None = None
    delimiter: str = ","
    skip_header_row: bool = False
    xml_root: str = XML_ROOT
    xml_row: str = XML_ROW
    feed_title: str = ""
    feed_description: str = ""

    @property
    def content_type(self) -> str:
        return ITEM_FORMATS[self.format]

    def with_bom(self) -> bool:
        return self.format in BOM_BY_DEFAULT if self.bom is None else self.bom


def text(value: Any) -> str:
    """A scalar as JavaScript's ``String()`` writes it (``true``, ``1`` for ``1.0``); JSON text for the rest."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- tables: csv, html, xlsx --------------------------------------------------------------------------------


def _cells(item: Item) -> dict[str, Any]:
    """One row: nested objects and arrays spread over ``a/b`` and ``a/0`` columns (a loop, not recursion)."""
    row: dict[str, Any] = {}
    pending: list[tuple[str, Any, int]] = [(key, value, 1) for key, value in reversed(item.items())]
    while pending:
        path, value, depth = pending.pop()
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        if children and value and depth < MAX_EXPORT_DEPTH:
            pending.extend((f"{path}{COLUMN_SEPARATOR}{key}", inner, depth + 1) for key, inner in reversed(
                list(children)))
        else:
            # ASSUMPTION (settings): empty objects and arrays leave the cell empty, deeper ones are JSON text.
            row[path] = None if isinstance(value, dict | list) and not value else value
    return row


def _table(items: list[Item]) -> tuple[list[str], list[dict[str, Any]]]:
    """(columns in order of first appearance, at most MAX_COLUMNS of them; the rows)."""
    rows = [_cells(item) for item in items]
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)[:MAX_COLUMNS], rows


def _header(columns: list[str]) -> list[str]:
    return [column[:MAX_COLUMN_NAME] for column in columns]


def _csv(items: list[Item], export: Export) -> str:
    columns, rows = _table(items)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=export.delimiter, lineterminator=CSV_LINE_END)
    if columns and not export.skip_header_row:
        writer.writerow(_header(columns))
    writer.writerows([text(row.get(column)) for column in columns] for row in rows)
    return out.getvalue()


def _html(items: list[Item], _export: Export) -> str:
    """The table of Apify's OpenAPI example (``<table><tr><th>…``); ElementTree escapes every value."""
    columns, rows = _table(items)
    table = ET.Element("table")
    head = ET.SubElement(table, "tr")
    for name in _header(columns):
        ET.SubElement(head, "th").text = name
    for row in rows:
        line = ET.SubElement(table, "tr")
        for column in columns:
            ET.SubElement(line, "td").text = text(row.get(column))
    return ET.tostring(table, encoding="unicode", method="html")


def _xlsx_value(sheet: Any, value: Any) -> Any:
    if isinstance(value, bool | int | float) or value is None:
        return value
    cell = WriteOnlyCell(sheet, _NOT_XML.sub("", text(value)))  # a worksheet is an XML document
    cell.data_type = "s"  # a value such as "=HYPERLINK(...)" stays text, never becomes a formula
    return cell


def _xlsx(items: list[Item], _export: Export) -> bytes:
    columns, rows = _table(items)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(XLSX_SHEET)
    if columns:
        sheet.append([_xlsx_value(sheet, name) for name in _header(columns)])
    for row in rows:
        sheet.append([_xlsx_value(sheet, row.get(column)) for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- documents: xml, rss --------------------------------------------------------------------------------------


def xml_name(key: str) -> str:
    """``key`` as an element or attribute name (ASSUMPTION in settings)."""
    if XML_NAME_RE.fullmatch(key):
        return key
    name = _NOT_IN_XML_NAME.sub("_", key)
    return name if XML_NAME_RE.fullmatch(name) else "_" + name


def _xml_text(value: Any) -> str:
    return _NOT_XML.sub("", text(value))


def _xml_fill(element: ET.Element, value: Any, depth: int) -> None:
    """Apify's XML mapping: keys become child elements, an array repeats its key's element, ``@`` holds the
    attributes, ``#`` the text of an element without children, null an empty element."""
    if not isinstance(value, dict) or depth >= MAX_EXPORT_DEPTH:
        if value is not None:
            element.text = _xml_text(value)
        return
    for key, inner in value.items():
        if key == "@" and isinstance(inner, dict):
            for name, attribute in inner.items():
                element.set(xml_name(name), _xml_text(attribute))
        elif key != "#":
            _xml_children(element, key, inner, depth + 1)
    if "#" in value and len(element) == 0:
        element.text = _xml_text(value["#"])


def _xml_children(parent: ET.Element, key: str, value: Any, depth: int) -> None:
    if isinstance(value, list) and depth < MAX_EXPORT_DEPTH:  # each element repeats the key's element
        for one in value:
            _xml_children(parent, key, one, depth + 1)
        return
    _xml_fill(ET.SubElement(parent, xml_name(key)), value, depth)


def _xml_items(parent: ET.Element, items: list[Item], row: str) -> None:
    for item in items:
        _xml_fill(ET.SubElement(parent, row), item, 0)


def _xml(items: list[Item], export: Export) -> str:
    root = ET.Element(export.xml_root)
    _xml_items(root, items, export.xml_row)
    return ET.tostring(root, encoding="unicode")


def _rss(items: list[Item], export: Export) -> str:
    rss = ET.Element("rss")
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = _NOT_XML.sub("", export.feed_title)
    ET.SubElement(channel, "description").text = _NOT_XML.sub("", export.feed_description)
    _xml_items(channel, items, "item")
    return ET.tostring(rss, encoding="unicode")


# --- lines: json, jsonl ---------------------------------------------------------------------------------------


def _jsonl(items: list[Item], _export: Export) -> str:
    # Compact, one item a line, as in the OpenAPI application/jsonl example.
    return "".join(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n" for item in items)


_WRITERS = {"jsonl": _jsonl, "csv": _csv, "html": _html, "xlsx": _xlsx, "xml": _xml, "rss": _rss}


def export_of(query: dict[str, Any], dataset: Item) -> Export:
    """The export a validated items query asks for (json unless ``format`` says otherwise)."""
    label = dataset.get("name") or dataset["id"]
    return Export(format=query.get("format", "json"), label=label, bom=query.get("bom"),
                  delimiter=query.get("delimiter", ","), skip_header_row=query.get("skipHeaderRow", False),
                  xml_root=query.get("xmlRoot", XML_ROOT), xml_row=query.get("xmlRow", XML_ROW),
                  feed_title=query.get("feedTitle", FEED_TITLE.format(label=label)),
                  feed_description=query.get("feedDescription", FEED_DESCRIPTION.format(id=dataset["id"])))


def export_headers(export: Export, attachment: bool) -> dict[str, str]:
    """``Content-Disposition`` when ``attachment`` asks the browser to save the file; the html export's CSP."""
    headers = {"Content-Security-Policy": HTML_CSP} if export.format == "html" else {}
    if attachment:
        label = _UNSAFE_IN_FILENAME.sub("_", export.label)
        filename = ATTACHMENT_NAME.format(label=label, moment=context.now(), ext=export.format)
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return headers


def render(items: list[Item], export: Export) -> bytes:
    """The body of a non-JSON export (json itself is framed like every other Apify JSON answer)."""
    body = _WRITERS[export.format](items, export)
    if isinstance(body, bytes):
        return body
    return ((BOM if export.with_bom() else "") + body).encode("utf-8")
