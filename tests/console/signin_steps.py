"""Steps of the OpenID Connect sign-in tests: people invited and granted over registration's
API (as a national admin would), and a browser signing in at the test provider
(tests/console/oidc.py), following every redirect in Chromium."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urljoin

import httpx
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, Stack

OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
PICK = "Làm việc với vai trò này"


def login_name(base: str) -> str:
    """A login of its own for each test (the provider signs it in as <login>@tdkt.test)."""
    return f"{base}-{uuid.uuid4().hex[:8]}"


def person(stack: Stack, login: str, name: str, *grants: tuple[Any, ...]) -> tuple[str, list[str]]:
    """Invite <login>@tdkt.test into the federation and grant (role, unit or None[, from]) each."""
    created = stack.post(
        "registration",
        f"/v1/federations/{FEDERATION}/access/people",
        {"name": name, "email": f"{login}@tdkt.test"},
    )
    ids = []
    for role, unit, *starts in grants:
        body: dict[str, Any] = {"person": created["id"], "role": role, "reason": "Phân công thử nghiệm"}
        if unit:
            body["unit"] = unit
        if starts:
            body["valid_from"] = starts[0]
        granted = stack.post("registration", f"/v1/federations/{FEDERATION}/access/assignments", body)
        ids.append(granted["assignment"]["id"])
    return created["id"], ids


def revoke(stack: Stack, assignment: str, reason: str = "Chuyển công tác") -> None:
    stack.post("registration", f"/v1/access/assignments/{assignment}:revoke", {"reason": reason}, expect=200)


def start(page: Page, stack: Stack, next: str | None = None) -> None:
    """From the console's sign-in page to the provider's."""
    assert stack.provider is not None
    page.context.route(OUTSIDE, lambda route: route.abort())  # the provider's page asks for web fonts
    page.goto(stack.url + "/dang-nhap" + (f"?next={quote(next, safe='')}" if next else ""))
    page.get_by_role("link", name="Đăng nhập bằng tài khoản").click()
    page.wait_for_url(stack.provider.issuer + "/**")


def at_provider(page: Page, stack: Stack, login: str) -> None:
    """The provider's own sign-in form (its development pages: any password), then back."""
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "mat-khau")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(lambda url: url.startswith(stack.url))


def oidc_sign_in(
    page: Page, stack: Stack, login: str, pick: str | None = None, next: str | None = None
) -> None:
    start(page, stack, next)
    at_provider(page, stack, login)
    if pick is not None:
        page.get_by_label(pick).check()
        page.get_by_role("button", name=PICK).click()
        page.wait_for_load_state()
    assert "Đã đăng nhập" in page.content(), page.content()[:3000]


def provider_answer(stack: Stack, login: str, tamper: Callable[[str], str] = str) -> tuple[httpx.Client, str]:
    """A sign-in run by a bare HTTP client (as an attacker's script would): begun at the console,
    the authorization request changed by `tamper` on its way, signed in at the provider; the
    provider's answer (the console's callback URL with code and state) returned unvisited, with
    the client holding the session that began it."""
    client = httpx.Client(timeout=30)
    answer = client.get(stack.url + "/dang-nhap/oidc")
    location = tamper(answer.headers["location"])
    for _ in range(10):
        answer = client.get(location)
        if answer.status_code == 200:
            action = re.search(r'action="([^"]+)"', answer.text)
            assert action is not None, answer.text[:1000]
            form = {"prompt": "login", "login": login, "password": "x"}
            answer = client.post(urljoin(location, action.group(1)), data=form)
        location = urljoin(location, answer.headers["location"])
        if location.startswith(stack.url):
            return client, location
    raise AssertionError("the provider never answered the console")


def session_cookie(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "tdkt_session")
