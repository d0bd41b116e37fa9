"""Signing in with the provider's account (OpenID Connect, authorization code flow with PKCE,
through the console's backend), picking the assignment to act under, and keeping its access
token fresh while the session lives.

/dang-nhap/oidc sends the browser to the provider with a new state, nonce and PKCE challenge
(kept in the session, never in the browser); /dang-nhap/callback accepts only the state of a
sign-in this session began (once), redeems the code with the verifier, verifies the ID token
(its issuer, audience, signature, expiry and the sign-in's nonce), exchanges it at registration,
and only then gives the session a new id. A person with several assignments picks one
(/dang-nhap/vai-tro), and may come back to it later to act under another ("Đổi vai trò": a new
session id again once the other is picked). Every refusal leaves the session as it was."""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from services.console.adapters.oidc import ProviderUnavailable, SignInRefused, new_secret
from services.console.adapters.services import ServiceError
from services.console.application import signing_in
from services.console.application.problems import FormErrors
from services.console.application.sessions import PendingSignIn, Person, ProviderGrant, Session
from services.console.entrypoints.common import (
    ensure_session,
    error_page,
    redirect,
    render,
    rotate,
    services_of,
    session_of,
)
from services.console.entrypoints.oidc_session import (
    EXPIRED,
    end_sign_in,
    fresh_id_token,
    oidc_of,
)

log = logging.getLogger("tdkt.console.signin")
router = APIRouter()
PENDING_SECONDS = 600.0  # a sign-in not back from the provider by then is forgotten
PENDING_MAX = 5  # sign-ins under way in one session (several tabs)

TITLE = "Chưa đăng nhập được"
NOTHING_CHANGED = " Chưa có gì thay đổi."
STATE_REFUSED = (
    "Liên kết đăng nhập này không thuộc một lần đăng nhập bạn bắt đầu trên trình duyệt này, hoặc "
    "đã được dùng hay đã hết hạn, nên hệ thống không đăng nhập cho bạn. Mở trang Đăng nhập và "
    "đăng nhập lại."
)
NOT_INVITED = (
    "Tài khoản này chưa được mời vào hệ thống. Hãy nhờ quản trị viên của liên đoàn mời bạn bằng "
    "địa chỉ e-mail của tài khoản này, rồi đăng nhập lại."
)
NO_ASSIGNMENT = (
    "Bạn chưa có vai trò nào đang có hiệu lực trong hệ thống, nên chưa làm được gì. Hãy nhờ quản "
    "trị viên giao vai trò cho bạn."
)


def refused(request: Request, message: str, status: int = 400) -> Response:
    return error_page(request, status, TITLE, message + NOTHING_CHANGED)


def unavailable(request: Request) -> Response:
    return error_page(
        request,
        503,
        "Nhà cung cấp tài khoản chưa trả lời",
        "Hệ thống chưa liên lạc được với nhà cung cấp tài khoản, nên chưa đăng nhập được. "
        "Thử lại sau ít phút." + NOTHING_CHANGED,
    )


@router.get("/dang-nhap/oidc")
async def begin(request: Request, next: str | None = None) -> Response:
    """A new sign-in: state, nonce and PKCE verifier kept in this session; the browser goes to
    the provider with the state, the nonce and the verifier's challenge."""
    client = oidc_of(request)
    session = ensure_session(request)
    now = time.time()
    pending = {s: p for s, p in session.pending.items() if now - p.created < PENDING_SECONDS}
    while len(pending) >= PENDING_MAX:
        pending.pop(min(pending, key=lambda s: pending[s].created))
    flow = PendingSignIn(new_secret(), new_secret(), new_secret(), signing_in.safe_return(next), now)
    pending[flow.state] = flow
    session.pending = pending
    try:
        url = await client.authorization_url(flow.state, flow.nonce, flow.verifier)
    except ProviderUnavailable as exc:
        log.warning("the provider is unavailable: %s", exc)
        return unavailable(request)
    return RedirectResponse(url, status_code=303)


