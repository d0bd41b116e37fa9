"""How long the console took over each request, measured at the server: a `Server-Timing:
app;dur=<ms>` header on every answer (what the benchmark reads; browsers' developer tools show
it too) and a Prometheus histogram by route template on GET /metrics.

A plain ASGI middleware, outermost, so the figure covers the session, the CSRF check, the calls
to the services and the template, up to the moment the answer's headers leave; the body of a
streamed answer (an .xlsx passed through) is not included."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_SECONDS = Histogram(
    "tdkt_console_request_seconds",
    "Console requests: seconds until the answer's headers were sent, by route template",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0),
)


def route_of(scope: Scope) -> str:
    """The route's template (`/f/{federation}/units/{code}`), never the path itself, so the
    label's values stay few; a mount by its prefix; anything unmatched as `other`."""
    route: Any = scope.get("route")
    if route is not None and getattr(route, "path", None):
        return str(route.path)
    if scope.get("root_path", "").startswith("/static") or scope.get("path", "").startswith("/static/"):
        return "/static"
    return "other"


class ServerTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                seconds = time.perf_counter() - started
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={seconds * 1000:.1f}".encode()))
                message = {**message, "headers": headers}
                PAGE_SECONDS.labels(scope["method"], route_of(scope), str(message["status"])).observe(seconds)
            await send(message)

        await self.app(scope, receive, timed)
