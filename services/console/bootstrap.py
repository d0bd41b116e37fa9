"""Wires the console: settings, the session store, the clients of the three services, the
pages, and what wraps every answer (session cookie, security headers, error pages)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlencode

import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import make_asgi_app
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.console.adapters.services import ServiceError, Services
from services.console.application.sessions import MemoryStore, SessionStore
from services.console.entrypoints import activities as activity_pages
from services.console.entrypoints import audit as audit_pages
from services.console.entrypoints import (
    common,
    council_convening,
    council_resolving,
    home,
    movements,
    nominations,
    oidc_session,
    oidc_signin,
    pledges,
    signin,
    tree,
)
from services.console.entrypoints import councils as council_pages
from services.console.entrypoints import decisions as decision_pages
from services.console.entrypoints import downloads as download_pages
from services.console.entrypoints import national as national_pages
from services.console.entrypoints import people as people_pages
from services.console.entrypoints import reports as report_pages
from services.console.entrypoints import targets as target_pages
from services.console.timing import ServerTiming
from shared.kernel.settings import ConsoleSettings

log = logging.getLogger("tdkt.console")


def build_app(
    settings: ConsoleSettings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    sessions: SessionStore | None = None,
) -> FastAPI:
    settings = settings or ConsoleSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = Services.connect(settings, transport)
        try:
            yield
        finally:
            await app.state.services.close()
            oidc = getattr(app.state, "oidc", None)
            if oidc is not None:
                await oidc.http.aclose()

    app = FastAPI(
        title="TĐKT console",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        dependencies=[Depends(common.check_csrf)],
    )
    app.state.settings = settings
    app.state.sessions = sessions or MemoryStore(
        settings.console_session_idle_seconds, settings.console_session_max_seconds
    )

    @app.middleware("http")
    async def session_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            response: Response = common.error_page(request, 413, "Tệp quá lớn", "Tệp hoặc biểu mẫu quá lớn.")
        else:
            cookie = request.cookies.get(common.COOKIE)
            request.state.session = app.state.sessions.get(cookie) if cookie else None
            request.state.set_cookie = None
            await oidc_session.keep_fresh(request)  # a fresh access token, or the assignment ended
            response = await call_next(request)
        fresh = getattr(request.state, "set_cookie", None)
        if fresh:
            secure = settings.console_secure_cookies or request.url.scheme == "https"
            response.set_cookie(
                common.COOKIE,
                fresh,
                httponly=True,
                samesite="lax",
                secure=secure,
                path="/",
                max_age=settings.console_session_max_seconds,
            )
        for name, value in common.SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.add_middleware(ServerTiming)  # outermost: Server-Timing and /metrics' histogram (timing.py)

    @app.exception_handler(common.NotFoundPage)
    async def not_found(request: Request, exc: common.NotFoundPage) -> Response:
        return common.not_found(request)

    @app.exception_handler(common.SignInNeeded)
    async def sign_in(request: Request, exc: common.SignInNeeded) -> Response:
        if request.method == "GET" and request.url.path != "/":
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return common.redirect("/dang-nhap?" + urlencode({"next": back}))
        return common.redirect("/dang-nhap")

    @app.exception_handler(common.CsrfRefused)
    async def csrf(request: Request, exc: common.CsrfRefused) -> Response:
        return common.error_page(
            request,
            403,
            "Biểu mẫu không hợp lệ",
            "Biểu mẫu đã hết hạn hoặc không gửi từ trang của hệ thống, nên chưa có gì được lưu. "
            "Mở lại trang và gửi lại.",
        )

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        return common.service_error_page(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return common.not_found(request)
        if exc.status_code == 405:
            return common.error_page(request, 405, "Không thực hiện được", "Trang này không nhận yêu cầu đó.")
        return common.error_page(request, exc.status_code, "Không thực hiện được", "Yêu cầu không hợp lệ.")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled %s on %s", type(exc).__name__, request.url.path, exc_info=exc)
        return common.error_page(
            request,
            500,
            "Đã có lỗi",
            "Hệ thống gặp lỗi khi xử lý yêu cầu. Thử lại; nếu vẫn lỗi, báo quản trị.",
        )

    from fastapi.exceptions import RequestValidationError

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return common.error_page(
            request, 400, "Địa chỉ không hợp lệ", "Địa chỉ hoặc biểu mẫu có giá trị không hợp lệ."
        )

    @app.get("/health", include_in_schema=False)
    async def health() -> JSONResponse:
        return JSONResponse({"status": "ok", "service": "console"})

    app.mount("/static", StaticFiles(directory=common.HERE / "static"), name="static")
    app.mount("/metrics", make_asgi_app())
    # Each list's .xlsx before the pages: /units/{code}/members.xlsx is not a unit change's form.
    app.include_router(download_pages.router)
    for module in (signin, oidc_signin, home, tree, pledges, movements, nominations):
        app.include_router(module.router)
    app.include_router(people_pages.router)  # people and access: invite, grant, revoke, history
    # convening before the council's pages: /councils/new is not a council's code
    app.include_router(council_convening.router)  # convening, the secret ballot's key
    app.include_router(council_pages.router)  # councils: list, agenda, ballots, written votes
    app.include_router(council_resolving.router)  # resolving
    app.include_router(decision_pages.router)  # decisions from passed nominations, revocations
    app.include_router(activity_pages.router)  # initiatives, works
    app.include_router(target_pages.router)  # targets: progress, .xlsx, setting a unit's
    app.include_router(national_pages.router)  # the national roll-up, nominations forwarded upward
    app.include_router(report_pages.router)  # every report: filters, chart, table, .xlsx
    app.include_router(audit_pages.router)  # auditors: histories as of a date, record trails, chains
    return app
