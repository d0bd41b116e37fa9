"""A clerk corrects a returned pledge and sends it again from its page (issue 18): the corrected
date stored with the reason; a correction without a reason asked for on the form, nothing sent.
The pledges are this file's own (unit `cdcs-sua-phieu`), so no other test acts on them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, MOVEMENT, TODAY, Stack, axe, sign_in

UNIT = ("cdcs-sua-phieu", "CĐCS Công ty Sửa Phiếu")
BASE = f"/v1/federations/{FEDERATION}"


def given_a_returned_pledge(stack: Stack, member: str, name: str) -> dict[str, Any]:
    """`member` of UNIT pledged for ldtt today, returned by the federation's staff."""
    if stack.get("registration", f"{BASE}/units/{UNIT[0]}").status_code != 200:
        unit = {"code": UNIT[0], "name": UNIT[1], "kind": "grassroots", "parent": "ldld-tp-bac-kan"}
        stack.post("registration", f"{BASE}/units", unit)
    stack.post("registration", f"{BASE}/members", {"code": member, "full_name": name, "unit": UNIT[0]})
    body = {"movement": MOVEMENT, "award": "ldtt", "subject_kind": "member", "subject_code": member}
    pledge = stack.post("registration", f"{BASE}/pledges", {**body, "pledged_on": TODAY.isoformat()})
    stack.post("registration", f"{BASE}/pledges/{pledge['id']}:return", {"reason": "Sai ngày"}, expect=200)
    return pledge


def stored(stack: Stack, pledge: dict[str, Any]) -> dict[str, Any]:
    return dict(stack.get("registration", f"{BASE}/pledges/{pledge['id']}").json())


def test_a_clerk_corrects_a_returned_pledges_date_with_a_reason_and_sends_it_again(
    stack: Stack, page: Page
) -> None:
    pledge = given_a_returned_pledge(stack, "dv-sp1", "Lò Văn Sửa")
    earlier = TODAY - timedelta(days=1)
    sign_in(page, stack, "clerk", UNIT[0])
    page.goto(stack.url + f"/f/{FEDERATION}/pledges/{pledge['id']}")
    assert page.input_value("#f-pledged_on") == TODAY.strftime("%d/%m/%Y")
    page.fill("#f-pledged_on", earlier.strftime("%d/%m/%Y"))
    page.fill("#f-reason", "Ngày trên phiếu là hôm trước")
    axe(page)
    page.get_by_role("button", name="Gửi lại đăng ký").click()
    assert "Đã gửi lại đăng ký." in page.get_by_role("status").inner_text()
    after = stored(stack, pledge)
    assert after["state"] == "submitted" and after["pledged_on"] == earlier.isoformat()


def test_a_correction_without_a_reason_is_asked_for_on_the_form_and_nothing_is_sent(
    stack: Stack, page: Page
) -> None:
    pledge = given_a_returned_pledge(stack, "dv-sp2", "Lò Thị Phiếu")
    sign_in(page, stack, "clerk", UNIT[0])
    page.goto(stack.url + f"/f/{FEDERATION}/pledges/{pledge['id']}")
    typed = (TODAY - timedelta(days=2)).strftime("%d/%m/%Y")
    page.fill("#f-pledged_on", typed)
    page.get_by_role("button", name="Gửi lại đăng ký").click()
    asked = "Nhập lý do sửa để người xét biết vì sao thông tin khác đi"
    assert page.locator("#e-reason").inner_text().endswith(asked)
    assert page.input_value("#f-pledged_on") == typed  # what the clerk typed, kept
    axe(page)
    after = stored(stack, pledge)
    assert after["state"] == "returned" and after["pledged_on"] == TODAY.isoformat()
