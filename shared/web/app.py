"""The HTTP surface every service shares: authentication, request context, commands with
Idempotency-Key and If-Match, /health, /metrics, and the events feed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.telemetry import TelemetryConfig
from prometheus_client import make_asgi_app

from shared.auth.config import check_config
from shared.kernel.errors import Forbidden, Invalid
from shared.kernel.text import nfc, unsafe
from shared.ops.runtime import Runtime
from shared.store.eventstore import CommandResult, Context, ServiceApplication, fingerprint
from shared.web import problems
from shared.web.asgi import FastHandler, FastLane, InputGuard, RequestContext, trace_id
from shared.web.audit_api import audit_router
from shared.web.caller import Caller, runtime
from shared.web.gate import Gate
from shared.web.openapi_contract import document_contract
from shared.web.openapi_security import document_security

# A position in a log or list: the largest PostgreSQL bigint, so a larger one is a 422 naming the
# parameter instead of an error of the database.
SEQUENCE_MAX = 2**63 - 1
After = Annotated[
    int,
    Query(
        ge=0,
        le=SEQUENCE_MAX,
        description="the last sequence already seen: an envelope's `sequence` as it carries it "
        "(20 zero-padded digits) or the plain integer",
    ),
]


def _version(header: str | None) -> int | None:
    if not header:
        return None
    raw = header.strip().removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise Invalid.on("If-Match", "If-Match must be the ETag the resource was read with")
    return int(raw)


def _reason(header: str | None) -> str | None:
    """X-Reason as the client wrote it: header bytes arrive decoded as Latin-1, so UTF-8
    Vietnamese would otherwise be stored garbled (and hold C1 controls)."""
    if header is None:
        return None
    try:
        value = header.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise Invalid.on("X-Reason", "X-Reason must be text in UTF-8") from None
    problem = unsafe(value, lines=True)
    if problem is not None or len(value) > 4000:
        raise Invalid.on("X-Reason", f"X-Reason {problem or 'must be at most 4000 characters'}")
    return nfc(value) or None


async def context(request: Request, caller: Caller) -> Context:
    """Who, on whose behalf, under which assignment and why, for a command; with its idempotency
    key and If-Match."""
    body = await request.body()
    key = request.headers.get("idempotency-key")
    if key is not None and not (0 < len(key) <= 200):
        raise Invalid.on("Idempotency-Key", "Idempotency-Key must be 1 to 200 characters")
    return Context(
        actor=caller.sub,
        scope=caller.scope,
        request_id=request.state.request_id,
        correlation_id=request.state.correlation_id,
        causation_id=trace_id(request.headers.get("x-causation-id")) or request.state.request_id,
        reason=_reason(request.headers.get("x-reason")),
        idempotency_key=key,
        fingerprint=fingerprint(request.method, request.url.path, body) if key else None,
        expected_version=_version(request.headers.get("if-match")),
        assignment=caller.assignment,
        traceparent=getattr(request.state, "traceparent", None),
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
    """Run a synchronous application command off the event loop, honouring Idempotency-Key
    (one trip to a worker thread for both)."""

    # An application may run each command in a session of its own (e.g. reading each
    # aggregate once per command).
    session: Callable[[], contextlib.AbstractContextManager[Any]] = getattr(
        app, "command_session", contextlib.nullcontext
    )

    def run() -> CommandResult:
        with session():
            return app.replay(ctx) or command(ctx, *args)

    return respond(await asyncio.to_thread(run))


def feed_router() -> APIRouter:
    router = APIRouter(tags=["events"])

    async def page(rt: Runtime, federation: str | None, after: int, limit: int) -> Response:
        """Rendered here: FastAPI's validation and encoding of a thousand envelopes through the
        response model cost more than reading and decoding them."""
        assert rt.eventlog is not None
        events, position = await rt.eventlog.envelopes(after, limit, federation, rt.settings.feed_scan_limit)
        body = {"events": events, "next_after": position, "head": await rt.eventlog.head()}
        try:
            encoded = orjson.dumps(body)
        except TypeError:  # an integer past 64 bits, stored before amounts were bounded
            encoded = json.dumps(body, ensure_ascii=False, default=str).encode()
        return Response(encoded, media_type="application/json")

    @router.get(
        "/v1/federations/{federation}/events",
        summary="The federation's event feed",
        response_model=dict[str, Any],
    )
    async def federation_feed(
        federation: str,
        caller: Caller,
        request: Request,
        after: After = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Response:
        """CloudEvents envelopes after `after`, in log order. Resume from `next_after`."""
        caller.require("feed.read", federation)
        if caller.unit_path:  # the feed carries the whole federation's events
            raise Forbidden("the federation's feed needs a federation-wide token")
        return await page(runtime(request), federation, after, limit)

    @router.get(
        "/v1/events", summary="The national event feed (national scope)", response_model=dict[str, Any]
    )
    async def national_feed(
        caller: Caller,
        request: Request,
        after: After = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Response:
        caller.require("feed.read")
        if not caller.is_national:
            raise Forbidden("the national feed needs a national-scope token")
        return await page(runtime(request), None, after, limit)

    return router


def create_app(
    rt: Runtime,
    title: str,
    description: str,
    routers: list[APIRouter],
    feed: bool = True,
    fast: Sequence[tuple[str, str, FastHandler]] = (),
) -> FastAPI:
    """`fast`: (method, path pattern with named groups, handler) of commands served by FastLane."""
    check_config(rt.settings)  # refused here, before serving: not at the first request
    # FastAPI's own OpenTelemetry spans of each request (by route, child of the caller's
    # `traceparent`), on the process's tracer (shared.ops.tracing); metrics and logs are ours.
    telemetry = TelemetryConfig(operation_spans=False, metrics=False, logs=False)
    app = FastAPI(
        title=title, description=description, version="1", lifespan=rt.lifespan, telemetry=telemetry
    )
    app.state.runtime = rt
    problems.install(app)
    service = rt.settings.service
    if fast:
        app.add_middleware(FastLane, routes=[(m, re.compile(p), h) for m, p, h in fast])
    # Inside the gate, before the fast lane: unsafe parameters and deep JSON never reach a handler.
    app.add_middleware(InputGuard)
    # Added before request_context, so it runs inside it: refusals get ids and metrics too.
    app.add_middleware(Gate, runtime=rt)

    app.add_middleware(RequestContext, service=service, max_body_bytes=rt.settings.max_body_bytes)

    @app.get("/health", tags=["operations"], summary="Database and broker connection state")
    @app.get("/health/ready", tags=["operations"], summary="Readiness: serve me (database and broker up)")
    async def health() -> JSONResponse:
        state = await rt.health()
        healthy = all(v == "up" for k, v in state.items() if k in ("database", "broker"))
        return JSONResponse(state, status_code=200 if healthy else 503)

    @app.get("/health/live", tags=["operations"], summary="Liveness: the process answers (restart me if not)")
    async def live() -> JSONResponse:
        """Nothing but this process: a database or broker outage is not a reason to restart it."""
        return JSONResponse({"status": "live"})

    app.mount("/metrics", make_asgi_app())
    included = [feed_router(), audit_router()] if feed else []
    for router in [*included, *routers]:
        app.include_router(router)
    document_security(app, rt.settings)  # the Authorize button of /docs
    document_contract(app, [*included, *routers], context)  # the problems, headers, media, examples
    return app
