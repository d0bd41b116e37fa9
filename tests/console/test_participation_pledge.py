"""A clerk registers a member to take part in a movement without a specific award (issue 18):
the pledge form offers "Tham gia phong trào (không đăng ký danh hiệu)", the pledge is stored with no
award and its page names it so. The unit and member are this file's own (`cdcs-tham-gia`)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, MOVEMENT, Stack, axe, sign_in

UNIT = ("cdcs-tham-gia", "CĐCS Công ty Tham Gia")
BASE = f"/v1/federations/{FEDERATION}"
CHOICE = "Tham gia phong trào (không đăng ký danh hiệu)"


def test_a_clerk_registers_a_member_to_take_part_without_an_award(stack: Stack, page: Page) -> None:
    unit = {"code": UNIT[0], "name": UNIT[1], "kind": "grassroots", "parent": "ldld-tp-bac-kan"}
    stack.post("registration", f"{BASE}/units", unit)
    stack.post(
        "registration", f"{BASE}/members", {"code": "dv-tg1", "full_name": "Hà Văn Góp", "unit": UNIT[0]}
    )
    sign_in(page, stack, "clerk", UNIT[0])
    # When the clerk chooses to take part in the movement, with no award, and sends the form
    page.goto(stack.url + f"/f/{FEDERATION}/pledges/new?subject_kind=member&subject_code=dv-tg1")
    page.select_option("#f-movement", MOVEMENT)
    page.select_option("#f-award", label=CHOICE)
    axe(page)
    page.get_by_role("button", name="Gửi đăng ký").click()
    # Then the pledge is stored with no award, and its page says it is to take part
    assert "Đã gửi đăng ký thi đua của Hà Văn Góp." in page.get_by_role("status").inner_text()
    listed = stack.get("registration", f"{BASE}/pledges", movement=MOVEMENT, unit=UNIT[0]).json()["items"]
    ours = [p for p in listed if p["subject_code"] == "dv-tg1"]
    assert [(p["award"], p["state"]) for p in ours] == [(None, "submitted")]
    assert CHOICE in page.locator("main").inner_text()
