"""A dossier file is told by its content: real Word and Excel files, JPEG and PNG are accepted
whatever their names; an archive that is not an Office document, or one that would unpack too
far, is refused naming `file`. The console says awards' refusals in Vietnamese."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest

from services.awards.domain import file_types as ft
from services.console.application.dossiers import refusals, size_vn
from shared.kernel.errors import Invalid


def word() -> bytes:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Báo cáo thành tích năm học 2025-2026")
    document.save(out)
    return out.getvalue()


def workbook() -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên", "Đơn vị"])  # type: ignore[union-attr]
    book.save(out)
    return out.getvalue()


def archive(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def test_word_excel_and_images_are_told_by_their_content() -> None:
    assert ft.media_type_of(word()) == ft.DOCX
    assert ft.media_type_of(workbook()) == ft.XLSX
    assert ft.media_type_of(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00") == ft.JPEG
    assert ft.media_type_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == ft.PNG
    assert ft.media_type_of(b"%PDF-1.7\n") == ft.PDF


@pytest.mark.parametrize(
    ("content", "said"),
    [
        pytest.param(archive({"a.txt": b"x"}), "not a Word or Excel", id="a plain zip"),
        pytest.param(
            archive({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
            "neither a Word nor an Excel",
            id="a presentation",
        ),
        pytest.param(archive({f"word/{i}.xml": b"" for i in range(2001)}), "parts", id="too many entries"),
        pytest.param(b"#!/bin/sh\nrm -rf /\n", "a script", id="a shell script"),
        pytest.param(b"\x7fELF\x02\x01\x01", "a Linux program", id="a Linux program"),
        pytest.param(b"", "empty", id="an empty file"),
    ],
)
def test_what_is_not_an_accepted_document_is_refused_naming_file(content: bytes, said: str) -> None:
    with pytest.raises(Invalid) as refused:
        ft.media_type_of(content)
    assert refused.value.errors[0].field == "file" and said in refused.value.detail


def test_the_console_says_sizes_and_refusals_in_vietnamese() -> None:
    assert [size_vn(n) for n in (512, 2048, 1_258_291)] == ["512 byte", "2,0 KB", "1,2 MB"]
    program = {"errors": [{"field": "file", "message": "the file is a Windows program, whatever its name"}]}
    assert "chương trình máy tính" in refusals(422, program).on("file")[0].message
    assert "10 MB" in refusals(413, {}).on("file")[0].message
    assert refusals(422, {"errors": [{"field": "kind", "message": "x"}]}).on("kind")
