"""The ids a log line carries about the work it is part of: set by whoever starts the work (the
HTTP middleware for a request, a consumer for an event) and read by the JSON log formatter
(shared.ops.logs). Context variables, so concurrent requests on one event loop keep theirs."""

from __future__ import annotations

from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
CORRELATION_ID: ContextVar[str | None] = ContextVar("correlation_id", default=None)
TRACE_ID: ContextVar[str | None] = ContextVar("trace_id", default=None)


def current() -> dict[str, str]:
    """The ids set for the work at hand, by name."""
    found = {"request_id": REQUEST_ID, "correlation_id": CORRELATION_ID, "trace_id": TRACE_ID}
    return {k: v for k, var in found.items() if (v := var.get())}
