"""Reading uploaded Excel workbooks (xlsx): the first worksheet's rows, through ``variables.tabulate``."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl
from openpyxl.styles.numbers import is_datetime

from emulator.providers.base import Record

from . import settings, variables


def _cell_text(cell: Any) -> str:
    """A cell as text. Excel stores dates and date-times alike; the cell's number format tells them apart."""
    value = cell.value
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if is_datetime(cell.number_format) == "date" else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):  # a duration format ([h]:mm:ss): not a time of day
        return str(value)
    return variables.text_of(value)


def _rows(sheet: Any) -> Iterator[list[str]]:
    """Each row's cells as text, without its empty trailing cells (a spreadsheet has no row length)."""
    for row in sheet.iter_rows():
        cells = [_cell_text(cell) for cell in row]
        while cells and cells[-1] == "":
            cells.pop()
        yield cells


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(member.file_size for member in archive.infolist())


def _reason(exc: Exception) -> str:
    text = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else str(exc)
    return text or type(exc).__name__


def parse_xlsx(data: bytes, options: Record) -> variables.Parsed:
    """The first worksheet: a header row unless ``hasHeaderRow`` is false, then one row per table row."""
    # openpyxl raises many kinds of exception for a damaged file (not a zip, a part missing, bad XML):
    # each is a workbook Redivis could not read either, so each fails the upload with its reason.
    try:
        size = _unpacked_size(data)
        if size > settings.MAX_XLSX_UNPACKED:
            return variables.Parsed(error=settings.MSG_UPLOAD_XLSX_TOO_LARGE.format(
                size=size, limit=settings.MAX_XLSX_UNPACKED))
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        return variables.Parsed(error=settings.MSG_UPLOAD_XLSX.format(reason=_reason(exc)))
    try:
        if not workbook.worksheets:
            return variables.Parsed(error=settings.MSG_UPLOAD_EMPTY)
        sheet = workbook.worksheets[0]
        # The sheet's declared size would pad every row to its width: a few bytes claiming 16384 columns
        # would make each row 16384 cells. Without it, a row ends at its last cell.
        sheet.reset_dimensions()
        return variables.tabulate(_rows(sheet), options, trailing_cells_optional=True)
    except Exception as exc:  # a damaged sheet, found while reading it
        return variables.Parsed(error=settings.MSG_UPLOAD_XLSX.format(reason=_reason(exc)))
    finally:
        workbook.close()
