"""Journey 2: federation staff — the year's home page, the tree as of any date, member search
without diacritics, registering a member with errors shown beside the fields."""

from __future__ import annotations

import time
from datetime import timedelta

from playwright.sync_api import Dialog, Page

from tests.console.conftest import (
    FEDERATION,
    NEW_UNIT,
    XSS,
    YEAR,
    Stack,
    axe,
    form_post,
    screenshot,
    sign_in,
)


def test_home_shows_pledges_by_state_from_the_reports(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    deadline = time.monotonic() + 20
    while True:  # reporting projects the seeded pledges a moment after they are stored
        page.goto(stack.url + f"/f/{FEDERATION}?year={YEAR}")
        region = page.get_by_role("region", name="Đăng ký thi đua")
        if "Đã gửi" in region.inner_text() or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    report = stack.get("reporting", f"/v1/federations/{FEDERATION}/reports/registrations", year=YEAR).json()
    assert report["pledged"] >= 2
    assert f"{report['pledged']} lượt đăng ký" in region.inner_text()
    row = region.get_by_role("row").filter(has_text="Đã gửi")
    assert row.get_by_role("link").inner_text() == str(report["by_state"]["submitted"])


def test_tree_as_of_a_date_and_the_script_name_as_text(stack: Stack, page: Page) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    sign_in(page, stack, "federation-staff")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Cây tổ chức").click()
    assert page.locator("h1").inner_text().startswith("Cây tổ chức ngày")
    axe(page)
    page.get_by_role("link", name="LĐLĐ thành phố Bắc Kạn").click()
    children = page.get_by_role("region", name="Đơn vị trực thuộc ngày")
    assert NEW_UNIT[1] in children.inner_text()
    # the day before the new union was founded, it is not in the tree
    before = (NEW_UNIT[2] - timedelta(days=1)).strftime("%d/%m/%Y")
    page.fill("#f-as_of", before)
    page.get_by_role("button", name="Xem").click()
    assert f"Đơn vị trực thuộc ngày {before}" in page.content()
    assert NEW_UNIT[1] not in page.get_by_role("region", name="Đơn vị trực thuộc ngày").inner_text()
    assert "CĐCS Trường THPT Bắc Kạn" in page.content()
    # a date that is not one is named beside the field, the page still answers
    page.fill("#f-as_of", "31/02/2024")
    page.get_by_role("button", name="Xem").click()
    assert page.locator(".field-error").inner_text().endswith("Nhập ngày theo dạng dd/mm/yyyy")
    page.get_by_role("link", name="Nhập ngày theo dạng dd/mm/yyyy").click()
    assert page.evaluate("document.activeElement.id") == "f-as_of"
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-truong-a")
    members = page.get_by_role("region", name="Đoàn viên ngày")
    cell = members.get_by_role("link", name=XSS)
    assert cell.inner_text() == XSS  # shown as text
    assert page.locator("main script").count() == 0 and not dialogs
    axe(page)
    screenshot(page, "2-don-vi-va-doan-vien")


def test_member_search_without_diacritics(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units")
    page.fill("#f-q", "nguyen van an")
    page.get_by_role("button", name="Xem").click()
    results = page.locator("#ket-qua")
    results.get_by_role("link", name="Nguyễn Văn An").wait_for()
    assert "Đặng Thị Ánh" not in results.inner_text()
    assert "q=nguyen" in page.url  # the search is a link one can share
    axe(page)
    screenshot(page, "2-tim-doan-vien")


def test_register_a_member_with_errors_beside_the_fields(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-benh-vien")
    page.get_by_role("link", name="Thêm đoàn viên vào đơn vị này").click()
    assert page.input_value("#f-unit") == "cdcs-benh-vien"
    page.fill("#f-code", "DV B2")
    page.fill("#f-birth_year", "một chín tám lăm")
    page.get_by_role("button", name="Lưu đoàn viên").click()
    summary = page.get_by_role("alert")
    assert summary.count() == 1, page.content()[-3000:]
    assert "Chưa lưu được" in summary.inner_text()
    assert "Nhập Họ và tên" in summary.inner_text()
    assert page.locator("#e-full_name").inner_text().endswith("Nhập Họ và tên")
    assert "chữ thường không dấu" in page.locator("#e-code").inner_text()
    assert "Năm sinh phải là một số nguyên" in page.locator("#e-birth_year").inner_text()
    assert page.input_value("#f-code") == "DV B2"  # what was typed stays
    assert page.input_value("#f-birth_year") == "một chín tám lăm"
    axe(page)
    screenshot(page, "2-them-doan-vien-loi")
    assert stack.get("registration", f"/v1/federations/{FEDERATION}/members/dv-b2").status_code == 404
    page.fill("#f-code", "dv-b2")
    page.fill("#f-full_name", "Hà Thị Cúc")
    page.fill("#f-birth_year", "1985")
    page.check("#f-gender-female")
    page.get_by_role("button", name="Lưu đoàn viên").click()
    assert page.locator("h1").inner_text() == "Hà Thị Cúc"
    assert "Đã lưu đoàn viên Hà Thị Cúc (mã dv-b2)." in page.get_by_role("status").inner_text()
    stored = stack.get("registration", f"/v1/federations/{FEDERATION}/members/dv-b2").json()
    assert (
        stored["unit"] == "cdcs-benh-vien" and stored["gender"] == "female" and stored["birth_year"] == 1985
    )
    axe(page)
    # the same code again: registration's refusal is shown beside the code
    page.goto(stack.url + f"/f/{FEDERATION}/members/new?unit=cdcs-benh-vien")
    page.fill("#f-code", "dv-b2")
    page.fill("#f-full_name", "Người khác")
    page.get_by_role("button", name="Lưu đoàn viên").click()
    assert "đã có" in page.locator("#e-code").inner_text()


def test_forged_member_post_changes_nothing(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    body = {"code": "dv-forged", "full_name": "Giả mạo", "unit": "cdcs-truong-a"}
    r = form_post(stack, page.context.cookies(), f"/f/{FEDERATION}/members/new", body)
    assert r.status_code == 403
    r = form_post(stack, page.context.cookies(), f"/f/{FEDERATION}/members/new", {**body, "csrf_token": "x"})
    assert r.status_code == 403
    assert stack.get("registration", f"/v1/federations/{FEDERATION}/members/dv-forged").status_code == 404


def test_home_chart_and_table_show_the_report_figures(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    base = f"/v1/federations/{FEDERATION}/reports"

    def expected() -> list[list[int]]:
        figures = []
        for y in (YEAR, YEAR - 1):
            reg = stack.get("reporting", f"{base}/registrations", year=y).json()
            awards = stack.get("reporting", f"{base}/awards", year=y).json()
            initiatives = stack.get("reporting", f"{base}/initiatives", year=y).json()
            figures.append([reg["pledged"], awards["granted"], initiatives["registered"]])
        return figures

    deadline = time.monotonic() + 20
    while True:  # the reports follow the stores a moment later: compare once they hold still
        want = expected()
        page.goto(stack.url + f"/f/{FEDERATION}?year={YEAR}")
        page.locator("#so-sanh-bieu-do").wait_for()
        chart = page.evaluate("() => Chart.getChart('so-sanh-bieu-do').data")
        drawn = [d["data"] for d in chart["datasets"]]
        if drawn == want or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert drawn == want
    assert [d["label"] for d in chart["datasets"]] == [f"Năm {YEAR}", f"Năm {YEAR - 1}"]
    assert chart["labels"] == ["Lượt đăng ký thi đua", "Lượt được khen thưởng", "Sáng kiến đăng ký"]
    cells = page.locator("#so-sanh tbody td").all_inner_texts()
    assert cells == [f"{now:,}".replace(",", ".") for pair in zip(*want, strict=True) for now in pair]
    axe(page)
    screenshot(page, "2-trang-chu-bieu-do")


def test_launch_a_movement_with_errors_then_stored(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    page.get_by_role("link", name="Phát động phong trào").click()
    page.fill("#f-code", f"td-chuyen-de-{YEAR}")
    page.select_option("#f-kind", "thematic")
    page.fill("#f-registration_deadline", "31-13-2026")
    page.fill("#f-phases-0-name", "Đợt 1")
    page.fill("#f-phases-0-starts", f"01/02/{YEAR - 1}")
    page.fill("#f-phases-0-ends", f"30/06/{YEAR}")
    page.get_by_role("button", name="Phát động phong trào").click()
    summary = page.get_by_role("alert").inner_text()
    # every problem at once: the name, the deadline (no award chosen is a campaign, not a problem)
    assert "Nhập Tên" in summary
    assert "Nhập ngày theo dạng dd/mm/yyyy" in page.locator("#e-registration_deadline").inner_text()
    assert page.input_value("#f-phases-0-starts") == f"01/02/{YEAR - 1}"  # kept as typed
    axe(page)
    screenshot(page, "2-phat-dong-loi")
    page.fill("#f-name", "Thi đua chào mừng Đại hội Công đoàn tỉnh")
    page.fill("#f-registration_deadline", f"30/06/{YEAR}")
    page.check("#f-awards-bang-khen-ldld")
    page.get_by_role("button", name="Phát động phong trào").click()
    # the phase lies partly in the year before: registration names it, linked to its input
    link = page.get_by_role("link", name=f"Đợt thi đua phải nằm trong năm {YEAR}")
    link.click()
    assert page.evaluate("document.activeElement.id") == "f-phases-0-name"
    page.fill("#f-phases-0-starts", f"01/02/{YEAR}")
    page.get_by_role("button", name="Phát động phong trào").click()
    assert "Đã phát động Thi đua chào mừng Đại hội Công đoàn tỉnh" in page.get_by_role("status").inner_text()
    assert (
        "Thi đua chào mừng Đại hội Công đoàn tỉnh"
        in page.get_by_role("region", name="Phong trào thi đua").inner_text()
    )
    stored = stack.get("registration", f"/v1/federations/{FEDERATION}/movements/td-chuyen-de-{YEAR}").json()
    assert stored["kind"] == "thematic" and stored["awards"] == ["bang-khen-ldld"]
    assert stored["phases"] == [{"name": "Đợt 1", "starts": f"{YEAR}-02-01", "ends": f"{YEAR}-06-30"}]


def test_a_campaign_without_awards_is_launched_with_its_launcher(stack: Stack, page: Page) -> None:
    """Given federation staff launching a campaign the Prime Minister called, with no award, then
    it is stored without awards and the home page names who launched it."""
    sign_in(page, stack, "federation-staff")
    page.goto(f"{stack.url}/f/{FEDERATION}/movements/new")
    page.fill("#f-code", f"vd-thu-tuong-{YEAR}")
    page.fill("#f-name", "Cuộc vận động Thủ tướng phát động")
    page.fill("#f-registration_deadline", f"31/12/{YEAR}")
    page.fill("#f-launcher", "thu-tuong")
    page.fill("#f-launcher_name", "Thủ tướng Chính phủ")
    page.get_by_role("button", name="Phát động phong trào").click()
    assert "Đã phát động Cuộc vận động Thủ tướng phát động" in page.get_by_role("status").inner_text()
    row = page.get_by_role("region", name="Phong trào thi đua").locator(
        "tr", has_text="Cuộc vận động Thủ tướng"
    )
    assert "Thủ tướng Chính phủ" in row.inner_text()
    stored = stack.get("registration", f"/v1/federations/{FEDERATION}/movements/vd-thu-tuong-{YEAR}").json()
    assert stored["awards"] == [] and stored["launcher"] == "thu-tuong"
