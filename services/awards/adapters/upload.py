"""One file and a few short fields from a multipart/form-data body, read as it arrives: reading
stops as soon as the file passes its limit, so an oversized upload is refused without the rest
of it ever being held (Starlette's form() would spool the whole body first)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from shared.kernel.errors import Invalid

MAX_FIELD = 1000  # bytes of a text field (the attachment's kind)


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    file_name: str | None = None  # None: no part named `file` carried a file
    content: bytearray = field(default_factory=bytearray)


class _Reader:
    def __init__(self, limit: int, limit_text: str) -> None:
        self.limit, self.limit_text = limit, limit_text
        self.upload = Upload()
        self.header_field, self.header_value = b"", b""
        self.name: str | None = None
        self.file_name: str | None = None
        self.text = bytearray()

    def on_part_begin(self) -> None:
        self.name, self.file_name, self.text = None, None, bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if self.header_field.lower() == b"content-disposition":
            _, options = parse_options_header(self.header_value)
            self.name = options.get(b"name", b"").decode("utf-8", "replace")
            raw = options.get(b"filename")
            self.file_name = None if raw is None else raw.decode("utf-8", "replace")
        self.header_field, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        if self.name == "file" and self.file_name is not None:
            if self.upload.file_name is not None:
                raise Invalid.on("file", "send one file at a time")
            self.upload.file_name = self.file_name

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.name == "file" and self.file_name is not None:
            self.upload.content += data[start:end]
            if len(self.upload.content) > self.limit:
                raise Invalid.on(
                    "file", f"the file is larger than {self.limit_text}, the most one attachment may be"
                )
        elif self.name:
            self.text += data[start:end]
            if len(self.text) > MAX_FIELD:
                raise Invalid.on(self.name, f"{self.name} is longer than {MAX_FIELD} bytes")

    def on_part_end(self) -> None:
        if self.name and not (self.name == "file" and self.file_name is not None):
            self.upload.fields[self.name] = self.text.decode("utf-8", "replace")


async def read_upload(content_type: str, body: AsyncIterator[bytes], limit: int, limit_text: str) -> Upload:
    """The form's fields and its `file`; Invalid naming the field past its limit, or `body` if
    the body is not a multipart form."""
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise Invalid.on("body", "send the file as multipart/form-data, in the form field 'file'")
    reader = _Reader(limit, limit_text)
    callbacks = {name: getattr(reader, name) for name in dir(_Reader) if name.startswith("on_")}
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError:
        raise Invalid.on("body", "the multipart body is malformed") from None
    return reader.upload
