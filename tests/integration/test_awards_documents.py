"""A decision printed (.docx and PDF, Decree 30/2020/NĐ-CP), its certificates, the federation's
paper, and the public check of a certificate's code — over HTTP on the real PostgreSQL. The
documents are read back with python-docx, pypdf and pypdfium2, tools nobody here wrote."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pypdfium2
from docx import Document
from pypdf import PdfReader

from services.awards.domain.verification import normalised, shown
from tests.integration.awards_http import ADMIN, URL, awards, ok
from tests.integration.test_awards_levels import NATIONAL, OTHER, forwarded, national_council, two_federations
from tests.support import Isolation, bearer, eventually

F = "bac-kan"
DECISION = {
    "number": "12/QĐ-LĐLĐ",
    "signed_on": "2025-12-05",
    "signer": "Lý Văn Hùng",
    "year": 2025,
    "title": "Khen thưởng thành tích năm 2025",
    "grants": [
        {"subject_kind": "member", "subject_code": "dv-1", "award": "giay-khen"},
        {"subject_kind": "unit", "subject_code": "cdcs-b", "award": "giay-khen"},
        {"subject_kind": "member", "subject_code": "dv-2", "award": "giay-khen"},
    ],
}
PEOPLE = ("Nguyễn Văn An", "Lê Thị Hoa")


async def issued(http: httpx.AsyncClient, decision: dict[str, Any] = DECISION) -> dict[str, Any]:
    """The decision granting two members and a collective a Giấy khen."""
    return await ok(await http.post(f"{URL}/decisions", json=decision, headers=ADMIN))  # type: ignore[no-any-return]


def pdf_text(content: bytes) -> str:
    """The text of every page, lines joined by spaces (a long name may wrap)."""
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", " ")


def embedded_fonts(content: bytes) -> set[str]:
    """The fonts whose program (FontFile2) is embedded, by name."""
    found = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            if "/FontFile2" in descendant["/FontDescriptor"]:
                found.add(str(descendant["/BaseFont"]))
    return found


def not_blank(content: bytes) -> bool:
    page = pypdfium2.PdfDocument(content)[0]
    image = page.render(scale=0.5).to_pil().convert("L")
    return image.getextrema()[0] < 100  # some dark ink on the page


async def test_the_decision_docx_holds_every_part_and_the_annex_apart(isolation: Isolation) -> None:
    """Given a decision of two individuals and a collective, when its .docx is downloaded, then
    the heading, number, date, title, bases, articles, signer and both annex tables are there."""
    async with awards(isolation) as http:
        decision = await issued(http)
        got = await http.get(f"{URL}/decisions/{decision['id']}/document.docx", headers=ADMIN)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''Quy%E1%BA%BFt" in got.headers["content-disposition"]
    doc = Document(io.BytesIO(got.content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in doc.paragraphs] + cells)
    for part in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/QĐ-LĐLĐ",
        "ngày 05 tháng 12 năm 2025",
        "Về việc khen thưởng thành tích năm 2025",
        "Căn cứ Luật Thi đua, khen thưởng",
        "Điều 1.",
        "Điều 3.",
        "Nơi nhận:",
        "TM. BAN THƯỜNG VỤ",
        "Lý Văn Hùng",
    ):
        assert part in text, part
    collectives, individuals = doc.tables[-2], doc.tables[-1]
    assert [c.text for c in collectives.rows[1].cells] == ["1", "CĐCS B", "TP", "Giấy khen"]
    assert [r.cells[1].text for r in individuals.rows[1:]] == list(PEOPLE)
    assert [r.cells[2].text for r in individuals.rows[1:]] == ["CĐCS A", "CĐCS B"]


async def test_the_decision_pdf_prints_the_same_with_its_font_embedded(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        decision = await issued(http)
        got = await http.get(f"{URL}/decisions/{decision['id']}/document.pdf", headers=ADMIN)
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    text = pdf_text(got.content)
    for part in (
        "Số: 12/QĐ-LĐLĐ",
        "ngày 05 tháng 12 năm 2025",
        "Lý Văn Hùng",
        "I. TẬP THỂ",
        "II. CÁ NHÂN",
        *PEOPLE,
    ):
        assert part in text, part
    assert text.index("CĐCS B") < text.index("II. CÁ NHÂN") < text.index(PEOPLE[0])
    assert any("LiberationSerif" in name for name in embedded_fonts(got.content))
    assert not_blank(got.content)


async def test_a_decisions_certificates_are_one_page_each_with_a_code(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        decision = await issued(http)
        got = await http.get(f"{URL}/decisions/{decision['id']}/certificates.pdf", headers=ADMIN)
    assert got.status_code == 200, got.text
    pages = PdfReader(io.BytesIO(got.content)).pages
    assert len(pages) == 3 and pages[0].mediabox.width > pages[0].mediabox.height  # landscape
    text = pdf_text(got.content)
    for part in ("GIẤY KHEN", "12/QĐ-LĐLĐ", "Lý Văn Hùng", "Mã xác minh", "CĐCS B", *PEOPLE):
        assert part in text, part
    assert not_blank(got.content) and embedded_fonts(got.content)


async def verified(http: httpx.AsyncClient, code: str, status: int = 200) -> dict[str, Any]:
    return await ok(await http.get(f"/v1/verify/{code}"), status)  # type: ignore[no-any-return]


async def code_on_certificate(http: httpx.AsyncClient, grant_id: str) -> str:
    got = await http.get(f"{URL}/grants/{grant_id}/certificate.pdf", headers=ADMIN)
    assert got.status_code == 200, got.text
    line = next(w for w in pdf_text(got.content).split() if w.count("-") == 3 and len(w) == 23)
    return line


async def test_a_certificates_code_answers_valid_then_revoked_with_only_what_is_public(
    isolation: Isolation,
) -> None:
    """Given a granted award's certificate, its code (typed in lower case, O for 0) answers valid
    with name, award and decision; after revocation, revoked with the date; never more keys."""
    async with awards(isolation) as http:
        decision = await issued(http)
        grant_id = decision["grants"][0]["grant_id"]
        code = await code_on_certificate(http, grant_id)
        typed = code.lower().replace("0", "o")
        valid = await eventually(lambda: verified(http, typed))
        revocation = {"reason": "khai man thành tích", "reference": "3/QĐ-LĐLĐ", "revoked_on": "2025-12-20"}
        await ok(await http.post(f"{URL}/grants/{grant_id}:revoke", json=revocation, headers=ADMIN), 200)
        revoked = await verified(http, code)
    assert valid == {
        "status": "valid",
        "name": "Nguyễn Văn An",
        "award": "Giấy khen",
        "decision": {"number": "12/QĐ-LĐLĐ", "date": "2025-12-05", "authority": "LIÊN ĐOÀN LAO ĐỘNG TỈNH"},
    }
    assert revoked == {**valid, "status": "revoked", "revoked_on": "2025-12-20"}
    assert grant_id.replace("-", "") not in code.replace("-", "").lower()


async def test_an_unknown_or_mistyped_code_is_one_and_the_same_not_found(isolation: Isolation) -> None:
    async with awards(isolation) as http:
        unknown = await verified(http, shown("0" * 20), 404)
        mistyped = await verified(http, "ABC", 404)
    assert unknown["detail"] == mistyped["detail"] and "Không tìm thấy" in unknown["detail"]
    assert set(unknown) == set(mistyped)


def test_a_code_is_read_whatever_its_case_dashes_and_look_alike_letters() -> None:
    assert normalised("abcde-fghjk-mnpqr-stvwo") == "ABCDEFGHJKMNPQRSTVW0"
    assert normalised("ILILI 00000 00000 00000") == "11111000000000000000"
    assert normalised("UUUUU-00000-00000-00000") is None  # U is not in Crockford's alphabet


async def test_a_unit_clerk_cannot_print_another_units_certificate(isolation: Isolation) -> None:
    """dv-2 sits in cdcs-b: cdcs-a's clerk gets 404 as for a grant that does not exist, and
    the decision's certificates hold only cdcs-a's own."""
    clerk = bearer(f"{F}/tp/cdcs-a", ["clerk"])
    async with awards(isolation) as http:
        decision = await issued(http)
        other = decision["grants"][2]["grant_id"]
        refused = await http.get(f"{URL}/grants/{other}/certificate.pdf", headers=clerk)
        own = await http.get(f"{URL}/decisions/{decision['id']}/certificates.pdf", headers=clerk)
        document = await http.get(f"{URL}/decisions/{decision['id']}/document.pdf", headers=clerk)
    assert refused.status_code == 404
    assert own.status_code == 200 and len(PdfReader(io.BytesIO(own.content)).pages) == 1
    assert PEOPLE[0] in pdf_text(own.content) and PEOPLE[1] not in pdf_text(own.content)
    assert document.status_code == 403


async def test_the_federations_wording_is_printed_on_its_decisions(isolation: Isolation) -> None:
    wording = {
        "issuing_body": "LIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC KẠN",
        "place": "Bắc Kạn",
        "signer_title": "PHÓ CHỦ TỊCH",
    }
    async with awards(isolation) as http:
        set_ = await ok(await http.post(f"{URL}/paper", json=wording, headers=ADMIN), 200)
        decision = await issued(http)
        got = await http.get(f"{URL}/decisions/{decision['id']}/document.pdf", headers=ADMIN)
        read = await ok(await http.get(f"{URL}/paper", headers=ADMIN), 200)
    text = pdf_text(got.content)
    assert "LIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC KẠN" in text and "Bắc Kạn, ngày 05 tháng 12 năm 2025" in text
    assert "PHÓ CHỦ TỊCH" in text
    assert set_["wording"]["place"] == read["wording"]["place"] == "Bắc Kạn"
    assert read["wording"]["bases"] == read["defaults"]["bases"]  # what was not set stays the default


def png(width: int = 40, height: int = 20) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


async def test_a_seal_image_is_kept_by_its_hash_and_printed(isolation: Isolation) -> None:
    """Given a PNG uploaded as the seal, the paper names it by SHA-256 and the certificate
    carries an image; removed, the plain certificate again."""
    async with awards(isolation) as http:
        put = await http.put(f"{URL}/paper/images/seal", content=png(), headers=ADMIN)
        decision = await issued(http)
        grant_id = decision["grants"][0]["grant_id"]
        with_seal = await http.get(f"{URL}/grants/{grant_id}/certificate.pdf", headers=ADMIN)
        await ok(await http.delete(f"{URL}/paper/images/seal", headers=ADMIN), 200)
        plain = await http.get(f"{URL}/grants/{grant_id}/certificate.pdf", headers=ADMIN)
    assert put.status_code == 200, put.text
    assert put.json()["images"]["seal"]["media_type"] == "image/png"
    assert len(PdfReader(io.BytesIO(with_seal.content)).pages[0].images) == 1
    assert len(PdfReader(io.BytesIO(plain.content)).pages[0].images) == 0


async def test_layout_uploads_that_are_not_a_png_or_jpeg_are_refused_naming_the_body(
    isolation: Isolation,
) -> None:
    """A GIF, a renamed executable, an oversized file, a truncated PNG and an unknown image
    name are refused with a problem; nothing is set."""
    from PIL import Image

    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    bad = {
        "gif": gif.getvalue(),
        "exe": b"MZ\x90\x00" + b"\x00" * 200,
        "big": png()[:100] + b"\x00" * (2 * 1024 * 1024 + 1),
        "cut": png()[:60],
    }
    async with awards(isolation) as http:
        refused = {
            k: await http.put(f"{URL}/paper/images/background", content=v, headers=ADMIN)
            for k, v in bad.items()
        }
        unknown_name = await http.put(f"{URL}/paper/images/logo", content=png(), headers=ADMIN)
        paper = await ok(await http.get(f"{URL}/paper", headers=ADMIN), 200)
    for kind, answer in refused.items():
        assert answer.status_code == 422, (kind, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["errors"][0]["field"] == "body", kind
    assert "PNG" in refused["gif"].json()["detail"] and "2 MB" in refused["big"].json()["detail"]
    assert unknown_name.status_code == 422 and paper["images"] == {}


async def test_a_units_own_decision_is_headed_by_the_unit_under_the_federation(isolation: Isolation) -> None:
    """Given CĐCS A's own decision granting its member a Giấy khen, its document is issued by
    the unit (in capitals), under the federation's body, decided by its executive committee."""
    own = {**DECISION, "number": "3/QĐ-CĐCS", "authority": "unit:cdcs-a", "grants": DECISION["grants"][:1]}
    async with awards(isolation) as http:
        decision = await ok(await http.post(f"{URL}/decisions", json=own, headers=ADMIN))
        got = await http.get(f"{URL}/decisions/{decision['id']}/document.pdf", headers=ADMIN)
        code = await code_on_certificate(http, decision["grants"][0]["grant_id"])
        checked = await eventually(lambda: verified(http, code))
    assert checked["decision"]["authority"] == "CĐCS A"  # the unit, by its name
    assert got.status_code == 200, got.text
    text = pdf_text(got.content)
    assert "LIÊN ĐOÀN LAO ĐỘNG TỈNH CĐCS A" in text and "BAN CHẤP HÀNH CĐCS A" in text
    assert "TM. BAN CHẤP HÀNH" in text and PEOPLE[0] in text


