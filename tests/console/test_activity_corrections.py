"""An initiative's or a work's details stored wrong, corrected with a reason from its page: only
what differs is sent; a form with nothing changed, an amount that is not one, or no reason is
answered beside its field with nothing stored; only a person who may write them sees the form."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, YEAR, Stack, axe, form_post, screenshot, sign_in

BASE = f"/v1/federations/{FEDERATION}"


def _initiative(stack: Stack, code: str) -> dict[str, Any]:
    body = {"code": code, "title": "Phần mềm quản lí hồ sơ", "field": "quản lý", "benefit_value": 50_000_000}
    body |= {"author_kind": "member", "author_code": "dv-a1", "year": YEAR, "registered_on": f"{YEAR}-01-15"}
    return stack.post("registration", f"{BASE}/initiatives", body)


def test_staff_correct_an_initiatives_title_and_value_with_a_reason(stack: Stack, page: Page) -> None:
    """Given an initiative stored with a misspelt title and a wrong value, when staff correct
    both with a reason, then it is stored so and its page says so."""
    _initiative(stack, "sk-dc-1")
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/initiatives/sk-dc-1")
    page.get_by_role("link", name="Đính chính thông tin").click()
    assert page.input_value("#f-benefit_value") == "50.000.000"
    axe(page)
    page.fill("#f-title", "Phần mềm quản lý hồ sơ đoàn viên")
    page.fill("#f-benefit_value", "150.000.000")
    page.fill("#f-reason", "Tên và giá trị lưu sai so với hồ sơ đăng ký")
    page.get_by_role("button", name="Lưu đính chính").click()
    assert "Đã đính chính thông tin sáng kiến" in page.get_by_role("status").inner_text()
    assert page.locator("h1").inner_text() == "Sáng kiến: Phần mềm quản lý hồ sơ đoàn viên"
    screenshot(page, "18-dinh-chinh-sang-kien")
    stored = stack.get("registration", f"{BASE}/initiatives/sk-dc-1").json()
    assert (stored["title"], stored["benefit_value"], stored["field"]) == (
        "Phần mềm quản lý hồ sơ đoàn viên",
        150_000_000,
        "quản lý",
    )


def test_a_correction_that_changes_nothing_or_is_not_an_amount_is_answered_beside_its_field(
    stack: Stack, page: Page
) -> None:
    """Given a work, when staff send its form unchanged, then the first field says nothing
    differs; an amount typed in words and no reason are each named; nothing is stored."""
    work = {"code": "ct-dc-1", "name": "Nhà văn hoá", "unit": "cdcs-truong-a", "value": 1_000_000}
    work |= {"occasion": "Đại hội", "year": YEAR, "registered_on": f"{YEAR}-01-15"}
    stack.post("registration", f"{BASE}/works", work)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/works/ct-dc-1/correct")
    page.fill("#f-reason", "Kiểm tra lại")
    page.get_by_role("button", name="Lưu đính chính").click()
    assert page.locator("#e-name").inner_text().endswith("Chưa có thông tin nào khác với thông tin đã lưu")
    page.fill("#f-value", "một tỷ")
    page.fill("#f-reason", "")
    page.get_by_role("button", name="Lưu đính chính").click()
    assert page.locator("#e-value").inner_text().endswith("Nhập số tiền bằng chữ số, ví dụ 120.000.000")
    assert page.locator("#e-reason").count() == 1
    assert page.input_value("#f-value") == "một tỷ"
    axe(page)
    assert stack.get("registration", f"{BASE}/works/ct-dc-1").json()["version"] == 1


def test_only_who_may_write_initiatives_sees_the_correction_and_a_forged_one_changes_nothing(
    stack: Stack, page: Page
) -> None:
    """Given an initiative, an auditor sees no correction link and its form is "not found"; a
    post from another site (no CSRF token) is refused."""
    _initiative(stack, "sk-dc-2")
    sign_in(page, stack, "auditor")
    page.goto(stack.url + f"/f/{FEDERATION}/initiatives/sk-dc-2")
    assert page.get_by_role("link", name="Đính chính thông tin").count() == 0
    response = page.goto(stack.url + f"/f/{FEDERATION}/initiatives/sk-dc-2/correct")
    assert response is not None and response.status == 404
    sign_in(page, stack, "federation-staff")
    data = {"title": "Tên khác", "field": "quản lý", "benefit_value": "1", "reason": "x", "version": "1"}
    r = form_post(stack, page.context.cookies(), f"/f/{FEDERATION}/initiatives/sk-dc-2/correct", data)
    assert r.status_code == 403
    assert stack.get("registration", f"{BASE}/initiatives/sk-dc-2").json()["version"] == 1


def test_a_correction_sent_after_someone_else_changed_the_record_shows_it_as_it_is_now(
    stack: Stack, page: Page
) -> None:
    """Given the correction form drawn, and the title corrected by someone else meanwhile, when
    staff send their form, then nothing of theirs is stored and the form shows the record as it
    is now, their reason kept."""
    _initiative(stack, "sk-dc-3")
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/initiatives/sk-dc-3/correct")
    stack.post(
        "registration",
        f"{BASE}/initiatives/sk-dc-3:correct",
        {"title": "Tên người khác sửa", "reason": "x"},
        200,
    )
    page.fill("#f-field", "Công nghệ thông tin")
    page.fill("#f-reason", "Lĩnh vực ghi sai")
    page.get_by_role("button", name="Lưu đính chính").click()
    assert "vừa được người khác thay đổi" in page.get_by_role("alert").inner_text()
    assert page.input_value("#f-title") == "Tên người khác sửa"
    assert page.input_value("#f-field") == "quản lý" and page.input_value("#f-reason") == "Lĩnh vực ghi sai"
    stored = stack.get("registration", f"{BASE}/initiatives/sk-dc-3").json()
    assert (stored["title"], stored["field"], stored["version"]) == ("Tên người khác sửa", "quản lý", 2)
