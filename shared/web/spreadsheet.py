"""Opening an uploaded .xlsx safely: one error for anything unreadable, and a cap on how much
it may unpack to (an .xlsx is a zip; a small upload can expand to gigabytes). Reading its rows
and cells as the clerk typed them: a row the XML parser cannot read is named by its number, and
a cell holding a control or invisible character is kept as it is, for its row's check to report
with its column and field."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from shared.kernel.errors import Invalid
from shared.kernel.text import unsafe

MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def open_workbook(content: bytes, max_unpacked: int = MAX_UNPACKED_BYTES) -> Workbook:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Invalid.on("file", "the file is not a readable .xlsx workbook; download the template") from None
    if unpacked > max_unpacked:
        raise Invalid.on("file", f"the workbook unpacks to {unpacked:,} bytes; the limit is {max_unpacked:,}")
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a malformed workbook
        raise Invalid.on("file", "the file is not a readable .xlsx workbook; download the template") from None


UNREADABLE_ROW = (
    "row {row} cannot be read: it holds a character a workbook may not hold (such as a control "
    "character) or is damaged; retype it or copy the list into the template"
)


def sheet_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of each row of a sheet opened by open_workbook, the first row 1. A
    row the parser cannot read (the XML of a cell holding a NUL, say) refuses the file, naming
    that row."""
    rows = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl and its XML parser raise many kinds
            row = _row_at(sheet, exc) or number + 1
            raise Invalid.on("file", UNREADABLE_ROW.format(row=row), row=row) from None
        number += 1
        yield number, values


_ROW_TAG = re.compile(r'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')


def _row_at(sheet: Any, exc: Exception) -> int | None:
    """The row whose XML holds the parser's error, if it says where (line, column): the parser
    reads ahead, so the rows it yielded do not tell."""
    position = getattr(exc, "position", None)
    source = getattr(sheet, "_get_source", None)  # a read-only sheet's XML
    if not position or source is None:
        return None
    try:
        with source() as xml:
            lines = xml.read().decode("utf-8", "replace").split("\n")
        line, column = position
        before = "\n".join([*lines[: line - 1], lines[line - 1][:column]])
        found = _ROW_TAG.findall(before)
        return int(found[-1]) if found else None
    except Exception:
        return None


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def cell_text(value: str) -> str:
    """A text cell as typed: Excel's escapes of control characters (`_x0000_`, `_x000D_`; OOXML
    ST_Xstring, which openpyxl leaves as they are) decoded; surrounding spaces trimmed, unless
    the text holds a control or invisible character: then it is kept whole, so that the check of
    its field reports it rather than a trim hiding it (a code ending in a line break)."""
    if "_x" in value:
        value = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    trimmed = value.strip()
    if len(trimmed) != len(value) and unsafe(value):
        return value
    return trimmed
