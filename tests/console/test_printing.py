"""Printing a decision and its certificates from the decision's page, and a citizen checking a
certificate on the public page /xac-minh without signing in."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from PIL import Image
from playwright.sync_api import Page
from pypdf import PdfReader

from tests.console.conftest import FEDERATION, YEAR, Stack, axe, screenshot, sign_in
from tests.console.council_steps import BASE, eventually, granted, listed_grants, nominated, passed


def certificate_code(stack: Stack, grant_id: str) -> str:
    """The verification code printed on the grant's certificate, as a citizen reads it."""
    url = stack.service("awards") + f"{BASE}/grants/{grant_id}/certificate.pdf"
    got = httpx.get(url, headers=stack.admin)
    assert got.status_code == 200, got.text
    text = PdfReader(io.BytesIO(got.content)).pages[0].extract_text().replace("\n", " ")
    return next(w for w in text.split() if w.count("-") == 3 and len(w) == 23)


def test_the_decisions_page_downloads_the_decision_and_its_certificates(stack: Stack, page: Page) -> None:
    # Given a decision granting Đinh Thị Xuân an award
    n = nominated(stack, "dv-in-1", "Đinh Thị Xuân")
    passed(stack, "hd-in-1", [n["id"]])
    number = f"21/QĐ-LĐLĐ-{YEAR}"
    decision = granted(stack, number, [n["id"]])
    listed_grants(stack, decision["id"])
    sign_in(page, stack, "approver")
    page.goto(stack.url + f"/f/{FEDERATION}/decisions/{decision['id']}")
    axe(page)
    # When the approver downloads the decision's PDF, its .docx, all certificates and hers
    files = {}
    for name in (
        "Tải quyết định và danh sách kèm theo (.pdf, để in)",
        "Tải quyết định và danh sách kèm theo (.docx, sửa được trước khi ký)",
        "Tải tất cả bằng khen, giấy khen",
        "In bằng khen của Đinh Thị Xuân",
    ):
        with page.expect_download() as download:
            page.get_by_role("link", name=name).click()
        files[name] = download.value
    # Then each comes whole, named by the decision's number, with her name inside
    pdf = files["Tải quyết định và danh sách kèm theo (.pdf, để in)"]
    assert pdf.suggested_filename == f"Quyết định 21-QĐ-LĐLĐ-{YEAR}.pdf"
    text = PdfReader(pdf.path()).pages[-1].extract_text()
    assert "Đinh Thị Xuân" in text
    docx = files["Tải quyết định và danh sách kèm theo (.docx, sửa được trước khi ký)"]
    assert docx.suggested_filename.endswith(".docx") and docx.path().read_bytes()[:2] == b"PK"
    for name in ("Tải tất cả bằng khen, giấy khen", "In bằng khen của Đinh Thị Xuân"):
        reader = PdfReader(files[name].path())
        assert len(reader.pages) == 1 and "Đinh Thị Xuân" in reader.pages[0].extract_text()
    screenshot(page, "4-in-quyet-dinh")


def test_anyone_checks_a_certificate_by_its_code_without_signing_in(stack: Stack, page: Page) -> None:
    # Given a certificate of Hoàng Văn Tùng
    n = nominated(stack, "dv-xm-1", "Hoàng Văn Tùng")
    passed(stack, "hd-xm-1", [n["id"]])
    decision = granted(stack, f"22/QĐ-LĐLĐ-{YEAR}", [n["id"]])
    grant_id = listed_grants(stack, decision["id"])[0]["grant_id"]
    code = certificate_code(stack, grant_id)
    # When someone who never signed in types its code, in lower case, on the public page
    page.goto(stack.url + "/xac-minh")
    axe(page)

    def checked() -> None:
        page.goto(stack.url + "/xac-minh")
        page.get_by_label("Mã xác minh").fill(code.lower())
        page.get_by_role("button", name="Xác minh").click()
        assert "Còn hiệu lực" in page.locator("main").inner_text()

    eventually(checked)
    # Then the page says it stands, for whom, which award and decision
    facts = page.locator("dl.facts").inner_text()
    assert "Hoàng Văn Tùng" in facts and f"22/QĐ-LĐLĐ-{YEAR}" in facts
    axe(page)
    screenshot(page, "xac-minh-con-hieu-luc")
    # When the grant is revoked, the same page says so with the date
    stack.post("awards", f"{BASE}/grants/{grant_id}:revoke", {"reason": "Khai man", "reference": "1/TH"}, 200)
    page.reload()
    assert "Đã bị thu hồi" in page.locator("main").inner_text()
    # And a code no certificate has is told plainly, with a 404
    answer = page.goto(stack.url + "/xac-minh/ABCDE-ABCDE-ABCDE-ABCDE")
    assert answer is not None and answer.status == 404
    assert "Không tìm thấy mã xác minh" in page.locator("main").inner_text()
    axe(page)