async def test_a_deputy_signing_prints_kt_and_the_deputys_title(isolation: Isolation) -> None:
    """Given a decision signed by a deputy ('KT. CHỦ TỊCH' / 'PHÓ CHỦ TỊCH'), its document and
    its certificates print those above the signer instead of the federation's defaults."""
    deputy = {**DECISION, "signer_title": "PHÓ CHỦ TỊCH", "signing_for": "TM. BAN THƯỜNG VỤ\nKT. CHỦ TỊCH"}
    async with awards(isolation) as http:
        decision = await issued(http, deputy)
        document = await http.get(f"{URL}/decisions/{decision['id']}/document.docx", headers=ADMIN)
        certificates = await http.get(f"{URL}/decisions/{decision['id']}/certificates.pdf", headers=ADMIN)
    assert decision["signer_title"] == "PHÓ CHỦ TỊCH"
    doc = Document(io.BytesIO(document.content))
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in cells
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in pdf_text(certificates.content)


async def test_a_national_decision_is_printed_with_the_national_heading_and_both_federations_grants(
    isolation: Isolation,
) -> None:
    """Given the national union's decision granting a member of Bắc Kạn and one of Cao Bằng,
    national staff print it under the national union's heading, each with their own unit, and
    their certificates; a federation's token may not."""
    async with two_federations(isolation) as http:
        ours, theirs = await forwarded(http, F, "dv-1"), await forwarded(http, OTHER, "cb-1")
        await national_council(http, [ours["id"], theirs["id"]])
        decision = {
            "number": "1500/QĐ-TLĐ",
            "signed_on": "2025-12-20",
            "signer": "Nguyễn Đình Khang",
            "year": 2025,
            "grants": [{"nomination": ours["id"]}, {"nomination": theirs["id"]}],
        }
        issued = await ok(await http.post("/v1/national/decisions", json=decision, headers=NATIONAL))
        base = f"/v1/national/decisions/{issued['id']}"
        document = await http.get(f"{base}/document.pdf", headers=NATIONAL)
        certificates = await http.get(f"{base}/certificates.pdf", headers=NATIONAL)
        refused = await http.get(f"{base}/document.pdf", headers=ADMIN)
    assert document.status_code == 200, document.text
    text = pdf_text(document.content)
    assert "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM" in text and "Số: 1500/QĐ-TLĐ" in text
    assert "Nguyễn Văn An CĐCS A" in text and "Hoàng Văn Cường CĐCS CB" in text
    assert len(PdfReader(io.BytesIO(certificates.content)).pages) == 2
    assert refused.status_code == 403
