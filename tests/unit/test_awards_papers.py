"""The printed papers' layout code without a service: the wording (dates, the title, Điều 1),
the verification code, the layout images' checks, and the documents read back with python-docx
and pypdf."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date

import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader

from services.awards.adapters.documents.certificates_pdf import certificates_pdf
from services.awards.adapters.documents.decision_docx import decision_docx
from services.awards.adapters.documents.images import checked
from services.awards.adapters.documents.papers import (
    Certificate,
    DecisionPaper,
    Layout,
    Line,
    achievement_of,
    article_1,
    dated,
    subject_line,
)
from services.awards.domain.paper import DEFAULT_WORDING, NATIONAL_WORDING, Paper, wording_of
from services.awards.domain.verification import ALPHABET, code_of, normalised, shown
from shared.kernel.errors import Invalid

DECOMPOSED = "Nguye\u0302\u0303n Thi\u0323 Ma\u0300i"  # 'Nguyễn Thị Mài' typed with combining marks


def paper(**wording: str) -> DecisionPaper:
    return DecisionPaper(
        number="5/QĐ-LĐLĐ",
        signed_on=date(2026, 1, 2),
        year=2025,
        title="Khen thưởng thành tích năm 2025",
        signer="Lý Văn Hùng",
        wording={**DEFAULT_WORDING, **wording},
        collectives=[Line("CĐCS Trường THPT Chợ Đồn", "Công đoàn ngành Giáo dục", "Bằng khen")],
        individuals=[Line(DECOMPOSED, "CĐCS A", "Bằng khen"), Line("Lê Thị Hoa", "CĐCS B", "Giấy khen")],
    )


def test_the_date_line_writes_day_and_month_with_two_digits() -> None:
    assert dated("Bắc Kạn", date(2026, 1, 2)) == "Bắc Kạn, ngày 02 tháng 01 năm 2026"


def test_the_title_reads_ve_viec_from_the_decisions_title_or_its_year() -> None:
    assert subject_line("Khen thưởng thành tích năm 2025", 2025) == "Về việc khen thưởng thành tích năm 2025"
    assert subject_line("", 2025) == "Về việc khen thưởng thành tích năm 2025"


def test_article_1_counts_collectives_and_individuals_per_award() -> None:
    text = article_1(paper())
    assert text.startswith("Tặng Bằng khen cho 1 tập thể và 1 cá nhân; Giấy khen cho 1 cá nhân")


def test_the_achievement_line_is_never_a_format_string() -> None:
    wording = {"achievement": "Thành tích {year} {0} {year.__class__}"}
    assert achievement_of(wording, 2025) == "Thành tích 2025 {0} {year.__class__}"


def test_the_national_unions_decisions_keep_its_heading_whatever_a_federation_set() -> None:
    own = Paper("bac-kan", meta={})
    own.set_wording({"issuing_body": "LĐLĐ TỈNH BẮC KẠN", "place": "Bắc Kạn"}, meta={})
    assert wording_of(own)["issuing_body"] == "LĐLĐ TỈNH BẮC KẠN"
    national = wording_of(own, "tld")
    assert national["issuing_body"] == NATIONAL_WORDING["issuing_body"] and national["place"] == "Bắc Kạn"


def test_a_code_is_20_crockford_characters_from_the_secret_and_never_the_id() -> None:
    grant = "3b9e7c14-2d5a-5f86-b0c1-7e4d2a9f6c83"
    code = code_of(b"secret-1", grant)
    assert len(code) == 20 and set(code) <= set(ALPHABET)
    assert code == code_of(b"secret-1", grant) != code_of(b"secret-2", grant)
    assert shown(code).count("-") == 3 and normalised(shown(code).lower()) == code


def test_the_docx_keeps_names_nfc_and_the_annex_apart() -> None:
    doc = Document(io.BytesIO(decision_docx(paper())))
    collectives, individuals = doc.tables[-2], doc.tables[-1]
    assert [c.text for c in collectives.rows[0].cells] == [
        "STT",
        "Tên tập thể",
        "Trực thuộc",
        "Hình thức khen thưởng",
    ]
    assert individuals.rows[1].cells[1].text == "Nguyễn Thị Mài"  # composed (NFC)
    assert doc.sections[0].page_width is not None and round(doc.sections[0].page_width.mm) == 210


def test_certificates_are_one_landscape_page_each_with_the_code() -> None:
    one = Certificate(
        award="Giấy khen",
        recipient="Lê Thị Hoa",
        unit="CĐCS B",
        achievement="Đã có thành tích xuất sắc",
        decision_number="5/QĐ-LĐLĐ",
        decision_date=date(2026, 1, 2),
        signer="Lý Văn Hùng",
        signer_title="CHỦ TỊCH",
        signing_for="TM. BAN THƯỜNG VỤ",
        issuing_body="BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH",
        place="Bắc Kạn",
        code="ABCDE-FGHJK-MNPQR-STVWX",
        url="https://tdkt.example/xac-minh/ABCDEFGHJKMNPQRSTVWX",
    )
    reader = PdfReader(io.BytesIO(certificates_pdf([one, one], Layout())))
    assert len(reader.pages) == 2
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    text = reader.pages[1].extract_text()
    assert "ABCDE-FGHJK-MNPQR-STVWX" in text and "Lê Thị Hoa" in text and "GIẤY KHEN" in text


def png_header_only(width: int, height: int) -> bytes:
    """A PNG claiming a huge size with almost no data (a decompression bomb's shape)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def test_an_image_claiming_too_many_pixels_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(Invalid) as refused:
        checked(png_header_only(20_000, 20_000), "body")
    assert refused.value.errors[0].field == "body"


def test_a_jpeg_is_accepted_and_named_by_its_content() -> None:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (10, 10, 10)).save(out, "JPEG")
    found = checked(out.getvalue())
    assert found["media_type"] == "image/jpeg" and found["width"] == 30


def test_awards_refuses_to_start_outside_development_with_the_public_verification_secret() -> None:
    from shared.auth.config import ConfigError, check_config
    from shared.kernel.settings import AwardsSettings

    production = {"jwt_secret": "x" * 40, "jwks_url": "https://r/k", "jwt_issuer": "i", "jwt_audience": "a"}
    with pytest.raises(ConfigError, match="TDKT_VERIFICATION_SECRET"):
        check_config(AwardsSettings(development=False, **production))
    own = {"verification_secret": "s" * 40, "ballot_kek": "k" * 40}
    check_config(AwardsSettings(development=False, **own, **production))
