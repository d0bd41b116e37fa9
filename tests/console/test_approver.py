"""Journey 4, the approver: a decision from the passed nominations with each problem named beside
its field (nothing stored), the issued decisions with their grants, and a grant revoked only with
a reason. (The council-to-decision path end to end is in test_council.)"""

from __future__ import annotations

import uuid

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, OTHER, TODAY, YEAR, Stack, axe, form_post, screenshot, sign_in
from tests.console.council_steps import BASE, eventually, granted, listed_grants, nominated, passed

NAV = "Điều hướng chính"


def decisions_stored(stack: Stack) -> list[str]:
    return [d["number"] for d in stack.get("awards", f"{BASE}/decisions", year=YEAR).json()["items"]]


def test_a_decision_with_problems_names_each_beside_its_field_and_stores_nothing(
    stack: Stack, page: Page
) -> None:
    # Given a passed nomination, and a decision number already used this year
    n = nominated(stack, "dv-qd-1", "Chu Văn Khánh")
    passed(stack, "hd-qd-1", [n["id"]])
    other = nominated(stack, "dv-qd-0", "Chu Thị Loan")
    passed(stack, "hd-qd-0", [other["id"]])
    granted(stack, f"7/QĐ-LĐLĐ-{YEAR}", [other["id"]])
    sign_in(page, stack, "approver")
    page.get_by_role("navigation", name=NAV).get_by_role("link", name="Quyết định khen thưởng").click()
    page.get_by_role("link", name="Ban hành quyết định khen thưởng").click()

    def listed() -> None:
        page.reload()
        assert page.get_by_label("Chọn Chu Văn Khánh").count() == 1

    eventually(listed)
    assert page.get_by_label("Chọn Chu Thị Loan").count() == 0  # granted already
    before = decisions_stored(stack)
    # When the approver sends the form with no nomination, a date that is not one and no signer
    page.fill("#f-number", "")
    page.fill("#f-signed_on", "31/02/" + str(YEAR))
    page.get_by_role("button", name="Tiếp tục: kiểm tra trước khi ban hành").click()
    # Then each problem is named at the top, linked to its field, and again beside it
    summary = page.locator(".error-summary")
    for anchor in ("f-nominations", "f-number", "f-signed_on", "f-signer"):
        assert summary.locator(f"a[href='#{anchor}']").count() == 1, anchor
    assert page.locator("#e-signed_on").inner_text().endswith("Nhập ngày ký theo dạng dd/mm/yyyy")
    assert "Nhập họ tên người ký" in page.locator("#e-signer").inner_text()
    assert page.locator("#f-signed_on").input_value() == f"31/02/{YEAR}"  # what was typed stays
    axe(page)
    screenshot(page, "4-quyet-dinh-loi")
    # When it is corrected but numbered as the decision already issued, and issued after the check
    page.get_by_label("Chọn Chu Văn Khánh").check()
    page.fill("#f-number", f"7/QĐ-LĐLĐ-{YEAR}")
    page.fill("#f-signed_on", TODAY.strftime("%d/%m/%Y"))
    page.fill("#f-signer", "Hà Văn Sơn")
    page.get_by_role("button", name="Tiếp tục: kiểm tra trước khi ban hành").click()
    page.get_by_role("button", name="Ban hành quyết định").click()
    # Then awards' refusal is shown beside the number, in Vietnamese, and nothing is stored
    assert "Số quyết định này đã dùng" in page.locator("#e-number").inner_text()
    assert page.get_by_label("Chọn Chu Văn Khánh").is_checked()
    assert decisions_stored(stack) == before


def test_revocation_needs_a_reason(stack: Stack, page: Page) -> None:
    # Given a decision granting an award
    n = nominated(stack, "dv-th-1", "Sầm Văn Quý")
    passed(stack, "hd-th-1", [n["id"]])
    decision = granted(stack, f"9/QĐ-LĐLĐ-{YEAR}", [n["id"]])
    grant_id = listed_grants(stack, decision["id"])[0]["grant_id"]
    sign_in(page, stack, "approver")
    page.goto(stack.url + f"/f/{FEDERATION}/decisions/{decision['id']}")
    assert "Còn hiệu lực" in page.locator("table.grants").inner_text()
    page.get_by_role("link", name="Xem, thu hồi khen thưởng của Sầm Văn Quý").click()
    # When the approver revokes it without a reason
    page.fill("#f-reference", f"10/QĐ-LĐLĐ-{YEAR}")
    page.get_by_role("button", name="Thu hồi khen thưởng").click()
    # Then the reason is asked for beside its field, and the grant stands
    assert "Nhập lý do thu hồi" in page.locator("#e-reason").inner_text()
    assert page.locator("#f-reference").input_value() == f"10/QĐ-LĐLĐ-{YEAR}"
    assert stack.get("awards", f"{BASE}/grants/{grant_id}").json()["revoked"] is None
    axe(page)
    # When with a reason
    page.fill("#f-reason", "Kê khai không trung thực thành tích")
    page.get_by_role("button", name="Thu hồi khen thưởng").click()
    # Then it is revoked with that reason, and the decision shows it revoked
    assert "Đã thu hồi" in page.get_by_role("status").inner_text()
    revoked = stack.get("awards", f"{BASE}/grants/{grant_id}").json()["revoked"]
    assert revoked["reason"] == "Kê khai không trung thực thành tích"
    assert "Kê khai không trung thực thành tích" in page.locator("dl.facts").inner_text()
    axe(page)
    screenshot(page, "4-thu-hoi")

    def shown_revoked() -> None:
        page.goto(stack.url + f"/f/{FEDERATION}/decisions/{decision['id']}")
        assert "Đã thu hồi ngày" in page.locator("table.grants").inner_text()

    eventually(shown_revoked)


def test_a_forged_revocation_without_the_csrf_token_changes_nothing(stack: Stack, page: Page) -> None:
    n = nominated(stack, "dv-gm-1", "Hứa Thị Mến")
    passed(stack, "hd-gm-1", [n["id"]])
    decision = granted(stack, f"11/QĐ-LĐLĐ-{YEAR}", [n["id"]])
    grant_id = listed_grants(stack, decision["id"])[0]["grant_id"]
    sign_in(page, stack, "approver")
    body = {"reason": "Giả mạo", "reference": "1/GM"}
    path = f"/f/{FEDERATION}/decisions/grants/{grant_id}/revoke"
    assert form_post(stack, page.context.cookies(), path, body).status_code == 403
    assert stack.get("awards", f"{BASE}/grants/{grant_id}").json()["revoked"] is None


def test_approver_pages_are_not_found_outside_the_approvers_scope(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "approver")
    for path in (
        f"/f/{OTHER}/decisions",
        f"/f/{OTHER}/decisions/new",
        f"/f/{OTHER}/decisions/{uuid.uuid4()}",
        f"/f/{FEDERATION}/decisions/{uuid.uuid4()}",
        f"/f/{FEDERATION}/decisions/grants/{uuid.uuid4()}",
        f"/f/{FEDERATION}/councils",
    ):
        response = page.goto(stack.url + path)
        assert response is not None and response.status == 404, path
        assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    page.goto(stack.url + f"/f/{FEDERATION}/decisions?year={YEAR}")
    axe(page)
