"""The process's tracer: OpenTelemetry's SDK, so every request has a trace id (in its logs and in
the events it stores) whether or not spans are exported; exported over OTLP/HTTP when
TDKT_OTLP_ENDPOINT is set (e.g. http://otel-collector:4318/v1/traces)."""

from __future__ import annotations

import os

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

from shared.messaging import tracing


def configure(service: str, exporter: SpanExporter | None = None) -> TracerProvider:
    """`exporter`: where spans go (tests pass an in-memory one); by default OTLP/HTTP to
    TDKT_OTLP_ENDPOINT if set, else nowhere."""
    current = trace.get_tracer_provider()
    # OpenTelemetry takes one provider a process: a second call adds its exporter to the first.
    provider = current if isinstance(current, TracerProvider) else None
    if provider is None:
        provider = TracerProvider(resource=Resource.create({"service.name": f"tdkt-{service}"}))
        trace.set_tracer_provider(provider)
    endpoint = os.environ.get("TDKT_OTLP_ENDPOINT")
    if exporter is None and endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=endpoint)
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
        tracing.STATE.exporting = True
    return provider