def test_a_deputys_signature_is_issued_from_the_form_and_shown_on_the_decision(
    stack: Stack, page: Page
) -> None:
    # Given a passed nomination
    n = nominated(stack, "dv-kt-1", "Lò Thị Duyên")
    passed(stack, "hd-kt-1", [n["id"]])
    sign_in(page, stack, "approver")
    page.goto(stack.url + f"/f/{FEDERATION}/decisions/new")

    def listed() -> None:
        page.reload()
        assert page.get_by_label("Chọn Lò Thị Duyên").count() == 1

    eventually(listed)
    # When the approver issues it signed by a deputy, with the title and the KT. line
    page.get_by_label("Chọn Lò Thị Duyên").check()
    page.fill("#f-number", f"23/QĐ-LĐLĐ-{YEAR}")
    page.fill("#f-signer", "Hà Văn Sơn")
    page.fill("#f-signer_title", "PHÓ CHỦ TỊCH")
    page.fill("#f-signing_for", "KT. CHỦ TỊCH")
    axe(page)
    page.get_by_role("button", name="Tiếp tục: kiểm tra trước khi ban hành").click()
    assert "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH Hà Văn Sơn" in page.locator("dl.facts").inner_text()
    page.get_by_role("button", name="Ban hành quyết định").click()
    # Then the decision holds them and its page shows who signed, and for whom
    assert "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH Hà Văn Sơn" in page.locator("dl.facts").inner_text()
    decision_id = page.url.rsplit("/", 1)[1]
    stored = stack.get("awards", f"{BASE}/decisions/{decision_id}").json()
    assert (stored["signer_title"], stored["signing_for"]) == ("PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH")


def test_the_federations_office_sets_its_paper_and_a_refused_image_changes_nothing(
    stack: Stack, page: Page, tmp_path: Path
) -> None:
    # Given the federation's office on its printing page, reached from the decisions
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/decisions")
    page.get_by_role("link", name="Mẫu in quyết định và bằng khen").click()
    axe(page)
    # When it names its bodies and place and saves
    page.fill("#f-issuing_body", "LIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC KẠN")
    page.fill("#f-place", "Bắc Kạn")
    page.get_by_role("button", name="Lưu mẫu in").click()
    # Then awards prints with them, and the rest stays as it was
    assert "Đã lưu mẫu in" in page.get_by_role("status").inner_text()
    wording = stack.get("awards", f"{BASE}/paper").json()["wording"]
    assert (wording["issuing_body"], wording["place"]) == ("LIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC KẠN", "Bắc Kạn")
    assert page.locator("#f-bases").input_value().startswith("Căn cứ")
    # When it uploads a text file renamed .png as the seal
    fake = tmp_path / "con-dau.png"
    fake.write_bytes(b"not an image at all")
    page.set_input_files("#f-file-seal", str(fake))
    page.get_by_role("button", name="Tải lên Con dấu (ảnh nền trong suốt)").click()
    # Then it is refused beside the field, and no seal is set
    assert "Chọn ảnh PNG hoặc JPEG" in page.locator("#e-file-seal").inner_text()
    assert "seal" not in stack.get("awards", f"{BASE}/paper").json()["images"]
    axe(page)
    # When a real PNG is uploaded, it is used
    image = tmp_path / "dau.png"
    Image.new("RGBA", (120, 120), (200, 0, 0, 255)).save(image)
    page.set_input_files("#f-file-seal", str(image))
    page.get_by_role("button", name="Tải lên Con dấu (ảnh nền trong suốt)").click()
    assert "Đã lưu con dấu" in page.get_by_role("status").inner_text()
    assert stack.get("awards", f"{BASE}/paper").json()["images"]["seal"]["media_type"] == "image/png"
