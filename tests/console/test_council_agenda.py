"""The council member's whole agenda from one form on the council's page: the nominations they
chose for are voted in one request, the others left for later, and nothing shows the choices."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, Stack, axe, sign_in
from tests.console.council_steps import BASE, COUNCIL_USER, convened, eventually, nominated


def open_agenda(page: Page, stack: Stack, code: str) -> None:
    def shown() -> None:
        page.goto(stack.url + f"/f/{FEDERATION}/councils/{code}")
        assert page.locator("table.agenda").count() == 1

    eventually(shown)


def test_a_member_votes_on_several_nominations_from_the_agenda_in_one_form(stack: Stack, page: Page) -> None:
    # Given a secret-ballot council over three nominations
    ids = [
        nominated(stack, code, name)["id"]
        for code, name in (("dv-ct-1", "Đinh Văn Lâm"), ("dv-ct-2", "Hà Thị Mơ"), ("dv-ct-3", "Vi Văn Nam"))
    ]
    convened(stack, "hd-chuong-trinh", ids, secret=True)
    sign_in(page, stack, "council")
    open_agenda(page, stack, "hd-chuong-trinh")
    axe(page)
    # When the member sends the form with nothing chosen
    page.get_by_role("button", name="Gửi phiếu cho các đề nghị đã chọn").click()
    # Then they are asked to choose, and nothing is recorded
    assert "Chọn phương án cho ít nhất một đề nghị" in page.locator(".error-summary").inner_text()
    assert stack.get("awards", f"{BASE}/councils/hd-chuong-trinh").json()["voted"] == {n: [] for n in ids}
    # When they choose for the first two and send
    page.locator(f"#f-choice-{ids[0]}-yes").check()
    page.locator(f"#f-choice-{ids[1]}-no").check()
    page.get_by_role("button", name="Gửi phiếu cho các đề nghị đã chọn").click()
    # Then both are recorded in one go, the third still waits, and the notice names no choice
    assert page.get_by_role("status").inner_text() == "Đã ghi nhận phiếu của bạn cho 2 đề nghị."
    voted = stack.get("awards", f"{BASE}/councils/hd-chuong-trinh").json()["voted"]
    assert voted == {ids[0]: [COUNCIL_USER], ids[1]: [COUNCIL_USER], ids[2]: []}
    rows = page.locator("table.agenda tbody tr")
    assert [rows.nth(i).locator("input[type=radio]").count() for i in range(3)] == [0, 0, 3]
    assert page.locator("table.agenda tbody").inner_text().count("Đã bỏ phiếu") == 2
