"""What wraps every request and its answer: a body over the bound refused before it is read, the
session found from its cookie (its access token kept fresh), a new session's cookie set, and the
security headers on every answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response

from services.console.entrypoints import common, oidc_session
from shared.kernel.settings import ConsoleSettings


def add_session_and_headers(app: FastAPI, settings: ConsoleSettings) -> None:
    """The middleware, reading the sessions from `app.state.sessions` at each request."""

    @app.middleware("http")
    async def session_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            response: Response = common.error_page(request, 413, "Tệp quá lớn", "Tệp hoặc biểu mẫu quá lớn.")
        else:
            cookie = request.cookies.get(common.COOKIE)
            request.state.session = await app.state.sessions.load(cookie) if cookie else None
            request.state.set_cookie = None
            await oidc_session.keep_fresh(request)  # a fresh access token, or the assignment ended
            response = await call_next(request)
            await app.state.sessions.settle(getattr(request.state, "session", None))
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
