"""Plain-ASGI middlewares of every service's app (shared.web.create_app): request ids and
metrics, and the fast lane of a few hot commands. Plain ASGI because Starlette's
`@app.middleware("http")` and FastAPI's routing cost a large share of a small command."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared import problems
from shared.errors import DomainError
from shared.metrics import HTTP_LATENCY, HTTP_REQUESTS

TRACE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def trace_id(header: str | None) -> str | None:
    """A client's trace id, if it is one: it is stored in events and written to logs."""
    return header if header and TRACE_ID.fullmatch(header) else None


class RequestContext:
    """Request and correlation ids, the body-size check on Content-Length, and the metrics of
    every answer. Plain ASGI: Starlette's `@app.middleware("http")` runs each request through
    extra tasks and streams, a large share of a small command's cost."""

    def __init__(self, app: ASGIApp, service: str, max_body_bytes: int) -> None:
        self.app = app
        self.service = service
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = Headers(scope=scope)
        request_id = trace_id(headers.get("x-request-id")) or str(uuid.uuid4())
        correlation_id = trace_id(headers.get("x-correlation-id")) or request_id
        state = scope.setdefault("state", {})
        state["request_id"], state["correlation_id"] = request_id, correlation_id
        method = scope["method"]
        ids = [(b"x-request-id", request_id.encode()), (b"x-correlation-id", correlation_id.encode())]

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0].lower() not in _ID_HEADERS),
                    *ids,
                ]
                HTTP_REQUESTS.labels(self.service, method, str(message["status"])).inc()
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                HTTP_LATENCY.labels(self.service, method).observe(time.perf_counter() - started)
            await send(message)

        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > self.max_body_bytes:
            limit = self.max_body_bytes
            response = problems.too_large(f"the body is {length} bytes; the limit is {limit}")
            await response(scope, receive, stamped)
            return
        await self.app(scope, receive, stamped)


_ID_HEADERS = (b"x-request-id", b"x-correlation-id")

# A fast-lane handler: the request (its body already read) and the path's named groups; answers
# the request, or None to leave it to the router.
FastHandler = Callable[[Request, dict[str, str]], Awaitable[Response | None]]


class FastLane:
    """Plain-ASGI handlers for a few hot commands, tried before FastAPI's routing, dependencies
    and body parsing (most of a small command's cost). A handler answers the ordinary case and
    returns None for anything else (a body that does not validate, another content type …),
    which then goes to its route as always, so every refusal keeps its one answer. Sits inside
    the gate: the caller is admitted and the body limit holds before a handler runs."""

    def __init__(self, app: ASGIApp, routes: list[tuple[str, re.Pattern[str], FastHandler]]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for method, pattern, handler in self.routes:
                match = pattern.fullmatch(scope["path"]) if scope["method"] == method else None
                if match is None:
                    continue
                try:
                    body = await _body(receive)
                except HTTPException as exc:  # over the limit (shared.gate); as problems answers it
                    await problems.too_large(str(exc.detail))(scope, receive, send)
                    return
                request = Request(scope, receive)
                request._body = body  # what Request.body() returns, as for a routed request
                try:
                    response = await handler(request, match.groupdict())
                except DomainError as exc:
                    response = problems.from_error(exc)
                if response is not None:
                    await response(scope, receive, send)
                    return
                receive = _replayed(body, receive)
                break
        await self.app(scope, receive, send)


async def _body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replayed(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
