"""Attacks on the sign-in (issue 15): each refused with a Vietnamese message that says nothing
was changed, and nothing is — the person signed in stays who they were, nobody else is."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import Browser, Page

from services.console.adapters.oidc import OidcClient, SignInRefused
from services.console.application.signing_in import safe_return
from shared.kernel.settings import ConsoleSettings
from tests.console.conftest import FEDERATION, Stack
from tests.console.oidc import CLIENT_ID, OidcProvider
from tests.console.signin_steps import (
    PICK,
    at_provider,
    login_name,
    oidc_sign_in,
    person,
    provider_answer,
    revoke,
    session_cookie,
    start,
)
from tests.support import run_apart

NOTHING = "Chưa có gì thay đổi"


def refused(page: Page, says: str) -> None:
    assert page.locator("h1").inner_text() == "Chưa đăng nhập được", page.content()[:2000]
    assert says in page.content() and NOTHING in page.content()


def other_nonce(url: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["nonce"] = "nonce-cua-ke-khac"
    return parts._replace(query=urlencode(query)).geturl()


def test_a_callback_with_another_sessions_state_is_refused_login_csrf(
    stack: Stack, page: Page, browser: Browser
) -> None:
    # Given a person signed in, and an attacker holding a valid code and state of their own
    victim = login_name("victim")
    person(stack, victim, "Người Bị Hại", ("reader", None))
    attacker = login_name("attacker")
    person(stack, attacker, "Kẻ Tấn Công", ("reader", None))
    oidc_sign_in(page, stack, victim)
    client, forged = provider_answer(stack, attacker)
    client.close()
    # When the victim's browser is sent to the attacker's callback
    response = page.goto(forged)
    # Then it is refused, and the victim is still themselves
    assert response is not None and response.status == 400
    refused(page, "không thuộc một lần đăng nhập bạn bắt đầu")
    page.goto(stack.url + f"/f/{FEDERATION}")
    assert "Người Bị Hại" in page.content() and "Kẻ Tấn Công" not in page.content()


def test_a_state_that_does_not_match_is_refused(stack: Stack, page: Page) -> None:
    # Given a sign-in under way in this browser
    start(page, stack)
    # When a callback arrives with a state this session never sent
    response = page.goto(stack.url + "/dang-nhap/callback?code=abc&state=gia-mao")
    # Then it is refused and nobody is signed in
    assert response is not None and response.status == 400
    refused(page, "không thuộc một lần đăng nhập bạn bắt đầu")
    page.goto(stack.url + f"/f/{FEDERATION}")
    assert page.url.startswith(stack.url + "/dang-nhap")


def test_an_id_token_with_another_nonce_is_refused(stack: Stack) -> None:
    # Given a sign-in whose authorization request was changed on its way to carry another nonce
    login = login_name("nonce")
    person(stack, login, "Lò Văn Nón", ("reader", None))
    client, answer = provider_answer(stack, login, other_nonce)
    # When the provider's answer comes back (state and PKCE right, the ID token's nonce not)
    try:
        refusal = client.get(answer)
        after = client.get(stack.url + f"/f/{FEDERATION}")
    finally:
        client.close()
    # Then the sign-in is refused, and nobody is signed in
    assert refusal.status_code == 400
    assert "nonce không khớp" in refusal.text and NOTHING in refusal.text
    assert after.status_code == 303 and after.headers["location"].startswith("/dang-nhap")


def test_a_replayed_authorization_code_is_refused(stack: Stack, page: Page, browser: Browser) -> None:
    # Given a person who signed in, the callback URL (code and state) seen on the way
    login = login_name("replay")
    person(stack, login, "Mã Văn Lặp", ("reader", None))
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "/dang-nhap/callback" in r.url else None)
    oidc_sign_in(page, stack, login)
    assert seen
    cookie = session_cookie(page)
    # When the same callback is played again, in the same browser and in another
    again = page.goto(seen[0])
    # Then it is refused, and the session is the one it was
    assert again is not None and again.status == 400
    refused(page, "đã được dùng")
    assert session_cookie(page) == cookie
    other = browser.new_context()
    try:
        tab = other.new_page()
        replay = tab.goto(seen[0])
        assert replay is not None and replay.status == 400
        tab.goto(stack.url + f"/f/{FEDERATION}")
        assert tab.url.startswith(stack.url + "/dang-nhap")
    finally:
        other.close()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/x",
        "//evil.example/x",
        "/\\evil.example",
        "https:/evil.example",
        "/%0d%0aX",
        "javascript:alert(1)",
    ],
)
def test_a_return_url_off_this_site_gives_the_start_page(target: str) -> None:
    # Given a return URL that leaves the console (or smuggles a header)
    # When the sign-in decides where to go after
    # Then it goes to the console's own start page
    assert safe_return(target) in ("/", "/%0d%0aX")
    assert safe_return("/f/bac-kan/pledges?year=2026") == "/f/bac-kan/pledges?year=2026"


def test_an_open_redirect_through_the_sign_in_is_refused(stack: Stack, page: Page) -> None:
    # Given a link to the sign-in that would send the person elsewhere afterwards
    login = login_name("redirect")
    person(stack, login, "Lạc Văn Đường", ("reader", None))
    # When they sign in through it
    oidc_sign_in(page, stack, login, next="https://evil.example/dang-nhap")
    # Then they land on the console, not the other site
    assert page.url.startswith(stack.url + "/"), page.url


def test_a_token_of_another_issuer_is_refused(stack: Stack) -> None:
    # Given the console's client of the configured provider, and ID tokens of another issuer
    # and of the right issuer signed by a key that is not the provider's
    assert stack.provider is not None
    settings = ConsoleSettings(
        console_oidc_issuer=stack.provider.issuer,
        console_oidc_client_id=CLIENT_ID,
        console_oidc_redirect_url=stack.url + "/dang-nhap/callback",
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"sub": "x", "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": "n"}

    async def verify(token: str) -> str:
        async with httpx.AsyncClient() as http:
            try:
                await OidcClient(settings, http).verify_id_token(token, "n")
            except SignInRefused as exc:
                return exc.message
        return "accepted"

    other = jwt.encode({**claims, "iss": "https://evil.example"}, key, "RS256", {"kid": "k"})
    forged = jwt.encode({**claims, "iss": stack.provider.issuer}, key, "RS256", {"kid": "k"})
    # When the console verifies them
    # Then both are refused, the first as another provider's
    assert "nhà cung cấp tài khoản khác" in run_apart(verify(other))
    assert "không hợp lệ" in run_apart(verify(forged))


@pytest.fixture
def other_provider(stack: Stack) -> Iterator[OidcProvider]:
    provider = OidcProvider([stack.url + "/dang-nhap/callback"], [])
    provider.start()
    yield provider
    provider.stop()


def test_an_answer_from_another_provider_is_refused(stack: Stack, other_provider: OidcProvider) -> None:
    # Given a sign-in sent on its way to another provider, where the console's client id exists too
    assert stack.provider is not None
    login = login_name("mixup")
    person(stack, login, "Trộn Văn Lẫn", ("reader", None))
    elsewhere = stack.provider.issuer, other_provider.issuer
    client, answer = provider_answer(stack, login, lambda url: url.replace(*elsewhere))
    # When that provider's answer reaches the console
    try:
        refusal = client.get(answer)
        after = client.get(stack.url + f"/f/{FEDERATION}")
    finally:
        client.close()
    # Then it is refused, and nobody is signed in
    assert refusal.status_code == 400
    assert "nhà cung cấp tài khoản khác" in refusal.text and NOTHING in refusal.text
    assert after.status_code == 303


def test_a_revoked_assignment_ends_access_at_the_next_page(stack: Stack, page: Page) -> None:
    # Given a clerk signed in under their only assignment
    login = login_name("revoked")
    _, (assignment,) = person(stack, login, "Thu Văn Hồi", ("clerk", "cdcs-truong-a"))
    oidc_sign_in(page, stack, login)
    # When an admin revokes it
    revoke(stack, assignment)
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-truong-a")
    # Then the next page tells them, and they act under it no more
    assert "đã bị thu hồi hoặc không còn hiệu lực" in page.content()
    assert page.locator("h1").inner_text() == "Chưa có vai trò"
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-truong-a")
    assert page.url.startswith(stack.url + "/dang-nhap")


def test_an_assignment_not_yet_in_force_gives_no_access(stack: Stack, page: Page) -> None:
    # Given a person whose only assignment starts in a week
    login = login_name("later")
    future = (time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 86400)),)
    person(stack, login, "Chờ Văn Đợi", ("reader", None, *future))
    # When they sign in
    start(page, stack)
    at_provider(page, stack, login)
    # Then they are told they have no assignment in force, and are not signed in
    assert page.locator("h1").inner_text() == "Chưa có vai trò"
    page.goto(stack.url + f"/f/{FEDERATION}")
    assert page.url.startswith(stack.url + "/dang-nhap")


def test_an_edited_cookie_or_a_foreign_assignment_widens_nothing(stack: Stack, page: Page) -> None:
    # Given a clerk with two assignments, and another person's federation-wide assignment
    login = login_name("cookie")
    person(stack, login, "Sửa Văn Bánh", ("clerk", "cdcs-truong-a"), ("clerk", "cdcs-benh-vien"))
    _, (foreign,) = person(stack, login_name("admin"), "Quản Văn Trị", ("admin", None))
    start(page, stack)
    at_provider(page, stack, login)
    # When they send the other person's assignment, and a scope, from the picker
    page.evaluate(
        "([id]) => { const f = document.querySelector('form.form');"
        " f.querySelector('input[name=assignment]').value = id;"
        " const s = document.createElement('input'); s.type = 'hidden'; s.name = 'scope'; s.value = '*';"
        " f.appendChild(s); }",
        [foreign],
    )
    page.get_by_role("button", name=PICK).click()
    # Then it is refused, naming the field
    assert page.locator("#e-assignment").count() == 1
    assert "không phải của bạn" in page.content()
    # When they pick their own, then edit the session cookie to claim more
    page.get_by_label("Văn thư — CĐCS Trường THPT Bắc Kạn").check()
    page.get_by_role("button", name=PICK).click()
    cookie = session_cookie(page)
    for edited in (cookie + "x", '{"scope":"*","roles":["admin"]}', cookie[:-1]):
        r = httpx.get(stack.url + f"/f/{FEDERATION}/units/cdcs-benh-vien", cookies={"tdkt_session": edited})
        # Then the console knows no such session (the cookie is a random id, nothing in it is read)
        assert r.status_code in (200, 303) and "Sửa Văn Bánh" not in r.text
    r = httpx.get(stack.url + f"/f/{FEDERATION}/units/cdcs-benh-vien", cookies={"tdkt_session": cookie})
    assert r.status_code == 404  # and with the real one, the other union stays out of reach
