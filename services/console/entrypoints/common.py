"""What every page shares: the session, CSRF, rendering, security headers and error pages."""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.console.adapters.services import ServiceError, Services
from services.console.application import access, labels
from services.console.application.formatting import FILTERS
from services.console.application.list_paging import SORT_LIMIT
from services.console.application.sessions import Session, SessionStore, new_session
from shared.auth.principal import Principal
from shared.kernel import clock
from shared.kernel.settings import ConsoleSettings

log = logging.getLogger("tdkt.console")
HERE = Path(__file__).resolve().parent.parent
COOKIE = "tdkt_session"
CSRF_FIELD = "csrf_token"

# No inline script or style anywhere: every script and stylesheet is a file of the console.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; manifest-src 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters.update(FILTERS)
templates.globals.update(
    award_name=labels.award_name,
    label=labels.label,
    PLEDGE_STATES=labels.PLEDGE_STATES,
    SUBJECT_KINDS=labels.SUBJECT_KINDS,
    UNIT_KINDS=labels.UNIT_KINDS,
    MOVEMENT_KINDS=labels.MOVEMENT_KINDS,
    GENDERS=labels.GENDERS,
    NOMINATION_STATES=labels.NOMINATION_STATES,
    NOMINATION_TAGS=labels.NOMINATION_TAGS,
    COUNCIL_STATES=labels.COUNCIL_STATES,
    COUNCIL_TAGS=labels.COUNCIL_TAGS,
    nomination_state=labels.nomination_state,
    council_state=labels.council_state,
    SORT_LIMIT=SORT_LIMIT,
    ROLE_LABELS=access.ROLE_LABELS,
)


class NotFoundPage(Exception):
    """Answered with the "not found" page: a missing record and one outside the person's scope
    look the same."""


class SignInNeeded(Exception):
    pass


class CsrfRefused(Exception):
    pass


def settings_of(request: Request) -> ConsoleSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def services_of(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def store_of(request: Request) -> SessionStore:
    return request.app.state.sessions  # type: ignore[no-any-return]


def session_of(request: Request) -> Session | None:
    return getattr(request.state, "session", None)


def ensure_session(request: Request) -> Session:
    """The visitor's session, begun (anonymous) if there is none: a form needs its CSRF token."""
    session = session_of(request)
    if session is None:
        session = new_session()
        store_of(request).put(session)
        request.state.session = session
        request.state.set_cookie = session.id
    return session


def rotate(request: Request, session: Session) -> Session:
    """A fresh id (and CSRF token) for a session whose privileges change: sign-in and sign-out."""
    store = store_of(request)
    store.delete(session.id)
    fresh = new_session()
    fresh.notices = session.notices
    store.put(fresh)
    request.state.session = fresh
    request.state.set_cookie = fresh.id
    return fresh


def signed_in(request: Request) -> Session:
    session = session_of(request)
    if session is None or not session.signed_in:
        raise SignInNeeded
    return session


def principal(request: Request) -> Principal:
    session = signed_in(request)
    assert session.principal is not None
    return session.principal


def federation_page(request: Request, federation: str) -> tuple[Session, Principal]:
    """A page of `federation`: only for a person whose scope covers it; anyone else is told
    it does not exist."""
    session = signed_in(request)
    person = session.principal
    if person is None or not person.covers(federation):
        raise NotFoundPage
    return session, person


def require(person: Principal, action: str) -> None:
    """A page for an action the person may not take answers "not found" (its link is not shown)."""
    if not access.allowed(person, action):
        raise NotFoundPage


FORM_FIELDS = 5_100


async def check_csrf(request: Request) -> None:
    """Every state-changing request: the form's token must be the session's, and a browser's
    Origin (when sent) this host. Otherwise nothing is changed (403)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise CsrfRefused
    session = session_of(request)
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        # Parsed once for the request: as many fields as a council's whole-agenda ballot holds.
        form = await request.form(max_fields=FORM_FIELDS)
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if session is None or not sent or not hmac.compare_digest(sent, session.csrf):
        raise CsrfRefused


def render(
    request: Request,
    template: str,
    status: int = 200,
    federation: str | None = None,
    active: str = "",
    **context: Any,
) -> HTMLResponse:
    session = session_of(request)
    if session is None and template in FORM_TEMPLATES:
        session = ensure_session(request)
    person = session.principal if session and session.signed_in else None
    html = templates.get_template(template).render(
        request=request,
        session=session,
        person=person,
        who=session.person if session and session.signed_in else None,
        acting_as=session.label if session else "",
        csrf_token=session.csrf if session else "",
        csrf_field=CSRF_FIELD,
        notices=session.take_notices() if session else [],
        nav=access.navigation(person, federation),
        federation=federation,
        active=active,
        today=clock.today(),
        allowed=lambda action: access.allowed(person, action),
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


FORM_TEMPLATES = {"signin.html"}


def redirect(url: str) -> RedirectResponse:
    """After a POST: the next page is fetched with GET (303)."""
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, title=title, message=message)


def service_error_page(request: Request, exc: ServiceError) -> Response:
    if exc.status == 404:
        return not_found(request)
    if exc.status == 401:
        session = session_of(request)
        if session is not None:
            session.person = None
            session.token = None
        return redirect("/dang-nhap")
    if exc.status == 403:
        return error_page(request, 403, "Không được phép", "Vai trò của bạn không cho phép việc này.")
    if exc.status == 503 or exc.status >= 500:
        log.warning("a service failed: %s", exc)
        return error_page(
            request,
            503,
            "Hệ thống tạm thời không trả lời",
            "Một dịch vụ của hệ thống chưa trả lời. Chưa có gì thay đổi; thử lại sau ít phút.",
        )
    return error_page(request, exc.status, "Không thực hiện được", "Yêu cầu không thực hiện được.")


def not_found(request: Request) -> HTMLResponse:
    return error_page(
        request,
        404,
        "Không tìm thấy trang",
        "Trang bạn tìm không có, hoặc nằm ngoài phạm vi của bạn. Kiểm tra lại địa chỉ.",
    )
