"""What a dossier file is, told by its content, never by its name or the type its sender claimed:
PDF, JPEG and PNG by their magic bytes; DOCX and XLSX as a zip whose `[Content_Types].xml` and
parts (`word/…`, `xl/…`) say which, read with zipfile in memory, never extracted. A zip that would
inflate beyond the bounds below (a zip bomb dressed as a .docx) is refused before any entry is read."""

from __future__ import annotations

import io
import zipfile

from shared.kernel.errors import Invalid

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx"}

# Bounds of an Office file's zip: what Word and Excel write stays far below them.
MAX_ENTRIES = 2000
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # the sum of the entries' declared sizes
MAX_RATIO = 100  # one entry's declared size over its compressed size

# Programs and scripts, named in the refusal so a renamed one is told for what it is.
PROGRAMS: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"#!", "a script"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xca\xfe\xba\xbe", "a macOS or Java program"),
)

ACCEPTED = "only PDF, DOCX, XLSX, JPEG or PNG files are accepted"


def media_type_of(content: bytes) -> str:
    """The media type `content` is, or Invalid naming `file` with why it is refused."""
    if not content:
        raise Invalid.on("file", "the file is empty")
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _office(content)
    for magic, what in PROGRAMS:
        if content.startswith(magic):
            raise Invalid.on("file", f"the file is {what}, whatever its name; {ACCEPTED}")
    raise Invalid.on("file", f"the file's content is of another type; {ACCEPTED}")


def _office(content: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Invalid.on("file", f"the file is a damaged zip archive; {ACCEPTED}") from None
    with archive:
        _bounded(entries)
        names = {e.filename for e in entries}
        if "[Content_Types].xml" not in names:
            raise Invalid.on("file", f"the file is a zip archive, not a Word or Excel document; {ACCEPTED}")
        try:
            with archive.open("[Content_Types].xml") as part:
                types = part.read(1024 * 1024)  # at most this much, whatever the entry declares
        except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
            raise Invalid.on("file", f"the file is a damaged zip archive; {ACCEPTED}") from None
    if b"wordprocessingml.document.main+xml" in types and "word/document.xml" in names:
        return DOCX
    if b"spreadsheetml.sheet.main+xml" in types and "xl/workbook.xml" in names:
        return XLSX
    raise Invalid.on(
        "file", f"the file is an Office archive but neither a Word nor an Excel document; {ACCEPTED}"
    )


def _bounded(entries: list[zipfile.ZipInfo]) -> None:
    """The zip-bomb guard: the declared sizes, which zipfile enforces while reading an entry."""
    if len(entries) > MAX_ENTRIES:
        raise Invalid.on("file", f"the document holds more than {MAX_ENTRIES} parts; it is refused")
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED:
        raise Invalid.on("file", "the document would unpack to more than 100 MB; it is refused as a zip bomb")
    for e in entries:
        if e.file_size > 1024 * 1024 and e.file_size > MAX_RATIO * max(e.compress_size, 1):
            raise Invalid.on(
                "file",
                f"a part of the document is compressed more than {MAX_RATIO} times; refused as a zip bomb",
            )
