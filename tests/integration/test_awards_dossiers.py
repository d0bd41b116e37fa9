"""A nomination's and a decision's dossier: files told by their content, stored once under their
SHA-256 and never changed, read under the nomination's access rules, each download in the log."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import zipfile
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from eventsourcing.utils import get_topic

from services.awards.bootstrap import build_app, parts_of, runtime
from services.awards.domain.dossiers import MAX_ATTACHMENTS, MAX_BYTES, Dossier, Download
from shared.kernel.settings import AwardsSettings
from shared.ops.runtime import Runtime
from tests.integration.awards_http import ADMIN, DECISION, URL, VOTES, nominated, ok, seed
from tests.support import Isolation, bearer

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CLERK_A = bearer("bac-kan/tp/cdcs-a", ["clerk"], sub="clerk-a")  # dv-1's unit
CLERK_B = bearer("bac-kan/tp/cdcs-b", ["clerk"], sub="clerk-b")


@contextlib.asynccontextmanager
async def awards(isolation: Isolation) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    await rt.start()
    try:
        await seed(parts_of(rt).facts, rt.db)
        transport = httpx.ASGITransport(app=build_app(rt))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client, rt
    finally:
        await rt.stop()


def dossier_of(nomination: dict) -> str:
    return f"{URL}/nominations/{nomination['id']}/attachments"


async def attach(
    http: httpx.AsyncClient,
    where: str,
    content: bytes,
    name: str = "bao-cao.pdf",
    kind: str = "achievement-report",
    headers: dict[str, str] = ADMIN,
    sent_as: str = "application/pdf",
) -> httpx.Response:
    return await http.post(
        where, data={"kind": kind}, files={"file": (name, content, sent_as)}, headers=headers
    )


async def stored_files(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM awards.dossier_files"))


def docx(extra: tuple[str, int] | None = None) -> bytes:
    """A minimal Word document; `extra`: a part of that many zero bytes (a zip bomb's payload)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
        if extra:
            with z.open(extra[0], "w") as part:
                for _ in range(extra[1] // (1 << 20)):
                    part.write(bytes(1 << 20))
    return out.getvalue()


def png(n: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + n.to_bytes(4, "big")


REFUSED = [
    pytest.param(b"GIF89a\x01\x00\x01\x00", "anh.png", "file", id="another type"),
    pytest.param(b"MZ\x90\x00\x03" + bytes(200), "bao-cao.pdf", "file", id="a renamed executable"),
    pytest.param(docx(("word/media/image1.bin", 32 << 20)), "bao-cao.docx", "file", id="a zip bomb as docx"),
    pytest.param(b"%PDF-1.7\n" + bytes(MAX_BYTES), "lon.pdf", "file", id="an oversized file"),
    pytest.param(b"%PDF-1.7\n" + bytes(MAX_BYTES + (1 << 20)), "lon.pdf", "file", id="a body over the limit"),
    pytest.param(b"PK\x03\x04" + bytes(40), "bang.xlsx", "file", id="a damaged zip"),
]


@pytest.mark.parametrize(("content", "name", "field"), REFUSED)
async def test_a_bad_file_is_refused_naming_the_field_and_nothing_is_stored(
    isolation: Isolation, content: bytes, name: str, field: str
) -> None:
    """Given a nomination, when a file that is not a PDF, DOCX, XLSX, JPEG or PNG by its content
    (or too large) is attached, then a 422 names `file`, and neither bytes nor record are stored."""
    async with awards(isolation) as (http, rt):
        nomination = await nominated(http)
        refused = await attach(http, dossier_of(nomination), content, name)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in refused.json()["errors"]] == [field], refused.text
        assert (await ok(await http.get(dossier_of(nomination), headers=ADMIN), 200))["items"] == []
        assert await stored_files(rt.db) == 0


async def test_an_unknown_kind_is_refused_naming_kind_and_nothing_is_stored(isolation: Isolation) -> None:
    async with awards(isolation) as (http, rt):
        nomination = await nominated(http)
        refused = await attach(http, dossier_of(nomination), PDF, kind="signed-decision")
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "kind", refused.text
        assert await stored_files(rt.db) == 0


async def test_a_dossier_holds_at_most_its_limit_and_the_next_file_stores_nothing(
    isolation: Isolation,
) -> None:
    async with awards(isolation) as (http, rt):
        nomination = await nominated(http)
        for n in range(MAX_ATTACHMENTS):
            await ok(
                await attach(http, dossier_of(nomination), png(n), f"anh-{n}.png", "supporting-document")
            )
        refused = await attach(http, dossier_of(nomination), png(999), "anh.png", "supporting-document")
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "file", refused.text
        assert "50" in refused.json()["detail"]
        assert await stored_files(rt.db) == MAX_ATTACHMENTS
        listed = await ok(await http.get(dossier_of(nomination), headers=ADMIN), 200)
        assert len(listed["items"]) == MAX_ATTACHMENTS


async def decided(http: httpx.AsyncClient, nomination: dict) -> str:
    """The nomination passed and granted; the decision's id."""
    for user in ("u0", "u1"):
        ballot = {"nomination": nomination["id"], "choice": "yes"}
        await ok(await http.post(VOTES, json=ballot, headers=bearer("bac-kan", ["council"], sub=user)))
    await ok(await http.post(f"{URL}/councils/hd-2025:resolve", headers=ADMIN), 200)
    decision = {**DECISION, "grants": [{"nomination": nomination["id"]}]}
    return str((await ok(await http.post(f"{URL}/decisions", json=decision, headers=ADMIN)))["id"])


async def test_the_same_bytes_are_stored_once_and_come_back_unchanged(isolation: Isolation) -> None:
    """Given a PDF attached to a nomination, when the same bytes are attached again there and as
    the decision's signed scan, then one stored object holds them, every download is those bytes
    with their SHA-256, and PostgreSQL refuses to change or remove them."""
    async with awards(isolation) as (http, rt):
        nomination = await nominated(http)
        sha256 = hashlib.sha256(PDF).hexdigest()
        first = await ok(await attach(http, dossier_of(nomination), PDF, "Báo cáo thành tích.pdf"))
        assert (
            first["sha256"] == sha256
            and first["size"] == len(PDF)
            and first["media_type"] == "application/pdf"
        )
        assert first["file_name"] == "Báo cáo thành tích.pdf" and first["uploaded_by"] == "tester"
        again = await ok(await attach(http, dossier_of(nomination), PDF, "khac.pdf"), 200)
        assert again == first
        scans = f"{URL}/decisions/{await decided(http, nomination)}/attachments"
        await ok(await attach(http, scans, PDF, "qd-da-ky.pdf", "signed-decision"))
        assert await stored_files(rt.db) == 1
        for where in (dossier_of(nomination), scans):
            got = await http.get(f"{where}/{sha256}", headers=ADMIN)
            assert got.status_code == 200 and got.content == PDF
            assert hashlib.sha256(got.content).hexdigest() == sha256 == got.headers["etag"].strip('"')
            assert got.headers["content-type"] == "application/pdf"
            assert got.headers["content-disposition"].startswith("attachment;")
        with pytest.raises(asyncpg.PostgresError):
            await rt.db.execute("UPDATE awards.dossier_files SET content = $1", b"%PDF-forged")
        with pytest.raises(asyncpg.PostgresError):
            await rt.db.execute("DELETE FROM awards.dossier_files")
        with pytest.raises(asyncpg.PostgresError):  # a row whose key is not its bytes' hash
            await rt.db.execute(
                "INSERT INTO awards.dossier_files (sha256, size, content) VALUES ($1, 3, 'abc')", "0" * 64
            )
        listed = await ok(await http.get(dossier_of(nomination), headers=ADMIN), 200)
        assert [a["sha256"] for a in listed["items"]] == [sha256]


async def test_a_unit_clerk_cannot_list_or_download_another_units_dossier(isolation: Isolation) -> None:
    """Given dv-1's nomination (unit cdcs-a) with a file, then cdcs-a's clerk lists and downloads
    it, and cdcs-b's clerk is answered as if neither existed, nor may attach to it; neither
    clerk reaches a decision's scan."""
    async with awards(isolation) as (http, _):
        nomination = await nominated(http)
        sha256 = (await ok(await attach(http, dossier_of(nomination), PDF, headers=CLERK_A)))["sha256"]
        assert len((await ok(await http.get(dossier_of(nomination), headers=CLERK_A), 200))["items"]) == 1
        assert (await http.get(f"{dossier_of(nomination)}/{sha256}", headers=CLERK_A)).content == PDF
        for path in (dossier_of(nomination), f"{dossier_of(nomination)}/{sha256}"):
            refused = await http.get(path, headers=CLERK_B)
            assert refused.status_code == 404 and PDF not in refused.content, refused.text
        assert (await attach(http, dossier_of(nomination), PDF, headers=CLERK_B)).status_code == 404
        scans = f"{URL}/decisions/{await decided(http, nomination)}/attachments"
        await ok(await attach(http, scans, PDF, "qd.pdf", "signed-decision"))
        for clerk in (CLERK_A, CLERK_B):
            assert (await http.get(f"{scans}/{sha256}", headers=clerk)).status_code == 404
            assert (await attach(http, scans, PDF, "qd.pdf", "signed-decision", clerk)).status_code == 403


def logged(rt: Runtime, cls: type) -> list[dict[str, Any]]:
    """The stored events of that type, as their states."""
    app = parts_of(rt).application
    topic = get_topic(cls)
    found = app.recorder.select_notifications(start=1, limit=10_000, topics=[topic])  # type: ignore[attr-defined]
    return [json.loads(bytes(n.state)) for n in found]


async def test_each_download_and_each_attachment_is_recorded_in_the_log(isolation: Isolation) -> None:
    """Given a file attached by cdcs-a's clerk, when it is downloaded twice, then the log holds
    its attachment-added (sha256, size, media type, name, kind, who, when) and two downloads."""
    async with awards(isolation) as (http, rt):
        nomination = await nominated(http)
        sha256 = (await ok(await attach(http, dossier_of(nomination), PDF, headers=CLERK_A)))["sha256"]
        for who in (CLERK_A, ADMIN):
            assert (await http.get(f"{dossier_of(nomination)}/{sha256}", headers=who)).status_code == 200
        (added,) = logged(rt, Dossier.AttachmentAdded)
        assert {
            k: added[k] for k in ("sha256", "size", "media_type", "file_name", "kind", "uploaded_by")
        } == {
            "sha256": sha256,
            "size": len(PDF),
            "media_type": "application/pdf",
            "file_name": "bao-cao.pdf",
            "kind": "achievement-report",
            "uploaded_by": "clerk-a",
        }
        assert added["uploaded_at"] and added["owner"] == nomination["id"]
        downloads = logged(rt, Download.Recorded)
        assert [(d["sha256"], d["by"]) for d in downloads] == [(sha256, "clerk-a"), (sha256, "tester")]
        feed = await ok(await http.get(f"{URL}/events", headers=ADMIN), 200)
        assert "tdkt.awards.attachment-added.v1" in [e["type"] for e in feed["events"]]
