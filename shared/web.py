"""The HTTP surface every service shares: authentication, request context, commands with
Idempotency-Key and If-Match, /health, /metrics, and the events feed."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from prometheus_client import make_asgi_app

from shared import auth, problems
from shared.errors import Forbidden, Invalid, Unauthorized
from shared.eventstore import CommandResult, Context, ServiceApplication, fingerprint
from shared.gate import Gate
from shared.metrics import HTTP_LATENCY, HTTP_REQUESTS
from shared.runtime import Runtime


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def principal(request: Request) -> auth.Principal:
    admitted = getattr(request.state, "principal", None)  # by shared.gate, before routing
    if isinstance(admitted, auth.Principal):
        return admitted
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("a bearer token is required")
    rt = runtime(request)
    return auth.decode(token.strip(), rt.settings, rt.jwks)


Caller = Annotated[auth.Principal, Depends(principal)]


TRACE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def _trace_id(header: str | None) -> str | None:
    """A client's trace id, if it is one: it is stored in events and written to logs."""
    return header if header and TRACE_ID.fullmatch(header) else None


def _version(header: str | None) -> int | None:
    if not header:
        return None
    raw = header.strip().removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise Invalid.on("If-Match", "If-Match must be the ETag the resource was read with")
    return int(raw)


async def context(request: Request, caller: Caller) -> Context:
    """Who, on whose behalf and why, for a command; with its idempotency key and If-Match."""
    body = await request.body()
    key = request.headers.get("idempotency-key")
    if key is not None and not (0 < len(key) <= 200):
        raise Invalid.on("Idempotency-Key", "Idempotency-Key must be 1 to 200 characters")
    return Context(
        actor=caller.sub,
        scope=caller.scope,
        request_id=request.state.request_id,
        correlation_id=request.state.correlation_id,
        causation_id=_trace_id(request.headers.get("x-causation-id")) or request.state.request_id,
        reason=request.headers.get("x-reason"),
        idempotency_key=key,
        fingerprint=fingerprint(request.method, request.url.path, body) if key else None,
        expected_version=_version(request.headers.get("if-match")),
    )


Ctx = Annotated[Context, Depends(context)]


def respond(result: CommandResult) -> JSONResponse:
    headers = {"ETag": f'"{result.version}"'} if result.version is not None else {}
    if result.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(result.body, status_code=result.status, headers=headers)


async def execute(
    app: ServiceApplication, ctx: Context, command: Callable[..., CommandResult], *args: Any
) -> JSONResponse:
    """Run a synchronous application command off the event loop, honouring Idempotency-Key."""
    prior = await asyncio.to_thread(app.replay, ctx)
    if prior is not None:
        return respond(prior)
    return respond(await asyncio.to_thread(command, ctx, *args))


def feed_router() -> APIRouter:
    router = APIRouter(tags=["events"])

    async def page(rt: Runtime, federation: str | None, after: int, limit: int) -> dict[str, Any]:
        assert rt.eventlog is not None
        events, position = await rt.eventlog.envelopes(after, limit, federation, rt.settings.feed_scan_limit)
        return {"events": events, "next_after": position, "head": await rt.eventlog.head()}

    @router.get("/v1/federations/{federation}/events", summary="The federation's event feed")
    async def federation_feed(
        federation: str,
        caller: Caller,
        request: Request,
        after: Annotated[int, Query(ge=0, description="last sequence already seen")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:
        """CloudEvents envelopes after `after`, in log order. Resume from `next_after`."""
        caller.require("feed.read", federation)
        if caller.unit_path:  # the feed carries the whole federation's events
            raise Forbidden("the federation's feed needs a federation-wide token")
        return await page(runtime(request), federation, after, limit)

    @router.get("/v1/events", summary="The national event feed (national scope)")
    async def national_feed(
        caller: Caller,
        request: Request,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:
        caller.require("feed.read")
        if not caller.is_national:
            raise Forbidden("the national feed needs a national-scope token")
        return await page(runtime(request), None, after, limit)

    return router


def create_app(
    rt: Runtime, title: str, description: str, routers: list[APIRouter], feed: bool = True
) -> FastAPI:
    app = FastAPI(title=title, description=description, version="1", lifespan=rt.lifespan)
    app.state.runtime = rt
    problems.install(app)
    service = rt.settings.service
    # Added before request_context, so it runs inside it: refusals get ids and metrics too.
    app.add_middleware(Gate, runtime=rt)

    @app.middleware("http")
    async def request_context(request: Request, call_next: Any) -> Any:
        started = time.perf_counter()
        request.state.request_id = _trace_id(request.headers.get("x-request-id")) or str(uuid.uuid4())
        request.state.correlation_id = (
            _trace_id(request.headers.get("x-correlation-id")) or request.state.request_id
        )
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > rt.settings.max_body_bytes:
            limit = rt.settings.max_body_bytes
            response: Any = problems.too_large(f"the body is {length} bytes; the limit is {limit}")
        else:
            response = await call_next(request)
        response.headers["X-Request-ID"] = request.state.request_id
        response.headers["X-Correlation-ID"] = request.state.correlation_id
        HTTP_REQUESTS.labels(service, request.method, str(response.status_code)).inc()
        HTTP_LATENCY.labels(service, request.method).observe(time.perf_counter() - started)
        return response

    @app.get("/health", tags=["operations"], summary="Database and broker connection state")
    async def health() -> JSONResponse:
        state = await rt.health()
        healthy = all(v == "up" for k, v in state.items() if k in ("database", "broker"))
        return JSONResponse(state, status_code=200 if healthy else 503)

    app.mount("/metrics", make_asgi_app())
    if feed:
        app.include_router(feed_router())
    for router in routers:
        app.include_router(router)
    return app
