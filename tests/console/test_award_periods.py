"""The awards report page by period (issue 17): grants for a school year and a phase grouped by
period, thematic ones apart from regular ones, a period filter in the form."""

from __future__ import annotations

import time
from datetime import date

import httpx
import pytest
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, YEAR, Stack, axe, sign_in
from tests.console.report_data import settled

Y = YEAR - 5  # a year no other console test grants in
BASE = f"/v1/federations/{FEDERATION}"
PHASE = f"Giai đoạn {Y - 2}–{Y}"
SCHOOL_YEAR = f"Năm học {Y - 1}–{Y}"


@pytest.fixture(scope="module", autouse=True)
def grants(stack: Stack) -> None:
    """Given a federation's Bằng khen for a school year and a thematic national one for a phase."""
    row = {"subject_kind": "member", "year": Y, "decision_date": date(Y, 6, 30).isoformat()}
    body = {
        "grants": [
            row
            | {"subject_code": "dv-a1", "award": "bang-khen-ldld", "period": SCHOOL_YEAR}
            | {"decision_number": "31/QĐ-LĐLĐ", "authority": f"ldld:{FEDERATION}"},
            row
            | {"subject_code": "dv-b1", "award": "bang-khen-tld", "period": PHASE, "occasion": "thematic"}
            | {"decision_number": "32/QĐ-TLĐ", "authority": "tld"},
        ]
    }
    deadline = time.monotonic() + 30
    while True:  # awards learns of the members a moment after registration stores them
        r = httpx.post(stack.service("awards") + f"{BASE}/grants:import", json=body, headers=stack.admin)
        if r.status_code in (201, 409) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert r.status_code in (201, 409), r.text
    settled(stack, f"{BASE}/reports/awards", lambda report: report["thematic"] >= 1, year=Y)


def rows(page: Page, table: str) -> list[list[str]]:
    return page.evaluate(  # type: ignore[no-any-return]
        f"() => Array.from(document.querySelectorAll('#{table} tbody tr')).map(r => "
        "Array.from(r.cells).map(c => c.innerText.trim()))"
    )


def test_given_grants_of_a_school_year_and_a_phase_then_the_page_groups_them_by_period(
    stack: Stack, page: Page
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/reports/awards?year={Y}")
    found = {(r[0], r[2]): r[3:] for r in rows(page, "theo-thoi-ky")}
    # Then: Thời kỳ, award, subject kind, granted, regular, thematic, ad-hoc
    assert found[(SCHOOL_YEAR, "Cá nhân")] == ["1", "1", "0", "0"]
    assert found[(PHASE, "Cá nhân")] == ["1", "0", "1", "0"]
    axe(page)


def test_given_a_phase_typed_in_the_filter_then_only_its_grants_are_shown(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/reports/awards?year={Y}")
    form = page.get_by_role("form", name="Lọc báo cáo")
    form.get_by_label("Thời kỳ").fill(PHASE)
    form.get_by_role("button").first.click()
    page.wait_for_url("**period=*")
    assert {r[0] for r in rows(page, "theo-thoi-ky")} == {PHASE}
    download = page.get_by_role("link", name="Tải về tệp Excel (.xlsx)").get_attribute("href")
    assert download and "period=" in download


def test_given_a_period_not_ending_in_the_year_then_the_field_says_so(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/reports/awards?year={Y}&period=Giai+đoạn+2001–2003")
    assert "tính cho năm 2003" in page.get_by_role("form", name="Lọc báo cáo").inner_text()
