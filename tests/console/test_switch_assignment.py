"""Đổi vai trò (issue 15): a person holding several assignments goes back to the picker without
signing out and acts under another; the session gets a new id when the assignment changes."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, Stack, axe
from tests.console.signin_steps import PICK, login_name, oidc_sign_in, person, session_cookie

CLERK = "Văn thư — CĐCS Trường THPT Bắc Kạn"
READER = "Người xem — LĐLĐ tỉnh Bắc Kạn"


def test_a_person_switches_assignment_and_gets_a_new_session_id(stack: Stack, page: Page) -> None:
    # Given a person acting as a grassroots union's clerk, who is also the federation's reader
    login = login_name("doi")
    person(stack, login, "Lò Thị Đổi", ("clerk", "cdcs-truong-a"), ("reader", None))
    oidc_sign_in(page, stack, login, pick=CLERK)
    before = session_cookie(page)
    # When they choose "Đổi vai trò" and pick the reader's
    page.get_by_role("link", name="Đổi vai trò").click()
    assert page.get_by_label(CLERK).is_checked()  # the one acted under is the one marked
    axe(page)
    page.get_by_label(READER).check()
    page.get_by_role("button", name=PICK).click()
    # Then they act as the federation's reader, under a new session id; the old one opens nothing
    assert "Người xem · LĐLĐ tỉnh Bắc Kạn" in page.content()
    assert session_cookie(page) != before
    old = httpx.get(stack.url + f"/f/{FEDERATION}", cookies={"tdkt_session": before}, follow_redirects=False)
    assert old.status_code == 303


def test_a_person_with_one_assignment_is_not_offered_a_switch(stack: Stack, page: Page) -> None:
    # Given a person holding one assignment
    login = login_name("mot")
    person(stack, login, "Hà Văn Một", ("reader", None))
    # When they sign in
    oidc_sign_in(page, stack, login)
    # Then no "Đổi vai trò" is offered
    assert page.get_by_role("link", name="Đổi vai trò").count() == 0
