"""The session of a person signed in with the provider: the provider's client, the ID token
kept fresh (the refresh token grant), the access token exchanged again while the session lives
(TDKT_CONSOLE_ACCESS_REFRESH_SECONDS), the assignment dropped when registration refuses it
(revoked or ended: the person is told), and the provider's own sign-out."""

from __future__ import annotations

import logging
import time

import httpx
from fastapi import Request

from services.console.adapters.oidc import OidcClient, ProviderUnavailable, SignInRefused
from services.console.adapters.services import ServiceError
from services.console.application import signing_in
from services.console.application.sessions import Session
from services.console.entrypoints.common import NotFoundPage, services_of, session_of, settings_of

log = logging.getLogger("tdkt.console.signin")
ID_TOKEN_MARGIN = 30.0  # an ID token this close to its expiry is refreshed before an exchange
EXPIRED = "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại."
REVOKED = (
    "Vai trò “{label}” của bạn đã bị thu hồi hoặc không còn hiệu lực, nên bạn không còn làm việc "
    "được với vai trò này."
)


def oidc_of(request: Request) -> OidcClient:
    """The provider's client (made once per console process); "not found" when the OpenID
    Connect sign-in is not configured."""
    settings = settings_of(request)
    if not settings.console_oidc:
        raise NotFoundPage
    client = getattr(request.app.state, "oidc", None)
    if client is None:
        http = httpx.AsyncClient(timeout=settings.console_service_timeout_seconds)
        client = request.app.state.oidc = OidcClient(settings, http)
    return client  # type: ignore[no-any-return]


def end_sign_in(session: Session) -> None:
    """Forget the person, the provider's tokens and the assignment (the session stays, anonymous)."""
    drop_assignment(session)
    session.person = None
    session.provider = None


def drop_assignment(session: Session) -> None:
    session.token = None
    session.principal = None
    session.assignment = None
    session.expires_at = 0.0
    session.label = ""


async def fresh_id_token(request: Request, session: Session) -> str:
    """An ID token valid long enough for an exchange: the one held, or a fresh one by the
    refresh token. SignInRefused when neither is possible."""
    grant = session.provider
    assert grant is not None
    if grant.id_token_expires - time.time() > ID_TOKEN_MARGIN:
        return grant.id_token
    if not grant.refresh_token:
        raise SignInRefused(EXPIRED, "the ID token expired and there is no refresh token")
    tokens = await oidc_of(request).refresh(grant.refresh_token, grant.subject)
    grant.id_token, grant.id_token_expires = tokens.id_token, tokens.expires_at
    grant.refresh_token = tokens.refresh_token
    return grant.id_token


async def keep_fresh(request: Request) -> None:
    """Before a page of a session signed in with the provider: when its access token is older
    than TDKT_CONSOLE_ACCESS_REFRESH_SECONDS (or about to expire), exchange the ID token again
    for the same assignment. Refused because the assignment was revoked or ended: the person is
    told, and no longer acts under it. The provider or registration silent: the token held is
    used until it expires."""
    session = session_of(request)
    if session is None or session.provider is None or session.assignment is None:
        return
    settings = settings_of(request)
    if not settings.console_oidc:
        return
    async with session.lock:
        now = time.time()
        due = now - session.refreshed_at >= settings.console_access_refresh_seconds
        if session.assignment is None or not (due or session.expires_at - now < 60):
            return
        label = session.label
        try:
            id_token = await fresh_id_token(request, session)
            acting = await signing_in.under(services_of(request), id_token, session.assignment, label)
        except SignInRefused as exc:
            log.info("session ended: %s", exc.reason)
            end_sign_in(session)
            session.notice(EXPIRED)
            return
        except ProviderUnavailable as exc:
            log.warning("the provider is unavailable for a refresh: %s", exc)
            return
        except ServiceError as exc:
            if exc.status in (403, 404):
                drop_assignment(session)
                session.notice(REVOKED.format(label=label))
            elif exc.status in (400, 401, 422):
                end_sign_in(session)
                session.notice(EXPIRED)
            else:
                log.warning("registration is unavailable for a refresh: %s", exc)
            return
        session.token, session.expires_at, session.principal = (
            acting.token,
            acting.expires_at,
            acting.principal,
        )
        session.refreshed_at = time.time()


async def provider_sign_out(request: Request, session: Session) -> str | None:
    """Where the provider ends its own session too (RP-initiated logout), if it advertises it."""
    settings = settings_of(request)
    if session.provider is None or not settings.console_oidc:
        return None
    post_logout = settings.console_oidc_post_logout_url
    if post_logout is None and settings.console_oidc_redirect_url:
        post_logout = settings.console_oidc_redirect_url.rsplit("/dang-nhap", 1)[0] + "/dang-nhap"
    return await oidc_of(request).end_session_url(session.provider.id_token, post_logout)
