"""The sign-in page (the provider's sign-in, and the development one when enabled), sign-out
and the start page. The OpenID Connect flow itself is in oidc_signin."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from services.console.application import identities, signing_in
from services.console.application.problems import FormErrors
from services.console.entrypoints import oidc_session
from services.console.entrypoints.common import (
    NotFoundPage,
    redirect,
    render,
    rotate,
    services_of,
    session_of,
    settings_of,
)

router = APIRouter()


def _dev_enabled(request: Request) -> None:
    if not settings_of(request).console_dev_sign_in:
        raise NotFoundPage


@router.get("/")
async def start(request: Request) -> Response:
    session = session_of(request)
    if session is None or not session.signed_in or session.principal is None:
        return redirect("/dang-nhap")
    if session.principal.is_national:
        return redirect("/quoc-gia")
    return redirect(f"/f/{session.principal.federation}")


@router.get("/dang-nhap")
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    settings = settings_of(request)
    if not settings.console_dev_sign_in and not settings.console_oidc:
        return render(request, "no_signin.html", status=404)
    session = session_of(request)
    if session is not None and session.provider is not None and not session.signed_in:
        return redirect("/dang-nhap/vai-tro")  # signed in at the provider, no assignment chosen
    dev = settings.console_dev_sign_in
    units = await identities.grassroots_units(services_of(request), settings) if dev else []
    return render(
        request,
        "signin.html",
        oidc=settings.console_oidc,
        dev=dev,
        next_url=signing_in.safe_return(next),
        identities=identities.DEV_IDENTITIES,
        units=units,
        federation_code=settings.console_dev_federation,
        errors=None,
        chosen="",
    )


@router.post("/dang-nhap")
async def sign_in(request: Request, identity: str = Form(""), unit: str = Form("")) -> Response:
    _dev_enabled(request)
    settings = settings_of(request)
    services = services_of(request)
    problem = FormErrors()
    if identity not in identities.BY_KEY:
        problem.add("identity", "Chọn bạn là ai")
    else:
        try:
            signed = await identities.sign_in(services, settings, identity, unit or None)
        except identities.UnknownUnit:
            problem.add("unit", "Chọn công đoàn cơ sở của bạn")
        else:
            session = session_of(request)
            assert session is not None  # the CSRF check found it
            session = rotate(request, session)
            session.person = signed.person
            session.token = signed.token
            session.expires_at = signed.expires_at
            session.principal = signed.principal
            session.label = signed.label
            session.notice(f"Đã đăng nhập: {signed.person.name} — {signed.label}.")
            return redirect("/")
    units = await identities.grassroots_units(services, settings)
    return render(
        request,
        "signin.html",
        status=422,
        oidc=settings.console_oidc,
        dev=True,
        next_url="/",
        identities=identities.DEV_IDENTITIES,
        units=units,
        federation_code=settings.console_dev_federation,
        errors=problem,
        chosen=identity,
        chosen_unit=unit,
    )


@router.post("/dang-xuat")
async def sign_out(request: Request) -> Response:
    """The session ends here (a new, anonymous one takes its id's place); signed in with the
    provider, the browser then goes to the provider's end-session endpoint when it has one."""
    session = session_of(request)
    provider_end = None
    if session is not None:
        provider_end = await oidc_session.provider_sign_out(request, session)
        fresh = rotate(request, session)
        fresh.notices = [] if provider_end else ["Đã đăng xuất."]
    if provider_end:
        return render(request, "signed_out.html", provider_end=provider_end)
    return redirect("/dang-nhap")
