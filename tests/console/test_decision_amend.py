"""Issue 18, on the decision's page: an approver amends a decision (a line removed, a name
corrected) and cancels one, each only with a reason (asked for beside its field, nothing stored
without it), the cancellation only once confirmed; a cancelled decision shows as such and offers
no more changes; a forged post without the CSRF token changes nothing."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, YEAR, Stack, axe, form_post, sign_in
from tests.console.council_steps import BASE, eventually, granted, listed_grants, nominated, passed


def test_an_approver_removes_a_line_and_corrects_a_name_only_with_a_reason(stack: Stack, page: Page) -> None:
    # Given a decision granting two members
    kept, dropped = nominated(stack, "dv-sqd-1", "Ma Văn Khoa"), nominated(stack, "dv-sqd-2", "Ma Thị Lụa")
    passed(stack, "hd-sqd-1", [kept["id"], dropped["id"]])
    decision = granted(stack, f"41/QĐ-LĐLĐ-{YEAR}", [kept["id"], dropped["id"]])
    lines = {g["subject_code"]: g["grant_id"] for g in listed_grants(stack, decision["id"])}
    sign_in(page, stack, "approver")
    page.goto(stack.url + f"/f/{FEDERATION}/decisions/{decision['id']}")
    # When the approver ticks Ma Thị Lụa's line and types Ma Văn Khoa's right name, without a reason
    page.get_by_label("Bỏ khen thưởng của Ma Thị Lụa").check()
    page.get_by_label("Tên đúng của Ma Văn Khoa").fill("Ma Văn Khoá")
    page.get_by_role("button", name="Sửa quyết định").click()
    # Then the reason is asked for beside its field, what was chosen stays, and nothing is stored
    assert "Nhập lý do sửa quyết định" in page.locator("#e-amend_reason").inner_text()
    assert page.get_by_label("Bỏ khen thưởng của Ma Thị Lụa").is_checked()
    assert stack.get("awards", f"{BASE}/grants/{lines['dv-sqd-2']}").json()["cancelled"] is None
    axe(page)
    # When with a reason
    page.fill("#f-amend_reason", "Đính chính họ tên; bỏ khen thưởng trùng")
    page.get_by_role("button", name="Sửa quyết định").click()
    # Then the line is cancelled, the name corrected on the same grant, and the page says so
    assert "Đã sửa Quyết định số" in page.get_by_role("status").first.inner_text()
    assert stack.get("awards", f"{BASE}/grants/{lines['dv-sqd-2']}").json()["cancelled"]["by"] == "amendment"
    assert stack.get("awards", f"{BASE}/grants/{lines['dv-sqd-1']}").json()["subject_name"] == "Ma Văn Khoá"

    def shown() -> None:
        page.goto(stack.url + f"/f/{FEDERATION}/decisions/{decision['id']}")
        assert "Đã hủy ngày" in page.locator("table.grants").inner_text()

    eventually(shown)
    page.goto(stack.url + f"/f/{FEDERATION}/decisions/grants/{lines['dv-sqd-2']}")
    assert "bỏ khỏi quyết định khi sửa" in page.locator("dl.facts").inner_text()
    assert page.get_by_role("button", name="Thu hồi khen thưởng").count() == 0


def test_an_approver_cancels_a_decision_only_once_confirmed(stack: Stack, page: Page) -> None:
    # Given a decision granting a member
    n = nominated(stack, "dv-hqd-1", "Lục Văn Hải")
    passed(stack, "hd-hqd-1", [n["id"]])
    decision = granted(stack, f"43/QĐ-LĐLĐ-{YEAR}", [n["id"]])
    grant_id = listed_grants(stack, decision["id"])[0]["grant_id"]
    sign_in(page, stack, "approver")
    page.goto(stack.url + f"/f/{FEDERATION}/decisions/{decision['id']}")
    # When the approver gives a reason but does not confirm
    page.fill("#f-cancel_reason", "Ban hành sai thẩm quyền")
    page.get_by_role("button", name="Hủy quyết định").click()
    # Then the confirmation is asked for beside it, and the decision stands
    assert "Đánh dấu xác nhận" in page.locator("#e-confirm").inner_text()
    assert stack.get("awards", f"{BASE}/decisions/{decision['id']}").json()["cancelled"] is None
    # When confirmed
    page.get_by_label("Tôi xác nhận hủy toàn bộ Quyết định số").check()
    page.get_by_role("button", name="Hủy quyết định").click()
    # Then the decision shows cancelled with its reason, offers no more changes, and its grant is cancelled
    assert "Ban hành sai thẩm quyền" in page.locator("p.notice").inner_text()
    assert page.get_by_role("button", name="Sửa quyết định").count() == 0
    assert stack.get("awards", f"{BASE}/grants/{grant_id}").json()["cancelled"]["by"] == "cancellation"
    axe(page)

    def listed_cancelled() -> None:
        page.goto(stack.url + f"/f/{FEDERATION}/decisions?year={YEAR}")
        row = page.locator("#danh-sach tr", has_text=f"43/QĐ-LĐLĐ-{YEAR}")
        assert "Đã hủy ngày" in row.inner_text()

    eventually(listed_cancelled)


def test_a_forged_cancellation_without_the_csrf_token_changes_nothing(stack: Stack, page: Page) -> None:
    n = nominated(stack, "dv-gqd-1", "Nông Văn Giáp")
    passed(stack, "hd-gqd-1", [n["id"]])
    decision = granted(stack, f"45/QĐ-LĐLĐ-{YEAR}", [n["id"]])
    sign_in(page, stack, "approver")
    body = {"cancel_reason": "Giả mạo", "confirm": "yes"}
    path = f"/f/{FEDERATION}/decisions/{decision['id']}/cancel"
    assert form_post(stack, page.context.cookies(), path, body).status_code == 403
    assert stack.get("awards", f"{BASE}/decisions/{decision['id']}").json()["cancelled"] is None
