"""Issue 21: logs are JSON lines with the service and the ids of the request at hand (the one
the answer's X-Request-ID names), and request latency is measured by route template."""

from __future__ import annotations

import io
import json
import logging

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY

from shared.ops.logs import JsonFormatter
from shared.web.asgi import RequestContext


def app_logging_to(stream: io.StringIO) -> RequestContext:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("registration"))
    logger = logging.getLogger("tdkt.test-json-logs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    app = FastAPI()

    @app.get("/v1/federations/{federation}/things")
    async def things(federation: str) -> dict:
        logger.info("listing things of %s", federation)
        return {}

    return RequestContext(app, "test-json-logs", 1 << 20)


async def test_a_log_line_is_json_with_the_service_and_the_requests_ids() -> None:
    stream = io.StringIO()
    transport = httpx.ASGITransport(app=app_logging_to(stream))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        r = await http.get("/v1/federations/bac-kan/things", headers={"X-Correlation-ID": "c-42"})
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["service"] == "registration" and line["level"] == "INFO"
    assert line["message"] == "listing things of bac-kan"
    assert line["request_id"] == r.headers["x-request-id"] and line["correlation_id"] == "c-42"
    assert line["time"].endswith("+00:00")


async def test_request_latency_is_counted_by_route_template_not_by_url() -> None:
    labels = {"service": "test-json-logs", "method": "GET", "route": "/v1/federations/{federation}/things"}
    before = REGISTRY.get_sample_value("tdkt_http_request_seconds_count", labels) or 0
    transport = httpx.ASGITransport(app=app_logging_to(io.StringIO()))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        for federation in ("bac-kan", "cao-bang"):
            await http.get(f"/v1/federations/{federation}/things")
    assert REGISTRY.get_sample_value("tdkt_http_request_seconds_count", labels) == before + 2
