"""Journey 1, the year's activities: initiatives (register, recognise with the benefit value in
đồng), dedicated works (register, complete, plaque) as lists with filters kept in the URL, and
targets with their progress as reporting computes it; problems beside the fields; a unit clerk
sees only their unit's."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, TODAY, XSS, YEAR, Stack, axe, form_post, screenshot, sign_in

BASE = f"/v1/federations/{FEDERATION}"
TODAY_VN = TODAY.strftime("%d/%m/%Y")


def initiative(stack: Stack, code: str, author: str, value: int = 0) -> dict[str, Any]:
    body = {
        "code": code,
        "title": f"Sáng kiến {code}",
        "field": "quản lý",
        "benefit_value": value,
        "author_kind": "member",
        "author_code": author,
        "year": YEAR,
        "registered_on": f"{YEAR}-01-15",
    }
    return stack.post("registration", f"{BASE}/initiatives", body)


def work(stack: Stack, code: str, unit: str) -> dict[str, Any]:
    body = {
        "code": code,
        "name": f"Nhà văn hoá {code}",
        "unit": unit,
        "value": 1_450_000_000,
        "occasion": "Đại hội Công đoàn tỉnh lần thứ X",
        "year": YEAR,
        "registered_on": f"{YEAR}-01-15",
    }
    return stack.post("registration", f"{BASE}/works", body)


def until(check: Callable[[], bool], seconds: float = 20) -> None:
    """The lists and reports follow the store a moment later."""
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.3)


@pytest.fixture(scope="module")
def activities(stack: Stack) -> Iterator[None]:
    """Given an initiative and a work in each of two grassroots unions, one initiative recognised."""
    initiative(stack, "sk-a-1", "dv-a1", 50_000_000)
    initiative(stack, "sk-a-2", "dv-a2")
    initiative(stack, "sk-b-1", "dv-b1")
    stack.post(
        "registration",
        f"{BASE}/initiatives/sk-a-2:recognise",
        {"on": f"{YEAR}-02-01", "council_of": "ldld-tp-bac-kan"},
        expect=200,
    )
    work(stack, "ct-a-1", "cdcs-truong-a")
    work(stack, "ct-b-1", "cdcs-benh-vien")
    yield


def test_register_an_initiative_with_errors_beside_the_fields_then_stored(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Sáng kiến").click()
    page.get_by_role("link", name="Đăng ký sáng kiến").click()
    page.fill("#f-code", "SK 1")
    page.fill("#f-benefit_value", "nhiều tiền")
    page.fill("#f-registered_on", f"32/01/{YEAR}")
    page.get_by_role("button", name="Lưu sáng kiến").click()
    summary = page.get_by_role("alert").inner_text()
    assert "Nhập Tên sáng kiến" in summary and "Nhập Mã tác giả" in summary
    assert "chữ thường không dấu" in page.locator("#e-code").inner_text()
    assert "Giá trị làm lợi phải là một số nguyên" in page.locator("#e-benefit_value").inner_text()
    assert page.locator("#e-registered_on").inner_text().endswith("Nhập ngày theo dạng dd/mm/yyyy")
    assert page.input_value("#f-benefit_value") == "nhiều tiền"  # what was typed stays
    axe(page)
    screenshot(page, "1-sang-kien-loi")
    page.fill("#f-code", "sk-form-1")
    page.fill("#f-title", "Sổ tay đoàn viên điện tử")
    page.fill("#f-field", "công nghệ thông tin")
    page.fill("#f-author_code", "dv-a1")
    page.fill("#f-benefit_value", "150.000.000")
    page.fill("#f-registered_on", f"02/03/{YEAR}")
    page.get_by_role("button", name="Lưu sáng kiến").click()
    assert (
        "Đã đăng ký sáng kiến “Sổ tay đoàn viên điện tử” (mã sk-form-1)."
        in page.get_by_role("status").inner_text()
    )
    assert "150.000.000 đồng" in page.locator("dl.facts").inner_text()
    stored = stack.get("registration", f"{BASE}/initiatives/sk-form-1").json()
    assert (stored["benefit_value"], stored["registered_on"], stored["unit"]) == (
        150_000_000,
        f"{YEAR}-03-02",
        "cdcs-truong-a",
    )


def test_recognising_an_initiative_records_its_benefit_value_in_dong(
    stack: Stack, page: Page, activities: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/initiatives/sk-a-1")
    assert "Đã đăng ký" in page.locator("dl.facts").inner_text()
    page.fill("#f-on", TODAY_VN)
    page.fill("#f-council_of", "ldld-tp-bac-kan")
    page.fill("#f-benefit_value", "120.000.000")
    axe(page)
    page.get_by_role("button", name="Công nhận sáng kiến").click()
    notice = page.get_by_role("status").inner_text()
    assert "Đã công nhận sáng kiến “Sáng kiến sk-a-1” với giá trị làm lợi 120.000.000 đồng" in notice
    facts = page.locator("dl.facts").inner_text()
    assert "Đã công nhận" in facts and "120.000.000 đồng (120 triệu đồng)" in facts
    axe(page)
    screenshot(page, "1-sang-kien-cong-nhan")
    stored = stack.get("registration", f"{BASE}/initiatives/sk-a-1").json()
    assert (stored["state"], stored["benefit_value"]) == ("recognised", 120_000_000)


def test_the_initiatives_filters_are_kept_in_the_url(stack: Stack, page: Page, activities: None) -> None:
    sign_in(page, stack, "federation-staff")
    url = stack.url + f"/f/{FEDERATION}/initiatives?year={YEAR}&state=recognised"

    def listed() -> bool:
        page.goto(url)
        return "sk-a-2" in page.locator("main").inner_text()

    until(listed)
    table = page.get_by_role("table").inner_text()
    assert "Sáng kiến sk-a-2" in table and "sk-b-1" not in table
    assert page.input_value("#f-state") == "recognised"
    page.select_option("#f-state", "registered")
    page.get_by_role("button", name="Lọc").click()
    assert "state=registered" in page.url and f"year={YEAR}" in page.url
    assert "sk-b-1" in page.get_by_role("table").inner_text()
    axe(page)
    screenshot(page, "1-sang-kien-danh-sach")


def test_register_a_work_with_its_value_in_dong(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Công trình").click()
    page.get_by_role("link", name="Đăng ký công trình").click()
    page.fill("#f-code", "ct-form-1")
    page.fill("#f-name", "Nhà văn hoá công nhân Khu công nghiệp Thanh Bình")
    page.fill("#f-unit", "ldld-tp-bac-kan")
    page.fill("#f-occasion", "Đại hội Công đoàn tỉnh Bắc Kạn lần thứ X")
    page.fill("#f-value", "1.200.000.000")
    page.get_by_role("button", name="Lưu công trình").click()
    assert "Đã đăng ký công trình" in page.get_by_role("status").inner_text()
    assert "1.200.000.000 đồng (1,2 tỷ đồng)" in page.locator("dl.facts").inner_text()
    axe(page)
    stored = stack.get("registration", f"{BASE}/works/ct-form-1").json()
    assert (stored["value"], stored["state"]) == (1_200_000_000, "registered")


def test_a_work_is_completed_then_plaqued(stack: Stack, page: Page, activities: None) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/works/ct-a-1")
    page.fill("#f-on", f"15/09/{YEAR}")
    page.get_by_role("button", name="Ghi hoàn thành").click()
    assert "Đã ghi công trình hoàn thành" in page.get_by_role("status").inner_text()
    assert f"15/09/{YEAR}" in page.locator("dl.facts").inner_text()
    page.fill("#f-on", f"30/09/{YEAR}")
    page.get_by_role("button", name="Ghi gắn biển").click()
    facts = page.locator("dl.facts").inner_text()
    assert "Đã gắn biển" in facts and f"Ngày gắn biển\t30/09/{YEAR}" in facts.replace("\n", "\t")
    axe(page)
    screenshot(page, "1-cong-trinh-gan-bien")
    assert stack.get("registration", f"{BASE}/works/ct-a-1").json()["state"] == "plaqued"


def test_a_plaque_dated_before_completion_is_named_beside_the_date(stack: Stack, page: Page) -> None:
    work(stack, "ct-sai-ngay", "ldld-tp-bac-kan")
    stack.post("registration", f"{BASE}/works/ct-sai-ngay:complete", {"on": f"{YEAR}-09-15"}, expect=200)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/works/ct-sai-ngay")
    page.fill("#f-on", f"01/09/{YEAR}")
    page.get_by_role("button", name="Ghi gắn biển").click()
    assert page.locator("#e-on").inner_text().endswith(f"Ngày phải từ ngày 15/09/{YEAR} trở đi")
    assert page.input_value("#f-on") == f"01/09/{YEAR}"
    axe(page)
    assert stack.get("registration", f"{BASE}/works/ct-sai-ngay").json()["state"] == "completed"


def test_a_target_set_by_form_shows_its_progress_as_the_report_says(
    stack: Stack, page: Page, activities: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Chỉ tiêu").click()
    page.get_by_role("link", name="Giao chỉ tiêu").click()
    page.fill("#f-unit", "ldld-tp-bac-kan")
    page.fill("#f-target", "không")
    page.get_by_role("button", name="Lưu chỉ tiêu").click()
    assert "Chỉ tiêu phải là một số nguyên" in page.locator("#e-target").inner_text()
    page.fill("#f-target", "8")
    page.get_by_role("button", name="Lưu chỉ tiêu").click()
    assert (
        f"Đã lưu chỉ tiêu sáng kiến năm {YEAR} của đơn vị ldld-tp-bac-kan: 8."
        in page.get_by_role("status").inner_text()
    )
    report: dict[str, Any] = {}

    def shown() -> bool:
        nonlocal report
        report = stack.get("reporting", f"{BASE}/reports/targets", year=YEAR, programme="initiatives").json()
        page.goto(stack.url + f"/f/{FEDERATION}/targets?year={YEAR}&programme=initiatives")
        row = next((r for r in report["by_unit"] if r["unit"] == "ldld-tp-bac-kan"), None)
        return bool(row and row["target"] == 8 and row["achieved"] >= 3)

    until(shown)
    row = next(r for r in report["by_unit"] if r["unit"] == "ldld-tp-bac-kan")
    cells = (
        page.locator("#tien-do tbody tr").filter(has_text="(ldld-tp-bac-kan)").locator("td").all_inner_texts()
    )
    percent = f"{row['percent']:.1f}".replace(".", ",") + " %"
    assert cells[1:] == [str(row["target"]), str(row["achieved"]), percent]
    axe(page)
    screenshot(page, "1-chi-tieu-tien-do")


def test_a_unit_clerk_sees_only_their_units_initiatives_and_works(
    stack: Stack, page: Page, activities: None
) -> None:
    sign_in(page, stack, "clerk", "cdcs-truong-a")
    until(
        lambda: (
            bool(page.goto(stack.url + f"/f/{FEDERATION}/initiatives?year={YEAR}"))
            and "sk-a-1" in page.content()
        )
    )
    listed = page.locator("main").inner_text()
    assert "sk-a-1" in listed and "sk-b-1" not in listed
    until(
        lambda: (
            bool(page.goto(stack.url + f"/f/{FEDERATION}/works?year={YEAR}")) and "ct-a-1" in page.content()
        )
    )
    assert "ct-b-1" not in page.locator("main").inner_text()
    axe(page)
    for path in (
        f"/f/{FEDERATION}/initiatives/sk-b-1",
        f"/f/{FEDERATION}/initiatives/khong-co",
        f"/f/{FEDERATION}/works/ct-b-1",
    ):
        response = page.goto(stack.url + path)
        assert response is not None and response.status == 404, path
        assert page.locator("h1").inner_text() == "Không tìm thấy trang", path


def test_a_forged_recognition_changes_nothing(stack: Stack, page: Page, activities: None) -> None:
    sign_in(page, stack, "federation-staff")
    body = {"on": TODAY_VN, "council_of": "ldld-tp-bac-kan", "benefit_value": "1"}
    r = form_post(stack, page.context.cookies(), f"/f/{FEDERATION}/initiatives/sk-b-1/recognise", body)
    assert r.status_code == 403
    assert stack.get("registration", f"{BASE}/initiatives/sk-b-1").json()["state"] == "registered"


def test_a_script_in_a_works_name_is_shown_as_text(stack: Stack, page: Page) -> None:
    body = {
        "code": "ct-xss",
        "name": XSS,
        "unit": "ldld-tp-bac-kan",
        "value": 1,
        "occasion": XSS,
        "year": YEAR,
        "registered_on": f"{YEAR}-01-15",
    }
    stack.post("registration", f"{BASE}/works", body)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, stack, "federation-staff")
    until(
        lambda: (
            bool(page.goto(stack.url + f"/f/{FEDERATION}/works?year={YEAR}")) and "ct-xss" in page.content()
        )
    )
    assert page.get_by_role("link", name=XSS).inner_text() == XSS
    page.get_by_role("link", name=XSS).click()
    assert page.locator("h1").inner_text() == f"Công trình: {XSS}"
    assert page.locator("main script").count() == 0 and not dialogs
