"""An open movement amended from the home page with a reason: its deadline, awards and phases;
a form with nothing changed or a date that is not one is answered beside its field with nothing
stored; only federation staff see the form."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, TODAY, YEAR, Stack, axe, form_post, screenshot, sign_in

BASE = f"/v1/federations/{FEDERATION}"


def _movement(stack: Stack, code: str, name: str) -> None:
    body = {"code": code, "name": name, "year": YEAR, "awards": ["bang-khen-ldld", "ldtt"]}
    stack.post("registration", f"{BASE}/movements", body | {"registration_deadline": f"{YEAR}-12-31"})


def test_staff_extend_a_movements_deadline_close_an_award_and_add_a_phase(stack: Stack, page: Page) -> None:
    """Given an open movement, when staff amend its deadline, its awards and its phases with a
    reason, then registration stores them so."""
    _movement(stack, "td-sua-1", "Thi đua lao động giỏi")
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}?year={YEAR}")
    page.get_by_role("link", name="Sửa đổi Thi đua lao động giỏi").click()
    assert page.input_value("#f-registration_deadline") == f"31/12/{YEAR}"
    axe(page)
    page.fill("#f-registration_deadline", f"30/12/{YEAR}")
    page.uncheck("input[name=awards][value=ldtt]")
    page.fill("#f-phases-0-name", "Đợt 1")
    page.fill("#f-phases-0-starts", f"01/01/{YEAR}")
    page.fill("#f-phases-0-ends", f"30/06/{YEAR}")
    page.fill("#f-reason", "Điều chỉnh theo kế hoạch của Thường trực")
    page.get_by_role("button", name="Lưu sửa đổi").click()
    assert "Đã sửa đổi Thi đua lao động giỏi" in page.get_by_role("status").inner_text()
    screenshot(page, "18-sua-doi-phong-trao")
    stored = stack.get("registration", f"{BASE}/movements/td-sua-1").json()
    assert stored["registration_deadline"] == date(YEAR, 12, 30).isoformat()
    assert stored["awards"] == ["bang-khen-ldld"]
    assert stored["phases"] == [{"name": "Đợt 1", "starts": f"{YEAR}-01-01", "ends": f"{YEAR}-06-30"}]


def test_an_amendment_that_changes_nothing_or_has_a_bad_date_is_answered_beside_its_field(
    stack: Stack, page: Page
) -> None:
    """Given an open movement, when staff send the form unchanged, then the name says nothing
    differs; a deadline that is not a date is named by registration; nothing is stored."""
    _movement(stack, "td-sua-2", "Thi đua sáng tạo")
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/movements/td-sua-2/amend")
    page.fill("#f-reason", "Kiểm tra")
    page.get_by_role("button", name="Lưu sửa đổi").click()
    assert page.locator("#e-name").inner_text().endswith("Chưa có gì khác với phong trào đã lưu")
    page.fill("#f-registration_deadline", f"31/13/{YEAR}")
    page.get_by_role("button", name="Lưu sửa đổi").click()
    assert page.locator("#e-registration_deadline").count() == 1
    assert page.input_value("#f-registration_deadline") == f"31/13/{YEAR}"
    axe(page)
    assert stack.get("registration", f"{BASE}/movements/td-sua-2").json()["version"] == 1


def test_only_federation_staff_amend_a_movement_and_a_forged_amendment_changes_nothing(
    stack: Stack, page: Page
) -> None:
    """Given an open movement, a unit's clerk has no amend link and its form is "not found"; a
    post from another site (no CSRF token) is refused."""
    _movement(stack, "td-sua-3", "Thi đua an toàn")
    sign_in(page, stack, "clerk", "cdcs-truong-a")
    page.goto(stack.url + f"/f/{FEDERATION}?year={YEAR}")
    assert page.get_by_role("link", name="Sửa đổi Thi đua an toàn").count() == 0
    response = page.goto(stack.url + f"/f/{FEDERATION}/movements/td-sua-3/amend")
    assert response is not None and response.status == 404
    sign_in(page, stack, "federation-staff")
    data = {"name": "Tên khác", "registration_deadline": f"30/12/{YEAR}", "reason": "x", "version": "1"}
    r = form_post(stack, page.context.cookies(), f"/f/{FEDERATION}/movements/td-sua-3/amend", data)
    assert r.status_code == 403
    assert stack.get("registration", f"{BASE}/movements/td-sua-3").json()["version"] == 1


def test_removing_a_phase_that_pledges_name_is_refused_beside_the_phases(stack: Stack, page: Page) -> None:
    """Given a movement by phases and a pledge in its first phase, when staff empty that phase's
    row, then the refusal is shown beside the phases, in Vietnamese, and nothing is stored."""
    phase = {"name": "Đợt 1", "starts": f"{YEAR}-01-01", "ends": f"{YEAR}-12-31"}
    body = {"code": "td-sua-4", "name": "Thi đua theo đợt", "year": YEAR, "awards": ["bang-khen-ldld"]}
    body |= {"registration_deadline": f"{YEAR}-12-31", "phases": [phase]}
    stack.post("registration", f"{BASE}/movements", body)
    pledge = {"movement": "td-sua-4", "award": "bang-khen-ldld", "subject_kind": "member"}
    pledge |= {"subject_code": "dv-a2", "phase": "Đợt 1", "pledged_on": TODAY.isoformat()}
    stack.post("registration", f"{BASE}/pledges", pledge)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/movements/td-sua-4/amend")
    for key in ("name", "starts", "ends"):
        page.fill(f"#f-phases-0-{key}", "")
    page.fill("#f-reason", "Bỏ chia đợt")
    page.get_by_role("button", name="Lưu sửa đổi").click()
    said = page.locator("#f-phases").inner_text()
    assert "Đã có đăng ký theo đợt Đợt 1: không bỏ được các đợt này" in said
    axe(page)
    assert stack.get("registration", f"{BASE}/movements/td-sua-4").json()["version"] == 1
