"""Public disclosure in the console: staff start a Huân chương nomination's disclosure from its
page, anyone reads the public list without signing in, staff record an objection received, and
the council member sees it on the ballot page."""

from __future__ import annotations

from datetime import timedelta

import httpx
from playwright.sync_api import Browser, Page

from tests.console.conftest import FEDERATION, TODAY, YEAR, Stack, axe, sign_in
from tests.console.council_steps import BASE, MEMBERS, convened, eventually


def state_nomination(stack: Stack, code: str, name: str) -> str:
    """A new member nominated for Huân chương Lao động hạng Ba this year (whatever its verdict)."""
    stack.post("registration", f"{BASE}/members", {"code": code, "full_name": name, "unit": "cdcs-truong-a"})
    body = {"subject_kind": "member", "subject_code": code, "award": "huan-chuong-lao-dong-3", "year": YEAR}

    def submitted() -> str:
        r = httpx.post(
            stack.service("awards") + f"{BASE}/nominations", json=body, headers=stack.admin, timeout=30
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    return eventually(submitted)


def test_staff_disclose_a_nomination_anyone_reads_the_list_and_the_council_sees_objections(
    stack: Stack, page: Page, browser: Browser
) -> None:
    # Given a Huân chương nomination, not disclosed
    nomination = state_nomination(stack, "dv-ck-1", "Lò Văn Khánh")
    convened(stack, "hd-cong-khai", [nomination], secret=True)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/nominations/{nomination}")
    assert "Chưa công khai" in page.locator("#cong-khai").inner_text()
    # When staff start its disclosure five days ago
    started = TODAY - timedelta(days=5)
    page.fill("#f-starts_on", started.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Bắt đầu công khai").click()
    # Then the page says it is running, until its last working day
    assert "Đang công khai" in page.locator("#cong-khai").inner_text()
    axe(page)
    # and anyone, signed in or not, reads it on the public list
    visitor = browser.new_context(locale="vi-VN")
    public = visitor.new_page()
    public.goto(stack.url + f"/cong-khai/{FEDERATION}")
    row = public.locator("table.disclosures tbody tr", has_text="Lò Văn Khánh")
    assert "Huân chương Lao động hạng Ba" in row.inner_text()
    assert "dv-ck-1" not in public.content()  # a member's code is not what the law discloses
    axe(public)
    assert public.goto(stack.url + "/cong-khai/khong-co-lien-doan").status == 404
    visitor.close()
    # When staff record an objection with no text
    page.fill("#f-by", "Trần Thị Hiền")
    page.fill("#f-received_on", TODAY.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Ghi nhận phản ánh").click()
    # Then the text is asked for beside its field, and nothing is recorded
    assert "Nhập nội dung phản ánh" in page.locator("#e-text").inner_text()
    assert stack.get("awards", f"{BASE}/nominations/{nomination}/objections").json()["items"] == []
    # When with its text
    page.fill("#f-text", "Người được đề nghị đang bị xem xét kỷ luật")
    page.get_by_role("button", name="Ghi nhận phản ánh").click()
    assert "Trần Thị Hiền" in page.locator("table.objections").inner_text()
    # Then the council member sees it with the nomination on the ballot page
    page.context.clear_cookies()
    sign_in(page, stack, "council")
    page.goto(stack.url + f"/f/{FEDERATION}/councils/hd-cong-khai/n/{nomination}")
    assert "Người được đề nghị đang bị xem xét kỷ luật" in page.locator("table.objections").inner_text()
    assert MEMBERS[0]["user"] == "dev-council"
