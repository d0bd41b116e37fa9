"""Trace context across the product (W3C Trace Context, OpenTelemetry): an HTTP request's span is
the parent of what it stores; each stored event keeps the request's `traceparent` in its meta and
its envelope carries it (the CloudEvents distributed-tracing extension), so a consumer's span for
applying the event joins the same trace. Exported over OTLP where configured (shared.ops.tracing);
spans for applied events are made only then (`exporting`), a consumer applies thousands a second."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

PROPAGATOR = TraceContextTextMapPropagator()
TRACER = trace.get_tracer("tdkt")


class _State:
    exporting = False  # set by shared.ops.tracing when spans go somewhere


STATE = _State()


def traceparent() -> str | None:
    """The current span's `traceparent`, None without a valid span."""
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


def trace_id_of(span: trace.Span) -> str | None:
    found = span.get_span_context()
    return trace.format_trace_id(found.trace_id) if found.is_valid else None


def applied(
    consumer: str, envelopes: Sequence[dict[str, Any]], fresh: Sequence[bool], start: int, end: int
) -> None:
    """One CONSUMER span per event applied (`fresh`), child of the span that stored it; `start` and
    `end` (ns) are the batch's."""
    if not STATE.exporting:
        return
    for envelope, new in zip(envelopes, fresh, strict=True):
        parent = envelope.get("traceparent")
        if not new or not parent:
            continue
        span = TRACER.start_span(
            f"apply {envelope['type']}",
            context=PROPAGATOR.extract({"traceparent": parent}),
            kind=SpanKind.CONSUMER,
            start_time=start,
            attributes={"messaging.consumer.group.name": consumer, "messaging.message.id": envelope["id"]},
        )
        span.end(end_time=end)