@router.get("/dang-nhap/callback")
async def callback(
    request: Request,
    state: str | None = None,
    code: str | None = None,
    error: str | None = None,
    iss: str | None = None,
) -> Response:
    client = oidc_of(request)
    session = session_of(request)
    flow = session.pending.pop(state, None) if session is not None and state else None
    if session is None or flow is None or time.time() - flow.created > PENDING_SECONDS:
        log.warning("sign-in callback refused: unknown, used or expired state")
        return refused(request, STATE_REFUSED)
    if iss is not None and iss != client.issuer:  # RFC 9207: the answer of another provider
        log.warning("sign-in callback refused: iss %r", iss[:200])
        return refused(request, "Câu trả lời đăng nhập đến từ một nhà cung cấp tài khoản khác.")
    if error or not code:
        return refused(
            request,
            "Nhà cung cấp tài khoản không đăng nhập cho bạn"
            + (f" (mã lỗi: {error[:60]})" if error else "")
            + ". Thử đăng nhập lại.",
        )
    try:
        tokens = await client.redeem(code, flow.verifier, flow.nonce)
        answer = await signing_in.exchange(services_of(request), tokens.id_token)
    except SignInRefused as exc:
        log.warning("sign-in refused: %s", exc.reason)
        return refused(request, exc.message)
    except ProviderUnavailable as exc:
        log.warning("the provider is unavailable: %s", exc)
        return unavailable(request)
    except ServiceError as exc:
        if exc.status == 403:
            return refused(request, NOT_INVITED, 403)
        if exc.status in (400, 401, 422):
            log.warning("registration refused the ID token: %s", exc)
            return refused(request, "Hệ thống không chấp nhận thẻ đăng nhập của nhà cung cấp tài khoản này.")
        raise
    # Signed in: a new session id (the one before may be known to someone else), the CSRF
    # token with it; the sign-ins still under way in the old session are dropped.
    fresh = rotate(request, session)
    person = answer.get("person") or {}
    claims = tokens.claims
    fresh.person = Person(
        client.issuer, str(claims["sub"]), str(person.get("name") or claims.get("name") or "")
    )
    fresh.provider = ProviderGrant(
        client.issuer, str(claims["sub"]), tokens.id_token, tokens.expires_at, tokens.refresh_token
    )
    fresh.return_to = flow.return_to
    held = list(answer.get("assignments") or [])
    fresh.several = len(held) > 1
    if not held:
        return await _no_assignment_left(request, fresh)
    if len(held) > 1:
        return redirect("/dang-nhap/vai-tro")
    return await _act_under(request, fresh, str(held[0]["id"]), first=True)


async def _act_under(request: Request, session: Session, assignment: str, first: bool = False) -> Response:
    assert session.provider is not None and session.person is not None
    acting = await signing_in.under(services_of(request), session.provider.id_token, assignment)
    if not first:  # a change of privilege: a new session id again
        session = _rotated(request, session)
    session.token = acting.token
    session.expires_at = acting.expires_at
    session.principal = acting.principal
    session.label = acting.label
    session.assignment = assignment
    session.refreshed_at = time.time()
    name = session.person.name if session.person is not None else ""
    session.notice(f"Đã đăng nhập: {name} — {acting.label}.")
    target, session.return_to = session.return_to, "/"
    return redirect(target)


def _rotated(request: Request, session: Session) -> Session:
    """A new session id keeping the person and the provider's tokens (not the assignment)."""
    fresh = rotate(request, session)
    fresh.person, fresh.provider, fresh.return_to = session.person, session.provider, session.return_to
    fresh.several = session.several
    return fresh


async def _no_assignment_left(request: Request, session: Session) -> Response:
    end_sign_in(session)
    return error_page(request, 403, "Chưa có vai trò", NO_ASSIGNMENT)


def _picker(
    request: Request, choices: list[signing_in.Choice], person: dict[str, Any], errors: FormErrors | None
) -> Response:
    return render(
        request,
        "signin_assignment.html",
        status=422 if errors else 200,
        choices=choices,
        holder=person,
        errors=errors,
    )


@router.get("/dang-nhap/vai-tro")
async def pick_page(request: Request) -> Response:
    oidc_of(request)
    session = session_of(request)
    if session is None or session.provider is None or session.person is None:
        return redirect("/dang-nhap")
    try:
        person, choices = await signing_in.choices(
            services_of(request), await fresh_id_token(request, session)
        )
    except (SignInRefused, ProviderUnavailable):
        end_sign_in(session)
        session.notice(EXPIRED)
        return redirect("/dang-nhap")
    if not choices:
        return await _no_assignment_left(request, session)
    return _picker(request, choices, person, None)


@router.post("/dang-nhap/vai-tro")
async def pick(request: Request, assignment: str = Form("")) -> Response:
    """The assignment picked: registration decides whether it is the person's and in force; the
    scope and roles come from its answer (nothing the browser sends but the assignment's id)."""
    oidc_of(request)
    session = session_of(request)
    if session is None or session.provider is None or session.person is None:
        return redirect("/dang-nhap")
    try:
        id_token = await fresh_id_token(request, session)
        return await _act_under(request, session, assignment[:100])
    except (SignInRefused, ProviderUnavailable):
        end_sign_in(session)
        session.notice(EXPIRED)
        return redirect("/dang-nhap")
    except ServiceError as exc:
        if exc.status not in (400, 403, 404, 422):
            raise
    person, choices = await signing_in.choices(services_of(request), id_token)
    errors = FormErrors()
    errors.add(
        "assignment",
        "Chọn một vai trò của bạn trong danh sách (vai trò đã chọn không phải của bạn hoặc đã hết hiệu lực)",
    )
    return _picker(request, choices, person, errors)
