"""Journey 6: the auditor — a member's award history as of a date with decision, signer and who
recorded it; the trail of one record (who, when, why); the state of the tamper-evident chains."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, TODAY, XSS, YEAR, Stack, axe, screenshot, sign_in
from tests.console.report_data import DECISION, GRANT_YEAR, REVOKE_REASON, SIGNER, seed_reports, settled

HISTORY = f"/v1/federations/{FEDERATION}/history/member/dv-a1"


@pytest.fixture(scope="module", autouse=True)
def data(stack: Stack) -> None:
    seed_reports(stack)


def _history(stack: Stack) -> dict:  # type: ignore[type-arg]
    """dv-a1's history once reporting holds the grants and the revocation."""
    return settled(
        stack,
        HISTORY,
        lambda h: any(e["what"] == "award-revoked" for e in h.get("entries", [])),
        as_of=TODAY.isoformat(),
    )


def test_an_auditor_sees_a_members_history_as_of_a_date_with_decision_and_signer(
    stack: Stack, page: Page
) -> None:
    # Given a member granted the federation's Bằng khen by decision, and a title later revoked
    report = _history(stack)
    # When the auditor finds the member by name and asks for the history as of today
    sign_in(page, stack, "auditor")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Kiểm tra").click()
    page.fill("#f-q", "nguyen van an")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Nguyễn Văn An").click()
    page.fill("#f-as_of", TODAY.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Xem", exact=True).click()
    # Then the awards held that day are listed with their decision, signer and who recorded them
    assert page.locator("h1").inner_text() == (
        f"Lịch sử khen thưởng của đoàn viên Nguyễn Văn An đến ngày {TODAY.strftime('%d/%m/%Y')}"
    )
    held = page.locator("#dang-co tbody tr")
    assert held.count() == len(report["awards_held"]) == 1
    row = held.first.inner_text()
    assert "Bằng khen của LĐLĐ tỉnh" in row and str(GRANT_YEAR) in row
    assert f"Số {DECISION} ngày 22/12/{GRANT_YEAR}" in row
    assert SIGNER in row
    assert "Hoàng Thị Thu" not in row and "tester" in row  # recorded by the account that imported it
    axe(page)
    screenshot(page, "6-kiem-tra-lich-su")


def test_a_revoked_award_is_not_held_and_its_reason_is_shown(stack: Stack, page: Page) -> None:
    _history(stack)
    sign_in(page, stack, "auditor")
    page.goto(stack.url + f"/f/{FEDERATION}/audit/history?kind=member&code=dv-a1")
    assert "Lao động tiên tiến" not in page.locator("#dang-co").inner_text()
    revoked = page.locator("#dien-bien tbody tr").filter(has_text="Thu hồi khen thưởng")
    assert revoked.count() == 1
    assert REVOKE_REASON in revoked.inner_text() and "12/QĐ-LĐLĐ" in revoked.inner_text()


def test_before_its_awards_were_decided_nothing_was_held(stack: Stack, page: Page) -> None:
    # Given dv-a1's awards decided on 22/12 of the grant year (imported today)
    _history(stack)
    # When the auditor asks for the history as of the day before that decision
    sign_in(page, stack, "auditor")
    before = f"21/12/{GRANT_YEAR}"
    page.goto(stack.url + f"/f/{FEDERATION}/audit/history?kind=member&code=dv-a1&as_of={before}")
    # Then nothing was held then, though the awards were recorded later
    assert f"Không có khen thưởng nào còn hiệu lực ngày {before}." in page.locator("main").inner_text()


def test_an_award_imported_today_is_held_as_of_a_day_after_its_decision(stack: Stack, page: Page) -> None:
    # Given dv-a1's Bằng khen decided on 22/12 of the grant year, imported today
    _history(stack)
    # When the auditor asks for the history as of yesterday (before it was recorded)
    sign_in(page, stack, "auditor")
    yesterday = (TODAY - timedelta(days=1)).strftime("%d/%m/%Y")
    page.goto(stack.url + f"/f/{FEDERATION}/audit/history?kind=member&code=dv-a1&as_of={yesterday}")
    # Then it was held by then: the history goes by when things happened
    assert "Bằng khen của LĐLĐ tỉnh" in page.locator("#dang-co").inner_text()


def test_a_line_shows_the_day_it_happened_beside_when_it_was_recorded(stack: Stack, page: Page) -> None:
    # Given dv-a1's title revoked with effect from 15/01, the revocation recorded today
    _history(stack)
    # When the auditor reads the history
    sign_in(page, stack, "auditor")
    page.goto(stack.url + f"/f/{FEDERATION}/audit/history?kind=member&code=dv-a1")
    # Then the revocation's line shows its effective day, then the moment it was recorded
    revoked = page.locator("#dien-bien tbody tr").filter(has_text="Thu hồi khen thưởng")
    cells = revoked.locator("td")
    assert cells.nth(0).inner_text() == f"15/01/{YEAR}"
    assert cells.nth(1).inner_text().startswith(TODAY.strftime("%d/%m/%Y"))


def test_a_records_trail_says_who_when_and_why(stack: Stack, page: Page) -> None:
    _history(stack)
    sign_in(page, stack, "auditor")
    page.goto(stack.url + f"/f/{FEDERATION}/audit/history?kind=member&code=dv-a1")
    revoked = page.locator("#dien-bien tbody tr").filter(has_text="Thu hồi khen thưởng")
    revoked.get_by_role("link", name="Xem nhật ký").click()
    rows = page.locator("#nhat-ky tbody tr")
    assert rows.count() == 2
    assert "Được khen thưởng" in rows.nth(0).inner_text()
    last = rows.nth(1).inner_text()
    assert "Thu hồi khen thưởng" in last and REVOKE_REASON in last and "tester" in last
    assert TODAY.strftime("%d/%m/%Y") in last
    axe(page)
    screenshot(page, "6-kiem-tra-nhat-ky")


def test_the_chain_state_is_shown(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "auditor")
    page.goto(stack.url + f"/f/{FEDERATION}/audit/chain?fresh=1")
    for service in ("registration", "awards"):
        state = stack.get(service, "/v1/audit/chain").json()
        box = page.locator(f"#chuoi-{service}")
        assert "Nguyên vẹn" in box.inner_text()
        assert f"{state['head']['sequence']}:{state['head']['hash']}" in box.inner_text()
    axe(page)
    screenshot(page, "6-kiem-tra-niem-phong")


def test_a_row_changed_behind_the_systems_back_is_named(stack: Stack, page: Page) -> None:
    """Flip one byte of a stored event by SQL (what someone with table access could do), look,
    and flip it back."""
    events = '"registration"."registration_events"'
    flip = f"UPDATE {events} SET state = set_byte(state, 0, get_byte(state, 0) # 1) WHERE notification_id = 1"
    sign_in(page, stack, "auditor")
    with psycopg.connect(stack.isolation.database_url, autocommit=True) as conn:
        conn.execute(f"ALTER TABLE {events} DISABLE TRIGGER USER")
        try:
            conn.execute(flip)
            page.goto(stack.url + f"/f/{FEDERATION}/audit/chain?fresh=1")
            box = page.locator("#chuoi-registration")
            text = box.inner_text()
        finally:
            conn.execute(flip)
            conn.execute(f"ALTER TABLE {events} ENABLE TRIGGER USER")
    assert "Bị phá vỡ" in text
    assert "Nội dung sự kiện số 1 đã bị sửa sau khi ghi" in text
    assert "Nguyên vẹn" in page.locator("#chuoi-awards").inner_text()
    screenshot(page, "6-kiem-tra-niem-phong-bi-pha")
    page.goto(stack.url + f"/f/{FEDERATION}/audit/chain?fresh=1")  # restored: whole again
    assert "Nguyên vẹn" in page.locator("#chuoi-registration").inner_text()


def test_the_script_name_shows_as_text_in_a_history(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "auditor")
    page.goto(stack.url + f"/f/{FEDERATION}/audit/history?kind=member&code=dv-0xss")
    assert XSS in page.locator("h1").inner_text()
    assert page.locator("main script").count() == 0


def test_audit_pages_are_not_found_outside_the_auditors_reach(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "clerk", unit="cdcs-truong-a")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    assert nav.get_by_role("link", name="Kiểm tra").count() == 0
    for path in ("/audit", "/audit/chain", "/audit/history?kind=member&code=dv-a1"):
        r = page.goto(stack.url + f"/f/{FEDERATION}{path}")
        assert r is not None and r.status == 404, path
    sign_in(page, stack, "auditor")
    r = page.goto(stack.url + "/f/cao-bang/audit/history?kind=unit&code=cdcs-cb")
    assert r is not None and r.status == 404
    r = page.goto(stack.url + f"/f/{FEDERATION}/audit/history?kind=member&code=khong-co")
    assert r is not None and r.status == 404


def test_a_bad_date_is_named_beside_its_field(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "auditor")
    page.goto(stack.url + f"/f/{FEDERATION}/audit")
    page.fill("#f-code", "dv-a1")
    page.fill("#f-as_of", "31/02/2024")
    page.get_by_role("button", name="Xem lịch sử").click()
    assert page.locator("#e-as_of").inner_text().endswith("Nhập ngày theo dạng dd/mm/yyyy")
    assert page.input_value("#f-code") == "dv-a1"  # what was typed stays
    axe(page)
