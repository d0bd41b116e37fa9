"""A nomination's dossier on its page: a clerk attaches a PDF, sees it listed in Vietnamese and
downloads the same bytes; a renamed program is refused beside the field; another unit's clerk
cannot download it. A decision's signed scan on the page linked from the decision's."""

from __future__ import annotations

import hashlib
from pathlib import Path

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, YEAR, Stack, axe, screenshot, sign_in
from tests.console.council_steps import granted, nominated, passed

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + bytes(2000)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(3000)


def test_a_clerk_attaches_a_pdf_to_a_nomination_and_downloads_it(stack: Stack, page: Page) -> None:
    # Given a nomination of the clerk's unit
    nomination = nominated(stack, "dv-hs-1", "Lục Thị Hồ Sơ")
    where = f"/f/{FEDERATION}/nominations/{nomination['id']}"
    sign_in(page, stack, "clerk", "cdcs-truong-a")
    page.goto(stack.url + where)
    assert "Hồ sơ chưa có tệp nào." in page.locator("#ho-so").inner_text()
    # When a renamed program is sent as a PDF, it is refused beside the field and nothing is kept
    page.select_option("#f-kind", "achievement-report")
    page.set_input_files(
        "#f-file",
        files=[{"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90" + bytes(500)}],
    )
    page.get_by_role("button", name="Tải lên hồ sơ").click()
    assert "chương trình máy tính" in page.locator("#e-file").inner_text()
    assert "Hồ sơ chưa có tệp nào." in page.locator("#ho-so").inner_text()
    axe(page)
    # When the achievement report is attached
    page.select_option("#f-kind", "achievement-report")
    page.set_input_files(
        "#f-file", files=[{"name": "Báo cáo thành tích.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Tải lên hồ sơ").click()
    # Then it is listed with its kind, name and size in Vietnamese, and downloads unchanged
    assert "Đã thêm tệp Báo cáo thành tích.pdf" in page.get_by_role("status").inner_text()
    row = page.locator("#ho-so table tbody tr").first
    cells = [row.locator("td").nth(i).inner_text() for i in range(4)]
    assert cells[0] == "Báo cáo thành tích" and cells[1] == "2,0 KB" and "dev-clerk" in cells[2], cells
    assert row.locator("th").inner_text() == "Báo cáo thành tích.pdf"
    axe(page)
    screenshot(page, "de-nghi-ho-so")
    with page.expect_download() as taken:
        row.get_by_role("link", name="Tải về").click()
    download = taken.value
    assert Path(download.path()).read_bytes() == PDF
    assert download.suggested_filename == "Báo cáo thành tích.pdf"
    sha256 = hashlib.sha256(PDF).hexdigest()
    listed = stack.get("awards", f"/v1/federations/{FEDERATION}/nominations/{nomination['id']}/attachments")
    assert [a["sha256"] for a in listed.json()["items"]] == [sha256]
    # and another unit's clerk is told it does not exist
    sign_in(page, stack, "clerk", "cdcs-benh-vien")
    response = page.goto(stack.url + f"{where}/ho-so/{sha256}")
    assert response is not None and response.status == 404


def test_an_approver_keeps_the_signed_scan_of_a_decision(stack: Stack, page: Page) -> None:
    nomination = nominated(stack, "dv-hs-2", "Lục Văn Quyết")
    passed(stack, "hd-hs-2", [nomination["id"]])
    decision = granted(stack, f"9/QĐ-HS-{YEAR}", [nomination["id"]])
    sign_in(page, stack, "approver")
    page.goto(stack.url + f"/f/{FEDERATION}/decisions/{decision['id']}")
    page.get_by_role("link", name="Xem, tải lên bản quyết định đã ký (bản scan)").click()
    assert "Chưa có bản quyết định đã ký." in page.content()
    page.set_input_files("#f-file", files=[{"name": "qd-da-ky.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="Tải lên").click()
    assert "Đã lưu bản quyết định đã ký (qd-da-ky.png)" in page.get_by_role("status").inner_text()
    axe(page)
    with page.expect_download() as taken:
        page.locator("table.dossier").get_by_role("link", name="Tải về").click()
    assert Path(taken.value.path()).read_bytes() == PNG
