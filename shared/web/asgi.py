"""Plain-ASGI middlewares of every service's app (shared.web.app.create_app): request ids and
metrics, and the fast lane of a few hot commands. Plain ASGI because Starlette's
`@app.middleware("http")` and FastAPI's routing cost a large share of a small command."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable
from itertools import accumulate
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.responses import Response
from opentelemetry import trace
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.kernel import log_context
from shared.kernel.errors import DomainError, FieldError, Invalid
from shared.kernel.metrics import HTTP_LATENCY, HTTP_REQUESTS
from shared.kernel.text import unsafe
from shared.messaging import tracing
from shared.web import problems

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
        log_context.REQUEST_ID.set(request_id)
        log_context.CORRELATION_ID.set(correlation_id)
        method = scope["method"]
        # FastAPI's own telemetry (outside this) started the request's span, child of the
        # caller's `traceparent`: the events this request stores carry it on.
        state["traceparent"] = tracing.traceparent()
        log_context.TRACE_ID.set(tracing.trace_id_of(trace.get_current_span()))
        ids = [(b"x-request-id", request_id.encode()), (b"x-correlation-id", correlation_id.encode())]

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0].lower() not in _ID_HEADERS),
                    *ids,
                ]
                HTTP_REQUESTS.labels(self.service, method, str(message["status"])).inc()
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                took = time.perf_counter() - started
                HTTP_LATENCY.labels(self.service, method, route_of(scope)).observe(took)
            await send(message)

        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > self.max_body_bytes:
            limit = self.max_body_bytes
            response = problems.too_large(f"the body is {length} bytes; the limit is {limit}")
            await response(scope, receive, stamped)
            return
        await self.app(scope, receive, stamped)


_ID_HEADERS = (b"x-request-id", b"x-correlation-id")


def route_of(scope: Scope) -> str:
    """The path template the router matched (`/v1/federations/{federation}/pledges`), so
    latency is by route and not by each URL; the fast lane's pattern, or `unmatched`."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    return str(scope.get("state", {}).get("fast_lane") or "unmatched")

MAX_JSON_DEPTH = 64
_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class TooDeep(DomainError):
    """A JSON body nested deeper than any command is: refused before a parser recurses into it
    (Python's json raises RecursionError near 1,000 levels; event JSON is written with orjson,
    which stops at 255)."""

    slug = "too-deep"


class InputGuard:
    """Checks of every request's input that no route can forget, run inside the gate (a caller
    is admitted first, so a stranger learns nothing) and before the fast lane and the router:
    a path or query parameter holding a control, bidirectional or invisible character is a 422
    naming it (such values reach SQL as filters, and PostgreSQL refuses NUL in text); a JSON
    body nested more than MAX_JSON_DEPTH levels is one 400, whichever endpoint parses it. Bodies
    are checked in C-speed passes (shared.web.asgi.json_too_deep), a few ms for a 10,000-row list."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = _refused_parameter(scope)
            if refusal is not None:
                await problems.from_error(refusal)(scope, receive, send)
                return
            if scope["method"] in _WITH_BODY and not _is_form(scope):
                try:
                    body = await _body(receive)
                except HTTPException as exc:  # over the limit (shared.web.gate); as problems answers it
                    await problems.too_large(str(exc.detail))(scope, receive, send)
                    return
                except ClientDisconnect:
                    return
                if json_too_deep(body):
                    message = f"the JSON body is nested more than {MAX_JSON_DEPTH} levels deep"
                    await problems.from_error(TooDeep(message, [FieldError("body", message)]))(
                        scope, receive, send
                    )
                    return
                receive = _replayed(body, receive)
        await self.app(scope, receive, send)


def _refused_parameter(scope: Scope) -> Invalid | None:
    path: str = scope["path"]
    if problem := unsafe(path):
        return Invalid(f"path: {problem}", [FieldError("path", problem)])
    query: bytes = scope.get("query_string", b"")
    if query:
        # As Starlette reads it: latin-1 bytes, percent-escapes decoded as UTF-8.
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if problem := unsafe(name) or unsafe(value):
                field = "query" if unsafe(name) else name
                return Invalid(f"{field}: {problem}", [FieldError(field, problem)])
    return None


def _is_form(scope: Scope) -> bool:
    """A multipart upload is streamed to its parser, never read as JSON."""
    for key, value in scope["headers"]:
        if key == b"content-type":
            return value[:19].lower() == b"multipart/form-data"
    return False


_JSON_START = re.compile(rb"[ \t\r\n]*[\[{]")  # an .xlsx or a form is never measured
_TOO_MANY_OPENED = re.compile(rb"[\[{]{%d}" % (MAX_JSON_DEPTH + 1))
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'"[]{}')))
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether `body`, a JSON text, opens more than `limit` arrays and objects inside one
    another; brackets inside strings are text. A body that does not begin as JSON does (after
    whitespace, with '[' or '{') is not measured; malformed JSON gets its parser's answer.
    A few C-speed passes over the bytes, then one over the brackets outside strings (about
    3 ms for a 10,000-row list of 2 MB, a quarter of parsing it)."""
    if len(body) <= 2 * limit + 1 or not _JSON_START.match(body):
        return False
    if body.find(b"\\") >= 0:
        body = body.replace(b"\\\\", b"")  # escaped backslashes first, then escaped quotes
    if body.find(b"\\") >= 0:
        body = body.replace(b'\\"', b"")
    # Only quotes and brackets; then strings without brackets ("" pairs; dropping two adjacent
    # quotes leaves every other character inside or outside a string as it was); then the rest.
    kept = body.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    if b'"' in kept:
        kept = b"".join(kept.split(b'"')[::2])
    if kept.count(b"[") + kept.count(b"{") <= limit:
        return False
    if limit == MAX_JSON_DEPTH:
        # Sure signs first: that many brackets opened in a row, also once empty pairs are gone
        # (which only makes it shallower), as in '[[],[[],[[],…'.
        if _TOO_MANY_OPENED.search(kept):
            return True
        if _TOO_MANY_OPENED.search(kept.replace(b"[]", b"").replace(b"{}", b"")):
            return True
    return max(accumulate(map(_STEP.__getitem__, kept))) > limit


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
                except HTTPException as exc:  # over the limit (shared.web.gate); as problems answers it
                    await problems.too_large(str(exc.detail))(scope, receive, send)
                    return
                request = Request(scope, receive)
                request._body = body  # what Request.body() returns, as for a routed request
                try:
                    response = await handler(request, match.groupdict())
                except DomainError as exc:
                    response = problems.from_error(exc)
                if response is not None:
                    scope.setdefault("state", {})["fast_lane"] = pattern.pattern
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
