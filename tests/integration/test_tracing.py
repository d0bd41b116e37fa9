"""Issue 21: one trace from the HTTP request to reporting's applied event — the request's span
(child of the caller's `traceparent`), the `traceparent` its stored event carries on the bus
(CloudEvents distributed-tracing extension), and reporting's span for applying that event."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from services.registration.bootstrap import build_app as registration_app
from services.registration.bootstrap import runtime as registration_runtime
from services.reporting.bootstrap import runtime as reporting_runtime
from shared.kernel.settings import RegistrationSettings, ReportingSettings
from shared.messaging import tracing
from shared.ops.tracing import configure
from tests.support import BusTap, Isolation, bearer, eventually, in_process

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{CALLER_TRACE}-00f067aa0ba902b7-01"
ADMIN = bearer("*")


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = configure("tests", exporter)
    yield exporter
    provider.force_flush()
    exporter.shutdown()  # later tests' spans go nowhere
    tracing.STATE.exporting = False


async def test_the_request_its_event_on_the_bus_and_reportings_applying_share_one_trace(
    isolation: Isolation, spans: InMemorySpanExporter
) -> None:
    registration = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    reporting = reporting_runtime(isolation.settings(ReportingSettings), frozenset({"consumer"}))
    await reporting.start()
    try:
        async with in_process(registration, registration_app) as http, BusTap(isolation) as tap:
            # Given a caller in trace CALLER_TRACE registering a federation
            body = {"code": "bac-kan", "name": "Bắc Kạn"}
            r = await http.post("/v1/federations", json=body, headers=ADMIN | {"traceparent": TRACEPARENT})
            assert r.status_code == 201, r.text
            relay = registration.relay
            assert relay is not None
            await relay.start()
            await relay.drain()
            await relay.stop()

            async def applied() -> list:
                found = [s for s in spans.get_finished_spans() if s.kind == SpanKind.CONSUMER]
                assert found
                return found

            consumed = await eventually(applied)
        created = next(e for e in tap.envelopes() if e["type"].endswith("federation-created.v1"))
    finally:
        await reporting.stop()
    server = next(s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER)
    # Then the request's span continues the caller's trace
    assert f"{server.context.trace_id:032x}" == CALLER_TRACE and server.name == "POST /v1/federations"
    # And the event on the bus carries that span's context
    assert created["traceparent"] == f"00-{CALLER_TRACE}-{server.context.span_id:016x}-01"
    # And reporting's applying of it is the request span's child, in the same trace
    [apply] = [s for s in consumed if s.name == "apply tdkt.registration.federation-created.v1"]
    assert apply.context.trace_id == server.context.trace_id
    assert apply.parent is not None and apply.parent.span_id == server.context.span_id
