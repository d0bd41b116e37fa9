"""RFC 9457 problem responses. Nothing internal (traces, SQL, secrets) reaches a client."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.kernel.errors import DomainError

log = logging.getLogger("tdkt.http")
PROBLEM = "application/problem+json"


def problem(
    status: int,
    title: str,
    detail: str,
    slug: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://tdkt.congdoan.vn/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def from_error(exc: DomainError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return problem(exc.status, exc.title, exc.detail, exc.slug, [e.as_dict() for e in exc.errors], headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def too_large(detail: str) -> JSONResponse:
    return problem(413, "Payload too large", detail, "too-large", [{"field": "body", "message": "too large"}])


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return from_error(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(e.get("loc", ())), "message": str(e.get("msg", "invalid"))} for e in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, "Invalid input", detail, "invalid", errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 413:
            return too_large(str(exc.detail))
        return problem(exc.status_code, str(exc.detail), str(exc.detail), f"http-{exc.status_code}")

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", "")
        return unexpected(exc, request.method, request.url.path, request_id)


def unexpected(exc: Exception, method: str, path: str, request_id: str) -> JSONResponse:
    """A 503 for an unavailable dependency, else a 500; the log says where, never what."""
    if _is_unavailable(exc):
        log.warning("dependency unavailable on %s (request %s): %s", path, request_id, _kind(exc))
        return problem(
            503,
            "Service unavailable",
            "a dependency is unavailable; retry later",
            "unavailable",
            headers={"Retry-After": "2"},
        )
    # Messages of database and library errors can hold SQL, row values or connection details:
    # log the exception's type and frames, not its message.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("unhandled %s on %s %s (request %s)\n%s", _kind(exc), method, path, request_id, frames)
    return problem(500, "Internal error", "the request could not be completed", "internal")


def _kind(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


def _is_unavailable(exc: Exception) -> bool:
    import asyncpg
    from eventsourcing.persistence import InterfaceError, OperationalError

    return isinstance(
        exc,
        (
            OperationalError,
            InterfaceError,
            asyncpg.PostgresConnectionError,
            asyncpg.InterfaceError,
            ConnectionError,
            TimeoutError,
        ),
    )
