"""Who could (issue 15), the auditor's question: which people could do an action at a place on a
day, and who allowed it — registration's …/access/who-could as a page for the federation's
admins and auditors, and nationally for national ones; anyone else is told it does not exist."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.console.access_steps import national_admin, signed_in_as
from tests.console.conftest import FEDERATION, TODAY, Stack, axe, screenshot
from tests.console.signin_steps import login_name, person

WHO_COULD = f"/f/{FEDERATION}/ai-duoc-phep"
ISSUE = "Ban hành quyết định khen thưởng"


def test_the_answer_names_each_person_their_role_and_who_granted_it_why(stack: Stack, page: Page) -> None:
    # Given an approver granted by the federation's admin through the grant form
    approver, _ = person(stack, login_name("duyet"), "Lục Văn Duyệt")
    signed_in_as(stack, page, "Hoàng Thị Quản", "admin")
    page.goto(stack.url + f"/f/{FEDERATION}/nguoi-dung/{approver}/cap-vai-tro")
    page.select_option("#f-role", "approver")
    page.fill("#f-reason", "Quyết định 07/QĐ phân công ký quyết định khen thưởng")
    page.get_by_role("button", name="Giao vai trò").click()
    # When the admin asks, from the people page, who could issue decisions today
    page.goto(stack.url + f"/f/{FEDERATION}/nguoi-dung")
    page.get_by_role("link", name="Ai được phép làm việc gì vào một ngày").click()
    page.select_option("#f-action", label=ISSUE)
    page.fill("#f-on", TODAY.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Kiểm tra").click()
    # Then the approver is listed with role, place, from, who granted it and why
    row = page.locator("#ai-duoc-phep tr", has_text="Lục Văn Duyệt").inner_text()
    assert "Lãnh đạo phê duyệt" in row and "Toàn liên đoàn" in row
    assert TODAY.strftime("%d/%m/%Y") in row and "Chưa thu hồi" in row
    assert "Hoàng Thị Quản" in row and "Quyết định 07/QĐ" in row
    assert "action=decision.issue" in page.url  # the question stays in the URL
    axe(page)
    screenshot(page, "15-ai-duoc-phep")


def test_an_auditor_gets_the_date_field_named_when_it_is_not_a_date(stack: Stack, page: Page) -> None:
    # Given an auditor of the federation, on the question's page reached from the audit pages
    signed_in_as(stack, page, "Trịnh Thị Soát", "auditor")
    page.goto(stack.url + f"/f/{FEDERATION}/audit")
    page.get_by_role("link", name="Ai được phép làm việc gì vào một ngày").click()
    # When they ask with a day that does not exist
    page.select_option("#f-action", label=ISSUE)
    page.fill("#f-on", "31/02/2024")
    page.get_by_role("button", name="Kiểm tra").click()
    # Then the error summary names the date's field, and no answer is shown
    summary = page.get_by_role("alert")
    assert "dd/mm/yyyy" in summary.inner_text()
    assert summary.get_by_role("link").first.get_attribute("href") == "#f-on"
    assert page.locator("#ai-duoc-phep").count() == 0
    axe(page)


def test_a_national_admin_asks_nationally(stack: Stack, page: Page) -> None:
    # Given a national admin, on the national people page
    national_admin(stack, page)
    page.goto(stack.url + "/quoc-gia/nguoi-dung")
    page.get_by_role("link", name="Ai được phép làm việc gì vào một ngày").click()
    # When they ask who could manage access nationally today
    page.select_option("#f-action", "access.manage")
    page.get_by_role("button", name="Kiểm tra").click()
    # Then they see themselves among the national admins
    row = page.locator("#ai-duoc-phep tr", has_text="Nguyễn Văn Quốc").first.inner_text()
    assert "Quản trị" in row and "Toàn quốc" in row and "Phân công thử nghiệm toàn quốc" in row
    axe(page)


def test_a_clerk_typing_the_address_is_told_it_does_not_exist(stack: Stack, page: Page) -> None:
    # Given a clerk of a grassroots union
    signed_in_as(stack, page, "Vi Văn Thư", "clerk", "cdcs-truong-a")
    # When they type the addresses of the question and of the people pages
    for path in (WHO_COULD, f"/f/{FEDERATION}/nguoi-dung", "/quoc-gia/ai-duoc-phep"):
        response = page.goto(stack.url + path + "?action=decision.issue")
        # Then each is "not found", as if it did not exist
        assert response is not None and response.status == 404, path
