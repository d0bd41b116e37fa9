from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from shared.kernel.errors import Invalid
from shared.web.spreadsheet import open_workbook


def xlsx() -> bytes:
    book = Workbook()
    book.active.append(["Mã", "Họ và tên"])  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_opens() -> None:
    rows = list(open_workbook(xlsx()).worksheets[0].iter_rows(values_only=True))
    assert rows == [("Mã", "Họ và tên")]


def test_garbage_and_zip_bombs_are_refused_naming_the_file() -> None:
    with pytest.raises(Invalid) as exc:
        open_workbook(b"not a zip at all")
    assert exc.value.errors[0].field == "file"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    assert len(bomb.getvalue()) < 50_000
    with pytest.raises(Invalid, match="unpacks to"):
        open_workbook(bomb.getvalue(), max_unpacked=1024 * 1024)
