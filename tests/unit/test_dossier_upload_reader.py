"""An upload's multipart body is read as it arrives, and reading stops at the file's limit: the
rest of an oversized body is never asked for."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from services.awards.adapters.upload import read_upload
from shared.kernel.errors import Invalid

BOUNDARY = "dossier-boundary"
TYPE = f"multipart/form-data; boundary={BOUNDARY}"
CHUNK = 64 * 1024


def form(content_size: int) -> list[bytes]:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nachievement-report\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="Báo cáo.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body = head + b"%PDF-" + bytes(content_size - 5) + f"\r\n--{BOUNDARY}--\r\n".encode()
    return [body[i : i + CHUNK] for i in range(0, len(body), CHUNK)]


async def counted(chunks: list[bytes], taken: list[int]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        taken[0] += 1
        yield chunk


def test_a_form_within_the_limit_gives_its_fields_and_file() -> None:
    upload = asyncio.run(read_upload(TYPE, counted(form(300_000), [0]), 1_000_000, "1 MB"))
    assert upload.fields == {"kind": "achievement-report"}
    assert upload.file_name == "Báo cáo.pdf" and len(upload.content) == 300_000
    assert upload.content.startswith(b"%PDF-")


def test_reading_stops_at_the_limit_and_the_refusal_names_file() -> None:
    chunks, taken = form(50 * CHUNK), [0]
    with pytest.raises(Invalid) as refused:
        asyncio.run(read_upload(TYPE, counted(chunks, taken), 4 * CHUNK, "256 KB"))
    assert refused.value.errors[0].field == "file" and "256 KB" in refused.value.detail
    assert taken[0] <= 6 < len(chunks), (taken[0], len(chunks))


def test_a_body_that_is_not_a_form_is_refused_naming_body() -> None:
    with pytest.raises(Invalid) as refused:
        asyncio.run(read_upload("application/pdf", counted([b"%PDF-"], [0]), 100, "100 B"))
    assert refused.value.errors[0].field == "body"
