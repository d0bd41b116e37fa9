"""Opening an uploaded .xlsx safely: one error for anything unreadable, and a cap on how much
it may unpack to (an .xlsx is a zip; a small upload can expand to gigabytes)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from shared.errors import Invalid

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
